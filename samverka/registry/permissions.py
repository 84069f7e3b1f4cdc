"""Who may do what with an organisation. Built on accounts.access.access_for, the one resolver of roles.

- view the staff side (list, private fields, yearly figures): platform admins, anyone with an area role
  (coordinator, officer, viewer) in an area covering one of the organisation's areas or its home area, and
  the organisation's own admins and members;
- edit (profile and yearly figures): platform admins, coordinators and officers covering it, and the
  organisation's own admins ("staff and the organisation's own admins edit it"; members read only);
- create: platform admins and coordinators/officers (in the areas they give the new organisation);
- see the history (audit trail): platform admins and coordinators covering it.
"""

import rules

from samverka.accounts.access import ALL_AREA_ROLES, STAFF_ROLES, access_for
from samverka.accounts.models import AreaRoleKind, OrganisationRoleKind

OWN_ORG_EDIT_ROLES = (OrganisationRoleKind.ADMIN,)
# Fields only staff may change; an organisation's own people edit the rest of their profile.
STAFF_ONLY_FIELDS = frozenset({"country", "org_number", "trusted_publisher", "in_volunteer_register"})


def organisation_areas(organisation) -> list:
    """The areas an organisation answers to: the areas it serves and its home area."""
    areas = list(organisation.areas.all())
    if organisation.home_area_id and organisation.home_area not in areas:
        areas.append(organisation.home_area)
    return areas


def _covers(user, organisation, roles) -> bool:
    access = access_for(user)
    if access.is_platform_admin:
        return True
    if not access.area_paths(roles):
        return False
    return any(access.has_area_role(area, roles) for area in organisation_areas(organisation))


@rules.predicate
def is_platform_admin(user) -> bool:
    return access_for(user).is_platform_admin


@rules.predicate
def has_any_area_role(user) -> bool:
    return access_for(user).is_platform_admin or access_for(user).is_area_member


@rules.predicate
def has_staff_area_role(user) -> bool:
    access = access_for(user)
    return access.is_platform_admin or bool(access.area_paths(STAFF_ROLES))


@rules.predicate
def area_role_covers(user, organisation) -> bool:
    return _covers(user, organisation, ALL_AREA_ROLES)


@rules.predicate
def staff_covers(user, organisation) -> bool:
    return _covers(user, organisation, STAFF_ROLES)


@rules.predicate
def coordinator_covers(user, organisation) -> bool:
    return _covers(user, organisation, (AreaRoleKind.COORDINATOR,))


@rules.predicate
def is_own_organisation(user, organisation) -> bool:
    """Any role (admin or member) in the organisation."""
    return access_for(user).organisation_role(organisation) is not None


@rules.predicate
def is_own_organisation_admin(user, organisation) -> bool:
    return access_for(user).organisation_role(organisation) in OWN_ORG_EDIT_ROLES


registry_rules = rules.RuleSet()
registry_rules.add_rule("use_registry", has_any_area_role)
registry_rules.add_rule("create_organisation", has_staff_area_role)
registry_rules.add_rule("view_organisation_staff", area_role_covers | is_own_organisation)
registry_rules.add_rule("edit_organisation", staff_covers | is_own_organisation_admin)
registry_rules.add_rule("edit_organisation_staff_fields", staff_covers)
registry_rules.add_rule("view_organisation_history", coordinator_covers)
# "A coordinator can let a trusted organisation publish directly" (catalogue change proposals skipped).
registry_rules.add_rule("trust_organisation", coordinator_covers)


def can(rule: str, user, organisation=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if organisation is None:
        return registry_rules.test_rule(rule, user)
    return registry_rules.test_rule(rule, user, organisation)


def can_use_registry(user) -> bool:
    """May open the staff registry list: platform admins and anyone with an area role."""
    return can("use_registry", user)


def can_create(user) -> bool:
    return can("create_organisation", user)


def can_view_staff(user, organisation) -> bool:
    return can("view_organisation_staff", user, organisation)


def can_edit(user, organisation) -> bool:
    return can("edit_organisation", user, organisation)


def can_edit_staff_fields(user, organisation) -> bool:
    return can("edit_organisation_staff_fields", user, organisation)


def can_view_history(user, organisation) -> bool:
    return can("view_organisation_history", user, organisation)


def can_trust(user, organisation) -> bool:
    """May let the organisation publish its services directly: coordinators covering it (and platform admins)."""
    return can("trust_organisation", user, organisation)


def can_place_in_areas(user, areas) -> bool:
    """A coordinator/officer may give an organisation only areas their role covers."""
    access = access_for(user)
    if access.is_platform_admin:
        return True
    return bool(areas) and all(access.has_area_role(a, STAFF_ROLES) for a in areas)
