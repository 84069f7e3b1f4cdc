"""Personal API tokens: created with the raw value shown once, stored as a SHA-256, revoked at once."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, ValidationError

from ..models import ApiToken, User, hash_token

MAX_ACTIVE_TOKENS = 50


def api_token_create(
    *, actor, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns (token, raw). The raw value exists only in this return value."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name.")]
    elif len(name) > 100:
        errors["name"] = [_("Use at most 100 characters.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(_("Please correct the errors below."), errors)
    if actor is None or actor.pk != user.pk:
        # Tokens are personal: nobody creates one for somebody else.
        raise ValidationError(
            _("Please correct the errors below."), {"user": [_("You can only create your own tokens.")]}
        )
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ConflictError(_("You have too many active tokens. Revoke one first."))
        raw = ApiToken.generate_raw()
        token = ApiToken(user=user, name=name, token_hash=hash_token(raw), last_four=raw[-4:], expires_at=expires_at)
        token.full_clean()
        token.save()
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            changes={"name": name, "last_four": token.last_four, "expires_at": expires_at},
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=locked,
            changes={"revoked_at": {"before": None, "after": locked.revoked_at}},
        )
    token.revoked_at = locked.revoked_at
    return locked
