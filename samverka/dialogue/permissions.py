"""Who may see and run forums and hearings."""

from samverka.accounts.access import ALL_AREA_ROLES, access_for
from samverka.accounts.models import AreaRoleKind

COORDINATOR = [AreaRoleKind.COORDINATOR]


def can_manage_area(user, area) -> bool:
    return access_for(user).has_area_role(area, COORDINATOR)


def can_manage(user, forum) -> bool:
    return can_manage_area(user, forum.area)


def is_member(user, forum) -> bool:
    access = access_for(user)
    if not access.authenticated:
        return False
    orgs = access.organisation_ids()
    return any(m.user_id == user.pk or (m.organisation_id and m.organisation_id in orgs) for m in forum.members.all())


def can_view(user, forum) -> bool:
    """Public forums: everyone. Closed forums: the area's staff and the forum's members."""
    return forum.is_public or access_for(user).has_area_role(forum.area, ALL_AREA_ROLES) or is_member(user, forum)


def can_update_action(user, action) -> bool:
    access = access_for(user)
    if can_manage(user, action.forum) or (access.authenticated and action.owner_user_id == user.pk):
        return True
    return bool(action.owner_organisation_id and action.owner_organisation_id in access.organisation_ids())
