"""Two-factor authentication: TOTP enrolment, checks, and single-use recovery codes.

A recovery code is 24 base32 characters (120 random bits), shown once in groups of four and accepted with or without
spaces or dashes, in either case. Only its SHA-256 is stored (`RecoveryCode`); at 120 bits a fast hash cannot be
reversed by guessing. Codes made before that (8 characters, 40 bits) were given a salted password hash by migration
0004 and keep working until used or replaced. The django-otp `StaticDevice` named "recovery" holds the codes and is
the device a session is verified with after a recovery code.
"""

import hashlib
import secrets
from base64 import b32encode

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.audit.services import audit_record
from samverka.core.errors import ValidationError

from ..models import RecoveryCode

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_BYTES = 15  # 120 bits: 24 base32 characters
RECOVERY_CODE_LENGTH = RECOVERY_CODE_BYTES * 8 // 5
LEGACY_RECOVERY_CODE_LENGTH = 8  # django-otp's StaticToken.random_token (40 bits), hashed by migration 0004


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def recovery_code_hash(code: str) -> str:
    """The stored form of a normalised recovery code."""
    return hashlib.sha256(code.encode()).hexdigest()


def _recovery_code_new() -> str:
    """A new code for display: upper case, in groups of four."""
    raw = b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


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
    """Replace the person's recovery codes (the old device and its codes go); the new codes are returned once."""
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_recovery_code_new() for _i in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, code_hash=recovery_code_hash(normalise_code(c))) for c in codes]
    )
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


def _recovery_code_use(user, code: str) -> StaticDevice | None:
    """Use up the recovery code `code` (normalised) and return its device, or None. The update only takes a code
    that is still unused, so two requests with the same code cannot both pass."""
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).first()
    if device is None:
        return None
    unused = RecoveryCode.objects.filter(device=device, used_at__isnull=True)
    now = timezone.now()
    if len(code) == RECOVERY_CODE_LENGTH:
        if unused.filter(code_hash=recovery_code_hash(code)).update(used_at=now, updated_at=now):
            return device
    elif len(code) == LEGACY_RECOVERY_CODE_LENGTH:
        # At most ten salted hashes to try, and only for people who still hold codes from before hashing.
        for row in unused.filter(code_hash__contains="$"):
            if check_password(code, row.code_hash):
                if unused.filter(pk=row.pk).update(used_at=now, updated_at=now):
                    return device
                return None
    return None


def mfa_check(*, user, code: str):
    """The device that accepts `code` (a TOTP code or a recovery code, which is used up), or None."""
    code = normalise_code(code)
    if not code or len(code) > RECOVERY_CODE_LENGTH:
        return None
    with transaction.atomic():
        if code.isdigit():
            for device in TOTPDevice.objects.filter(user=user, confirmed=True):
                if device.verify_token(code):
                    return device
        device = _recovery_code_use(user, code)
        if device is not None:
            audit_record(
                actor=user,
                action="mfa.recovery_code_used",
                object_type="accounts.user",
                object_id=user.pk,
                changes={"remaining": recovery_codes_remaining(user)},
            )
            return device
    # A wrong code is a security event: counted against the account by the reader of the audit trail.
    audit_record(actor=user, action="mfa.check_failed", object_type="accounts.user", object_id=user.pk)
    return None


def recovery_codes_remaining(user) -> int:
    return RecoveryCode.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True, used_at__isnull=True
    ).count()
