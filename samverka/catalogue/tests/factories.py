"""Building catalogue data for tests through the service functions (as users would)."""

import itertools

from samverka.accounts.tests.factories import grant_area_role, grant_organisation_role, make_user
from samverka.registry.tests.factories import OrganisationFactory, area

from .. import services

_seq = itertools.count(1)


def platform_admin():
    return make_user(f"admin{next(_seq)}@example.org", is_superuser=True)


def service_data(**overrides) -> dict:
    data = {
        "kind": "low_threshold",
        "access_mode": "drop_in",
        "status": "active",
    }
    data.update(overrides)
    if not any(data.get(f"name_{code}") for code in ("nb", "sv", "fi", "en")):
        data["name_nb"] = f"Tjeneste {next(_seq)}"
    return data


def make_service(organisation=None, *, actor=None, **overrides):
    """A published service (unless status says otherwise) of `organisation` (a new NO one in Bærum by default)."""
    if organisation is None:
        organisation = OrganisationFactory(home_area=area("NO", "3201"), name=f"Lag {next(_seq)}")
    service, _proposal = services.service_create(
        actor=actor or platform_admin(), organisation=organisation, data=service_data(**overrides)
    )
    return service


def coordinator_for(county_code: str = "32"):
    user = make_user()
    grant_area_role(user, area("NO", county_code, kind="county"), "coordinator")
    return user


def org_member(organisation, role: str = "admin"):
    user = make_user()
    grant_organisation_role(user, organisation, role)
    return user
