"""Writes on accounts and roles. Each validates, writes in one transaction and leaves an audit event."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ValidationError

from ..models import AreaRole, AreaRoleKind, Capability, OrganisationRole, OrganisationRoleKind, User


def user_create(*, actor, email: str, password: str | None = None, full_name: str = "", home_area=None) -> User:
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Please correct the errors below."), {"email": [_("A user with this e-mail exists.")]})
    with transaction.atomic():
        user = User(email=email, full_name=full_name, home_area=home_area)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=actor, action="user.create", obj=user, changes={"email": email})
    return user


def _check_capabilities(capabilities: Iterable[str]) -> list[str]:
    caps = sorted(set(capabilities))
    unknown = [c for c in caps if c not in Capability.values]
    if unknown:
        raise ValidationError(_("Please correct the errors below."), {"capabilities": [_("Unknown capability.")]})
    return caps


def area_role_grant(*, actor, user: User, area, role: str, capabilities: Iterable[str] = ()) -> AreaRole:
    if role not in AreaRoleKind.values:
        raise ValidationError(_("Please correct the errors below."), {"role": [_("Unknown role.")]})
    caps = _check_capabilities(capabilities) if role == AreaRoleKind.OFFICER else []
    with transaction.atomic():
        grant, created = AreaRole.objects.select_for_update().get_or_create(
            user=user, area=area, role=role, defaults={"capabilities": caps}
        )
        if not created and grant.capabilities != caps:
            before = grant.capabilities
            grant.capabilities = caps
            grant.save(update_fields=["capabilities", "updated_at"])
            audit_record(
                actor=actor,
                action="area_role.update",
                obj=grant,
                area_id=area.pk,
                changes={"capabilities": {"before": before, "after": caps}},
            )
        elif created:
            audit_record(
                actor=actor,
                action="area_role.grant",
                obj=grant,
                area_id=area.pk,
                changes={"user": user.email, "role": role, "capabilities": caps},
            )
    return grant


def area_role_revoke(*, actor, grant: AreaRole) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="area_role.revoke",
            obj=grant,
            area_id=grant.area_id,
            changes={"user": grant.user.email, "role": grant.role},
        )
        grant.delete()


def organisation_role_grant(*, actor, user: User, organisation, role: str) -> OrganisationRole:
    if role not in OrganisationRoleKind.values:
        raise ValidationError(_("Please correct the errors below."), {"role": [_("Unknown role.")]})
    with transaction.atomic():
        grant, created = OrganisationRole.objects.select_for_update().get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        if created or grant.role != role:
            before = None if created else grant.role
            grant.role = role
            grant.save(update_fields=["role", "updated_at"])
            audit_record(
                actor=actor,
                action="organisation_role.grant",
                obj=grant,
                organisation_id=organisation.pk,
                changes={"user": user.email, "role": {"before": before, "after": role}},
            )
    return grant


def organisation_role_revoke(*, actor, grant: OrganisationRole) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organisation_role.revoke",
            obj=grant,
            organisation_id=grant.organisation_id,
            changes={"user": grant.user.email, "role": grant.role},
        )
        grant.delete()


def user_logout_everywhere(*, actor, user: User) -> int:
    """Bump the user's session epoch: every session carrying the old epoch ends on its next request."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = locked.session_epoch
        locked.session_epoch = before + 1
        locked.save(update_fields=["session_epoch", "updated_at"])
        audit_record(
            actor=actor,
            action="user.logout_everywhere",
            obj=locked,
            changes={"session_epoch": {"before": before, "after": locked.session_epoch}},
        )
    user.session_epoch = locked.session_epoch
    return locked.session_epoch


def user_password_changed(*, actor, user: User, how: str) -> None:
    """Audit a password change ("change": the user with the old password; "reset": through an e-mailed link).
    Neither password is recorded."""
    audit_record(actor=actor, action=f"user.password_{how}", obj=user)
