"""Who may do what with a service. Built on accounts.access (roles) and registry.permissions (organisations).

- manage (create, edit, verify): staff (coordinators, officers) covering the owner, and the organisation's own
  admins and members; services of the public body itself: staff covering that area;
- publish directly: staff covering the owner, and members of an organisation marked trusted_publisher;
  everyone else's edit of a published service becomes a change proposal;
- review proposals (approve, reject): coordinators covering the owner (and platform admins).
"""

from samverka.accounts.access import STAFF_ROLES, access_for
from samverka.accounts.models import AreaRoleKind
from samverka.registry import permissions as registry_permissions

COORDINATOR = (AreaRoleKind.COORDINATOR,)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_manage_organisation(user, organisation) -> bool:
    if not _authenticated(user):
        return False
    return bool(
        registry_permissions.staff_covers(user, organisation)
        or registry_permissions.is_own_organisation(user, organisation)
    )


def can_manage_area(user, area) -> bool:
    return _authenticated(user) and access_for(user).has_area_role(area, STAFF_ROLES)


def can_manage(user, service) -> bool:
    if service.organisation_id:
        return can_manage_organisation(user, service.organisation)
    return can_manage_area(user, service.area)


def is_staff_for(user, service) -> bool:
    if not _authenticated(user):
        return False
    if service.organisation_id:
        return bool(registry_permissions.staff_covers(user, service.organisation))
    return can_manage_area(user, service.area)


def publishes_directly(user, service) -> bool:
    if is_staff_for(user, service):
        return True
    return bool(service.organisation_id and service.organisation.trusted_publisher and can_manage(user, service))


def can_review(user, service) -> bool:
    if not _authenticated(user):
        return False
    if service.organisation_id:
        return bool(registry_permissions.coordinator_covers(user, service.organisation))
    return access_for(user).has_area_role(service.area, COORDINATOR)


def reviewer_area_filter(user, prefix: str = "service__"):
    """Q over proposals/services (at `prefix`) whose owner lies in an area the user coordinates."""
    access = access_for(user)
    return (
        access.area_filter(f"{prefix}organisation__areas__path", COORDINATOR)
        | access.area_filter(f"{prefix}organisation__home_area__path", COORDINATOR)
        | access.area_filter(f"{prefix}area__path", COORDINATOR)
    )
