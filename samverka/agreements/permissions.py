"""Who may do what to an agreement. The one place the agreements app answers these questions."""

from samverka.accounts.access import ALL_AREA_ROLES, access_for
from samverka.accounts.models import AreaRoleKind, OrganisationRoleKind

from .models import Agreement, Party

COORDINATOR = [AreaRoleKind.COORDINATOR]


def can_manage(user, agreement: Agreement) -> bool:
    """Coordinators of the agreement's area (or above it) and platform admins."""
    return access_for(user).has_area_role(agreement.area, COORDINATOR)


def can_manage_area(user, area) -> bool:
    return access_for(user).has_area_role(area, COORDINATOR)


def _party_orgs(agreement: Agreement) -> set:
    return {p.organisation_id for p in agreement.parties.all() if p.organisation_id}


def is_party_admin(user, agreement: Agreement) -> bool:
    return bool(access_for(user).organisation_ids([OrganisationRoleKind.ADMIN]) & _party_orgs(agreement))


def is_signatory(user, agreement: Agreement) -> bool:
    return bool(user.is_authenticated) and any(
        s.user_id == user.pk for p in agreement.parties.all() for s in p.signatories.all()
    )


def can_view(user, agreement: Agreement) -> bool:
    """Staff of the area, members of a party organisation and signatories; everyone once published."""
    access = access_for(user)
    if access.has_area_role(agreement.area, ALL_AREA_ROLES):
        return True
    if not access.authenticated:
        return False
    return bool(access.organisation_ids() & _party_orgs(agreement)) or is_signatory(user, agreement)


def can_comment(user, agreement: Agreement) -> bool:
    return can_manage(user, agreement) or is_party_admin(user, agreement) or is_signatory(user, agreement)


def parties_user_speaks_for(user, agreement: Agreement) -> list[Party]:
    """Parties whose scores and comments this user may give: coordinators for the public bodies, admins for orgs."""
    access = access_for(user)
    admin_orgs = access.organisation_ids([OrganisationRoleKind.ADMIN])
    result = []
    for party in agreement.parties.all():
        speaks_for_org = bool(party.organisation_id) and party.organisation_id in admin_orgs
        speaks_for_area = bool(party.area_id) and access.has_area_role(party.area, COORDINATOR)
        if speaks_for_org or speaks_for_area or access.is_platform_admin:
            result.append(party)
    return result
