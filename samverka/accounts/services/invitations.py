"""Invitations by e-mail to an area role or an organisation role.

The raw token is an HMAC of the invitation's random id under SECRET_KEY: only its SHA-256 is stored, and the
e-mail task derives the link again from the id, so the raw token is never written anywhere (not even in the
task queue).
"""

import datetime
from collections.abc import Iterable
from typing import NoReturn

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, NotFound, ValidationError

from ..access import Access, access_for
from ..models import (
    AreaRoleKind,
    Invitation,
    InvitationStatus,
    OrganisationRole,
    OrganisationRoleKind,
    User,
    hash_token,
)
from .roles import _check_capabilities, area_role_grant, organisation_role_grant, user_create

INVITATION_VALIDITY = datetime.timedelta(days=7)
# An HMAC key salt, not a secret (the secret is SECRET_KEY).
_TOKEN_SALT = "samverka.accounts.invitation"  # noqa: S105  # nosec B105


class InvitationUnusable(ConflictError):
    """The invitation was used, revoked or has expired."""

    status_code = 410


def invitation_token(invitation: Invitation) -> str:
    return salted_hmac(_TOKEN_SALT, invitation.pk.hex, algorithm="sha256").hexdigest()


def access_denied(
    *, actor, obj=None, object_type: str = "", object_id=None, area_id=None, organisation_id=None
) -> NoReturn:
    """Record the attempt and answer "not found" (another area's objects do not exist for this user)."""
    audit_record(
        actor=actor,
        action="access.denied",
        obj=obj,
        object_type=object_type or None,
        object_id=object_id,
        area_id=area_id,
        organisation_id=organisation_id,
    )
    raise NotFound(_("Not found."))


def may_manage_target(access: Access, *, area=None, organisation=None) -> bool:
    if area is not None:
        return access.may_manage_area(area)
    if organisation is not None:
        return access.may_manage_organisation(organisation)
    return False


def invitation_create(
    *,
    actor,
    email: str,
    area=None,
    area_role: str = "",
    capabilities: Iterable[str] = (),
    organisation=None,
    organisation_role: str = "",
) -> Invitation:
    from ..tasks import send_invitation_email

    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except DjangoValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if (area is None) == (organisation is None):
        errors["target"] = [_("Choose either an area or an organisation.")]
    elif area is not None and area_role not in AreaRoleKind.values:
        errors["area_role"] = [_("Choose a role.")]
    elif organisation is not None and organisation_role not in OrganisationRoleKind.values:
        errors["organisation_role"] = [_("Choose a role.")]
    if errors:
        raise ValidationError(_("Please correct the errors below."), errors)
    if not may_manage_target(access_for(actor), area=area, organisation=organisation):
        access_denied(
            actor=actor,
            obj=area or organisation,
            area_id=getattr(area, "pk", None),
            organisation_id=getattr(organisation, "pk", None),
        )
    caps = _check_capabilities(capabilities) if area is not None and area_role == AreaRoleKind.OFFICER else []
    pending = Invitation.objects.filter(
        email=email,
        area=area,
        organisation=organisation,
        status=InvitationStatus.PENDING,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            _("Please correct the errors below."), {"email": [_("This person already has a pending invitation here.")]}
        )
    with transaction.atomic():
        invitation = Invitation(
            email=email,
            invited_by=actor,
            area=area,
            area_role=area_role if area else "",
            capabilities=caps,
            organisation=organisation,
            organisation_role=organisation_role if organisation else "",
            expires_at=timezone.now() + INVITATION_VALIDITY,
            language=translation.get_language() or "",
        )
        invitation.token_hash = hash_token(invitation_token(invitation))
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=actor,
            action="invitation.create",
            obj=invitation,
            area_id=getattr(area, "pk", None),
            organisation_id=getattr(organisation, "pk", None),
            changes={
                "email": email,
                "role": area_role or organisation_role,
                "capabilities": caps,
                "expires_at": invitation.expires_at,
            },
        )
        invitation_id = str(invitation.pk)
        transaction.on_commit(lambda: send_invitation_email.enqueue(invitation_id))
    return invitation


def invitation_by_token(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("area", "organisation", "invited_by")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> tuple[Invitation, User]:
    """Accept with the logged-in account `user`, or create the account (name + password) when there is none."""
    with transaction.atomic():
        found = invitation_by_token(token)
        if found is None:
            raise NotFound(_("This invitation does not exist."))
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        invitation.area, invitation.organisation = found.area, found.organisation
        invitation.invited_by = found.invited_by
        if not invitation.is_usable:
            raise InvitationUnusable(_("This invitation can no longer be used."))
        inviter = invitation.invited_by
        # The inviter's right to grant this role is checked again now: a revoked coordinator's invitations lapse.
        if inviter is None or not may_manage_target(
            Access(inviter), area=invitation.area, organisation=invitation.organisation
        ):
            raise InvitationUnusable(_("This invitation can no longer be used."))
        if user is not None:
            if user.email.lower() != invitation.email:
                raise ValidationError(_("This invitation was sent to another e-mail address."), {})
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(_("You already have an account. Log in to accept the invitation."), {})
            full_name = (full_name or "").strip()
            errors: dict[str, list[str]] = {}
            if not full_name:
                errors["full_name"] = [_("Enter your name.")]
            try:
                validate_password(password or "", user=User(email=invitation.email, full_name=full_name))
            except DjangoValidationError as exc:
                errors["password1"] = list(exc.messages)
            if errors:
                raise ValidationError(_("Please correct the errors below."), errors)
            user = user_create(
                actor=None, email=invitation.email, password=password, full_name=full_name, home_area=invitation.area
            )
        _grant(invitation, inviter, user)
        invitation.status = InvitationStatus.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
        audit_record(
            actor=user,
            action="invitation.accept",
            obj=invitation,
            area_id=invitation.area_id,
            organisation_id=invitation.organisation_id,
            changes={"status": {"before": InvitationStatus.PENDING, "after": InvitationStatus.ACCEPTED}},
        )
    return invitation, user


def _grant(invitation: Invitation, inviter: User, user: User) -> None:
    if invitation.area_id:
        area_role_grant(
            actor=inviter,
            user=user,
            area=invitation.area,
            role=invitation.area_role,
            capabilities=invitation.capabilities,
        )
        return
    current = OrganisationRole.objects.filter(user=user, organisation=invitation.organisation).first()
    if current is not None and current.role == OrganisationRoleKind.ADMIN:
        return  # an invitation as member never demotes an admin
    organisation_role_grant(
        actor=inviter, user=user, organisation=invitation.organisation, role=invitation.organisation_role
    )


def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if not may_manage_target(access_for(actor), area=invitation.area, organisation=invitation.organisation):
        access_denied(
            actor=actor, obj=invitation, area_id=invitation.area_id, organisation_id=invitation.organisation_id
        )
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != InvitationStatus.PENDING:
            raise ConflictError(_("Only pending invitations can be revoked."))
        locked.status = InvitationStatus.REVOKED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="invitation.revoke",
            obj=locked,
            area_id=locked.area_id,
            organisation_id=locked.organisation_id,
            changes={"status": {"before": InvitationStatus.PENDING, "after": InvitationStatus.REVOKED}},
        )
    invitation.status = locked.status
    return locked
