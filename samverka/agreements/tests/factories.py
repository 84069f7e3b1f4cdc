"""Agreements for tests, built through the services."""

import datetime
from dataclasses import dataclass

from samverka.accounts.tests.factories import confirmed_device, grant_area_role, grant_organisation_role, make_user
from samverka.agreements import services
from samverka.agreements.models import Agreement, PrincipleSet, Template
from samverka.registry.models import Organisation
from samverka.registry.tests.factories import area, valid_number


def make_organisation(name: str, area_obj=None) -> Organisation:
    """An organisation active in `area_obj`, without the registry's search facets: agreements and forums never
    search them, and rebuilding them costs about 0.2 s per organisation on SQLite (the matrices make hundreds)."""
    org = Organisation.objects.create(
        country="NO",
        org_number=valid_number("NO"),
        name=name,
        legal_form="association",
        status="active",
        home_area=area_obj,
    )
    if area_obj is not None:
        org.areas.set([area_obj])
    return org


@dataclass
class World:
    county: object
    municipality: object
    coordinator: object
    organisation: object
    org_admin: object
    agreement: Agreement


def make_world(*, template_code: str = "municipal-cooperation", kind: str = "municipal_cooperation") -> World:
    county = area("NO", "32")
    municipality = area("NO", "3201")
    coordinator = make_user(full_name="Kari Koordinator")
    grant_area_role(coordinator, county, "coordinator")
    confirmed_device(coordinator)
    org = make_organisation("Bærum Besøksvenner", municipality)
    org_admin = make_user(full_name="Ola Organisasjon")
    grant_organisation_role(org_admin, org, "admin")
    confirmed_device(org_admin)
    template = Template.objects.get(code=template_code, language="nb")
    agreement = services.agreement_create(
        actor=coordinator,
        area=municipality,
        kind=kind,
        template=template,
        organisations=[org],
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2030, 12, 31),
        review_date=datetime.date(2026, 1, 15),
        values={"purpose": "Besøksvenner for eldre.", "contact": "Kari"},
        principle_set=PrincipleSet.objects.get(code="no-state-nonprofit-agreement"),
    )
    return World(county, municipality, coordinator, org, org_admin, agreement)


def to_signing(world: World) -> Agreement:
    """Parties get signatories (the coordinator for the public body, the org admin for the organisation)."""
    a = world.agreement
    public, org_party = list(a.parties.order_by("organisation"))  # area party first (organisation NULL)
    if public.organisation_id:
        public, org_party = org_party, public
    services.signatory_add(actor=world.coordinator, party=public, user=world.coordinator, position="Kommunedirektør")
    services.signatory_add(actor=world.coordinator, party=org_party, user=world.org_admin, position="Styreleder")
    for action in ("open_consultation", "agree", "start_signing"):
        a = services.agreement_transition(actor=world.coordinator, agreement=a, action=action)
    return a
