"""A forum world for dialogue tests, built through the services."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from samverka.accounts.tests.factories import grant_area_role, grant_organisation_role, make_user
from samverka.agreements.tests.factories import make_organisation
from samverka.dialogue import services
from samverka.registry.tests.factories import area


@dataclass
class World:
    county: object
    coordinator: object
    organisation: object
    org_admin: object
    forum: object
    meeting: object


def make_world(*, is_public: bool = False) -> World:
    county = area("NO", "32")
    municipality = area("NO", "3201")
    coordinator = make_user(full_name="Kari Koordinator")
    grant_area_role(coordinator, county, "coordinator")
    org = make_organisation("Bærum Besøksvenner", municipality)
    org_admin = make_user(full_name="Ola Organisasjon")
    grant_organisation_role(org_admin, org, "admin")
    forum = services.forum_create(
        actor=coordinator, area=county, name="Samarbeidsrådet", is_public=is_public, mandate="Råd om frivillighet."
    )
    services.forum_member_add(actor=coordinator, forum=forum, organisation=org, email="leder@example.org", name="Ola")
    services.forum_member_add(actor=coordinator, forum=forum, user=coordinator, represents_public_body=True)
    start = timezone.now() - datetime.timedelta(days=30)
    meeting = services.meeting_create(
        actor=coordinator,
        forum=forum,
        title="Møte 1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Rådhuset",
    )
    return World(county, coordinator, org, org_admin, forum, meeting)
