"""Two-factor authentication: TOTP enrolment, checks, and single-use recovery codes."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.audit.services import audit_record
from samverka.core.errors import ValidationError

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def totp_device_begin(*, actor, user) -> TOTPDevice:
    """The unconfirmed TOTP device to enrol (the same one while the page is reloaded)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        audit_record(
            actor=actor,
            action="mfa.totp_begin",
            object_type="otp_totp.totpdevice",
            object_id=device.pk,
            changes={"user": user.email},
        )
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def totp_device_confirm(*, actor, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm enrolment with a code from the app; returns the new recovery codes (shown once)."""
    code = normalise_code(code)
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Please correct the errors below."), {"code": [_("Start the set-up again.")]})
    if not code.isdigit() or len(code) != device.digits or not device.verify_token(code):
        raise ValidationError(
            _("Please correct the errors below."),
            {"code": [_("That code is not right. Check the time on your phone and try again.")]},
        )
    with transaction.atomic():
        # One authenticator per person: enrolling a new one replaces the old.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(
            actor=actor,
            action="mfa.totp_confirm",
            object_type="otp_totp.totpdevice",
            object_id=device.pk,
            changes={"user": user.email, "recovery_codes": RECOVERY_CODE_COUNT},
        )
    return codes


def recovery_codes_regenerate(*, actor, user) -> list[str]:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up two-factor authentication first."), {})
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(
            actor=actor,
            action="mfa.recovery_regenerate",
            object_type="accounts.user",
            object_id=user.pk,
            changes={"recovery_codes": RECOVERY_CODE_COUNT},
        )
    return codes


def mfa_check(*, user, code: str):
    """The device that accepts `code` (a TOTP code or a recovery code, which is used up), or None."""
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True):
            if isinstance(device, TOTPDevice) and not code.isdigit():
                continue
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    audit_record(
                        actor=user,
                        action="mfa.recovery_code_used",
                        object_type="accounts.user",
                        object_id=user.pk,
                        changes={"remaining": device.token_set.count()},
                    )
                return device
    # A wrong code is a security event: counted against the account by the reader of the audit trail.
    audit_record(actor=user, action="mfa.check_failed", object_type="accounts.user", object_id=user.pk)
    return None


def recovery_codes_remaining(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()
