"""The agreement's lifecycle: draft → consultation → agreed → signing → active → review → renewed/ended.

Each transition locks the agreement row (select_for_update) and checks the state inside the lock, so two
people pressing the same button at once get one transition and one ConflictError.
"""

import datetime
import hmac
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError

from .. import permissions
from ..models import (
    IN_FORCE,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    RenewalDecision,
    Review,
    ReviewStatus,
    Signatory,
    Signature,
)
from ..pdf import signed_pdf_store_quietly
from .common import Forbidden, invalid, locked, require_manager, require_status

S = AgreementStatus
TRANSITIONS = {
    # action: (allowed from, to)
    "open_consultation": ((S.DRAFT,), S.CONSULTATION),
    "agree": ((S.CONSULTATION,), S.AGREED),
    "start_signing": ((S.AGREED, S.REVIEW), S.SIGNING),
    "start_review": ((S.ACTIVE, S.RENEWED), S.REVIEW),
    "conclude_review": ((S.REVIEW,), S.ACTIVE),
    "renew": ((S.REVIEW,), S.RENEWED),
    "end": ((S.ACTIVE, S.REVIEW, S.RENEWED), S.ENDED),
}


def _fully_signed(version: AgreementVersion) -> bool:
    signatories = Signatory.objects.filter(party__agreement_id=version.agreement_id)
    return signatories.exists() and not signatories.exclude(signatures__version=version).exists()


def agreement_transition(
    *, actor, agreement: Agreement, action: str, ends: datetime.date | None = None, today: datetime.date | None = None
) -> Agreement:
    if action not in TRANSITIONS:
        raise invalid({"action": [_("Unknown action.")]})
    allowed, target = TRANSITIONS[action]
    today = today or timezone.localdate()
    with transaction.atomic():
        agreement = locked(agreement)
        require_manager(actor, agreement)
        require_status(agreement, allowed, action)
        version = agreement.version
        before = agreement.status
        changes: dict[str, Any] = {"status": {"before": before, "after": target}}
        if action == "start_signing":
            parties = list(agreement.parties.prefetch_related("signatories"))
            missing = [str(p) for p in parties if not p.signatories.all()]
            if missing:
                raise invalid(
                    {"signatories": [_("Name a signatory for: %(parties)s.") % {"parties": ", ".join(missing)}]}
                )
            if _fully_signed(version):
                raise ConflictError(_("The current version is already signed; change the text to make an amendment."))
            # From here on the text can never change; the update bypasses save() on purpose.
            AgreementVersion.objects.filter(pk=version.pk).update(frozen=True)
            changes["version"] = version.number
        elif action in ("conclude_review", "renew") and not _fully_signed(version):
            # Back in force only with a signed text: an amendment made during the review needs new signatures.
            raise ConflictError(_("The text was amended: the new version must be signed (start signing)."))
        elif action == "renew":
            if ends is None or (agreement.ends and ends <= agreement.ends) or ends <= today:
                raise invalid({"ends": [_("Give a new end date later than the current one.")]})
            changes["ends"] = {"before": agreement.ends, "after": ends}
            agreement.ends = ends
            agreement.renewal_decision = RenewalDecision.RENEW
        elif action == "end":
            agreement.renewal_decision = RenewalDecision.END
        if action == "start_review":
            Review.objects.get_or_create(agreement=agreement, year=today.year)
        if action in ("conclude_review", "renew", "end"):
            Review.objects.filter(agreement=agreement, status=ReviewStatus.OPEN).update(status=ReviewStatus.CLOSED)
        agreement.status = target
        agreement.save()
        audit_record(
            actor=actor, action=f"agreement.{action}", obj=agreement, area_id=agreement.area_id, changes=changes
        )
    return agreement


def _verify_fresh_totp(user, token: str) -> TOTPDevice:
    """A code from one of the user's confirmed TOTP devices, checked now (django_otp refuses a reused code)."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        raise invalid({"otp_token": [_("Enter the six-digit code from your authenticator app.")]})
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        raise invalid({"otp_token": [_("Set up two-step verification before you sign.")]})
    for device in devices:
        if device.verify_token(token):
            return device
    raise invalid({"otp_token": [_("The code is not valid. Enter a new code from your authenticator app.")]})


def agreement_sign(*, actor, agreement: Agreement, otp_token: str, text_sha256: str) -> Signature:
    """The actor signs the version being signed. `text_sha256` is the hash of the text they were shown: if it
    differs from the stored text, nothing is signed. When every signatory has signed, the agreement is active."""
    if agreement.status != AgreementStatus.SIGNING:
        require_status(agreement, (AgreementStatus.SIGNING,), _("sign"))
    if not permissions.is_signatory(actor, agreement):
        raise Forbidden(_("You are not a signatory of this agreement."))
    # Checked outside the transaction so failed attempts count towards django_otp's throttling.
    device = _verify_fresh_totp(actor, otp_token)
    with transaction.atomic():
        agreement = locked(agreement)
        require_status(agreement, (AgreementStatus.SIGNING,), _("sign"))
        version = agreement.version  # read afresh: `locked()` returned a new instance
        actual = version.compute_sha256()
        if not (
            version.frozen
            and hmac.compare_digest(actual, version.text_sha256)
            and hmac.compare_digest(actual, (text_sha256 or "").strip().lower())
        ):
            raise ConflictError(_("The text changed after you opened it. Read it again before signing."))
        signatory = (
            Signatory.objects.filter(party__agreement=agreement, user=actor)
            .exclude(signatures__version=version)
            .order_by("created_at")
            .first()
        )
        if signatory is None:
            raise ConflictError(_("You have already signed this version."))
        signature = Signature.objects.create(
            version=version,
            signatory=signatory,
            user=actor,
            signed_at=timezone.now(),
            text_sha256=actual,
            mfa_device=device.persistent_id,
        )
        changes = {"version": version.number, "text_sha256": actual, "signatory": signatory.name}
        activated = _fully_signed(version)
        if activated:
            changes["status"] = {"before": agreement.status, "after": AgreementStatus.ACTIVE}
            agreement.status = AgreementStatus.ACTIVE
            Review.objects.filter(agreement=agreement, status=ReviewStatus.OPEN).update(status=ReviewStatus.CLOSED)
            agreement.save()
        audit_record(actor=actor, action="agreement.sign", obj=agreement, area_id=agreement.area_id, changes=changes)
    if activated:
        # After the signing has committed: a failure here leaves the PDF to the first download (see pdf.py).
        signed_pdf_store_quietly(agreement, version)
    return signature


def in_force(agreement: Agreement) -> bool:
    return agreement.status in IN_FORCE
