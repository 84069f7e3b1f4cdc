"""Demo dialogue (idempotent): the Akershus cooperation council with a past meeting, minutes, decisions and
open actions, a planned next meeting, and an open hearing. Run after the registry demo."""

import datetime

from django.db import transaction
from django.utils import timezone

from samverka.accounts.models import OrganisationRole, User
from samverka.areas.models import Area

from . import hearings, services
from .hearing_models import Hearing
from .models import Forum

FORUM = "Samarbeidsrådet for frivillighet i Akershus"
HEARING = "Høring: Strategi for samarbeid med frivillig sektor 2026–2030"


def _forum(coordinator, ngo, org, county) -> bool:
    if Forum.objects.filter(name=FORUM).exists():
        return False
    forum = services.forum_create(
        actor=coordinator,
        area=county,
        name=FORUM,
        is_public=True,
        mandate="Rådet gir råd om samarbeid mellom fylket, kommunene og frivillige organisasjoner i helse og omsorg.",
    )
    services.forum_member_add(
        actor=coordinator, forum=forum, user=coordinator, represents_public_body=True, role="Frivillighetskoordinator"
    )
    services.forum_member_add(
        actor=coordinator, forum=forum, user=ngo, organisation=org, name=ngo.full_name, role="Leder"
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = services.meeting_create(
        actor=coordinator,
        forum=forum,
        title="Rådsmøte vår",
        starts_at=now - datetime.timedelta(days=40),
        ends_at=now - datetime.timedelta(days=40, hours=-2),
        place="Fylkeshuset, Oslo",
    )
    services.agenda_item_add(
        actor=coordinator,
        meeting=past,
        title="Lokaler for frivillige",
        proposer_name=ngo.full_name,
        proposer_organisation=org,
    )
    services.minutes_save(
        actor=coordinator,
        meeting=past,
        text="Rådet drøftet tilgang til lokaler og lengre avtaleperioder.",
        open_space_summary="Gruppene ønsket en felles oversikt over ledige lokaler og færre rapporteringskrav.",
        present_member_ids=[m.pk for m in forum.members.all()],
    )
    d1 = services.decision_add(actor=coordinator, meeting=past, text="Fylket lager en oversikt over lokaler.")
    d2 = services.decision_add(actor=coordinator, meeting=past, text="Organisasjonene foreslår forenklet rapportering.")
    services.action_create(
        actor=coordinator,
        meeting=past,
        title="Oversikt over ledige lokaler",
        decision=d1,
        owner_user=coordinator,
        due=(now - datetime.timedelta(days=5)).date(),
    )
    services.action_create(
        actor=coordinator,
        meeting=past,
        title="Forslag til enklere rapport",
        decision=d2,
        owner_organisation=org,
        due=(now + datetime.timedelta(days=20)).date(),
    )
    services.meeting_create(
        actor=coordinator,
        forum=forum,
        title="Rådsmøte høst",
        starts_at=now + datetime.timedelta(days=30),
        ends_at=now + datetime.timedelta(days=30, hours=2),
        link="https://meet.example/akershus",
    )
    return True


def _hearing(coordinator, county) -> bool:
    if Hearing.objects.filter(title=HEARING).exists():
        return False
    now = timezone.now()
    h = hearings.hearing_create(
        actor=coordinator,
        area=county,
        title=HEARING,
        intro="Fylket ber innbyggere og organisasjoner om innspill.",
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=27),
        sections=[
            {"heading": "1. Mål", "text": "Frivillige organisasjoner skal være en fast del av tjenestestiene."},
            {"heading": "2. Avtaler", "text": "Samarbeidsavtaler skal som hovedregel vare minst fem år."},
        ],
    )
    hearings.hearing_transition(actor=coordinator, hearing=h, action="open")
    return True


def load_demo() -> str:
    coordinator = User.objects.get(email="coordinator.akershus@samverka.example")
    ngo = User.objects.get(email="ngo.akershus@samverka.example")
    role = OrganisationRole.objects.filter(user=ngo, role="admin").select_related("organisation").first()
    if role is None:
        raise LookupError(f"{ngo.email} administers no organisation: load the registry demo first.")
    org = role.organisation
    county = Area.objects.get(country="NO", kind="county", code="32")
    with transaction.atomic():
        forums = int(_forum(coordinator, ngo, org, county))
        heard = int(_hearing(coordinator, county))
    return f"Dialogue demo: created {forums} forum with meetings, minutes and actions, and {heard} open hearing."
