"""Who may do what with vouchers. Built on accounts.access.access_for, the one resolver of roles.

- run schemes, accreditations, decisions and settlements: officers with the "vouchers" capability in an area
  covering the scheme's area, and platform admins;
- read residents (and the voucher pages, which name them): only officers holding that grant for the resident's
  area; a platform admin without such a grant does not (the issue names no one else);
- apply for accreditation and claim: the organisation's own admins and members;
- read an accreditation's documents: officers of the scheme's area (as above) and the applying organisation's
  own admins and members;
- a provider reads its own clients (limited fields) through the vouchers it was chosen for.
"""

from django.db.models import Q

from samverka.accounts.access import access_for
from samverka.accounts.models import AreaRoleKind, Capability, OrganisationRoleKind

OFFICER_ROLES = (AreaRoleKind.OFFICER,)
ORG_ROLES = (OrganisationRoleKind.ADMIN, OrganisationRoleKind.MEMBER)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_active_user(user) -> bool:
    """Signed in and active: the users whose roles count (as accounts.access.Access.authenticated)."""
    return _authenticated(user) and bool(getattr(user, "is_active", False))


def is_voucher_officer(user, area) -> bool:
    return _authenticated(user) and access_for(user).has_area_role(area, OFFICER_ROLES, Capability.VOUCHERS)


def _resident_area_paths(user) -> list[str]:
    # area_paths reads the grants themselves: platform admin status does not widen it (has_area_role would).
    if not _authenticated(user):
        return []
    return access_for(user).area_paths(OFFICER_ROLES, Capability.VOUCHERS)


def reads_residents(user, area) -> bool:
    """Officers with the vouchers capability in an area covering `area`, by grant; never platform admins as such."""
    return area is not None and any(area.path.startswith(p) for p in _resident_area_paths(user))


def resident_area_q(user, lookup: str):
    """Q over rows whose area path (at `lookup`) lies within the areas where this user reads residents."""
    q = Q(pk__in=[])
    for path in _resident_area_paths(user):
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def officer_area_q(user, lookup: str):
    """Q over rows whose area path (at `lookup`) is within the areas this user runs vouchers in."""
    return access_for(user).area_filter(lookup, OFFICER_ROLES, Capability.VOUCHERS)


def has_any_voucher_role(user) -> bool:
    if not _authenticated(user):
        return False
    access = access_for(user)
    return access.is_platform_admin or bool(access.area_paths(OFFICER_ROLES, Capability.VOUCHERS))


def provider_organisation_ids(user) -> set:
    if not _authenticated(user):
        return set()
    return access_for(user).organisation_ids(ORG_ROLES)


def admin_organisation_ids(user) -> set:
    """The organisations whose own admins (not members) the user is: they keep what it says about itself."""
    if not is_active_user(user):
        return set()
    return access_for(user).organisation_ids((OrganisationRoleKind.ADMIN,))


def is_organisation_admin(user, organisation_id) -> bool:
    return organisation_id in admin_organisation_ids(user)


def acts_for_organisation(user, organisation_id) -> bool:
    return organisation_id in provider_organisation_ids(user)


def reads_accreditation_documents(user, accreditation) -> bool:
    return is_voucher_officer(user, accreditation.scheme.area) or acts_for_organisation(
        user, accreditation.organisation_id
    )
