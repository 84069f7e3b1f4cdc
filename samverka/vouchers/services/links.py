"""The resident's own way in: a time-limited signed link (django.core.signing) to choose or change the provider.

Residents have no account. An officer creates a link on the voucher page; it carries the voucher's id and a random
nonce kept on the voucher, signed with a timestamp. Creating a new link replaces the nonce, so the older link stops
working; so does the voucher ending (lapsed, cancelled). The token is never stored or audited: only the nonce is.
"""

import datetime
import secrets
import uuid

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, DomainError, NotFound

from .. import permissions
from ..models import Voucher, VoucherStatus

SALT = "samverka.vouchers.choice-link"
LINK_VALID = datetime.timedelta(days=14)


class LinkRefused(DomainError):
    """A link that cannot be used: tampered or unknown (400), expired, replaced or for a voucher that ended (410)."""

    def __init__(self, detail: str, status_code: int):
        super().__init__(detail)
        self.status_code = status_code


def choice_link_create(*, actor, voucher) -> tuple[str, datetime.datetime]:
    """A new link for the resident (the token and when it expires); any older link of the voucher stops working."""
    if not permissions.reads_residents(actor, voucher.scheme.area):
        raise NotFound(_("Not found."))
    from .decisions import _locked

    with transaction.atomic():
        current = _locked(voucher)
        if current.status != VoucherStatus.ACTIVE:
            raise ConflictError(_("Only an active voucher can have a link for choosing the provider."))
        current.choice_link_nonce = secrets.token_urlsafe(12)
        current.save(update_fields=["choice_link_nonce", "updated_at"])
        expires = timezone.now() + LINK_VALID
        audit_record(
            actor=actor,
            action="vouchers.voucher.choice_link",
            obj=current,
            area_id=current.scheme.area_id,
            changes={"expires": expires, "replaces_older_links": True},
        )
    token = signing.dumps({"v": str(current.pk), "n": current.choice_link_nonce}, salt=SALT)
    return token, expires


def _refused_invalid() -> LinkRefused:
    return LinkRefused(
        _("This link is not valid. Check that you copied all of it, or ask your case officer for a new link."), 400
    )


def choice_link_open(token: str) -> tuple[Voucher, str]:
    """(the voucher, the link's nonce) of a link that may be used now, or LinkRefused saying why not."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=LINK_VALID)
    except signing.SignatureExpired:
        raise LinkRefused(_("This link has expired. Ask your case officer for a new link."), 410) from None
    except signing.BadSignature:
        raise _refused_invalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        raise _refused_invalid()
    try:
        voucher_id = uuid.UUID(str(data.get("v")))
    except ValueError:
        raise _refused_invalid() from None
    voucher = (
        Voucher.objects.select_related(
            "scheme__area", "scheme__category", "resident", "account", "provider__organisation"
        )
        .filter(pk=voucher_id)
        .first()
    )
    if voucher is None:
        raise _refused_invalid()
    if not voucher.choice_link_nonce or not constant_time_compare(data["n"], voucher.choice_link_nonce):
        raise LinkRefused(
            _("This link has been replaced by a newer one. Use the newest link you were given."),
            410,
        )
    if voucher.status != VoucherStatus.ACTIVE:
        raise LinkRefused(_("This voucher is no longer active, so the provider cannot be changed."), 410)
    return voucher, data["n"]
