"""Schedules keep their place when edited on the page; matches are marked in every language shown;
the shipped categories carry their Open Eligibility-style mapping in the HSDS API."""

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import staff_login
from samverka.catalogue.models import Schedule, TaxonomyTerm
from samverka.catalogue.services import location_create, service_state
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag S")


def _form(state: dict, **schedule) -> dict:
    form = {k: v for k, v in state.items() if k != "schedules" and v not in (None, [], "")}
    form.update({"schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "1"})
    form.update({f"schedules-0-{k}": v for k, v in schedule.items()})
    return form


def test_editing_a_schedule_on_the_page_keeps_and_changes_its_location(client, org):
    admin = platform_admin()
    place = location_create(actor=admin, organisation=org, data={"name": "Huset"})
    other = location_create(actor=admin, organisation=org, data={"name": "Hytta"})
    service = make_service(
        org,
        locations=[str(place.pk), str(other.pk)],
        schedules=[
            {
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "dtstart": "2025-01-07",
                "opens_at": "18:00",
                "closes_at": "20:00",
                "location": str(place.pk),
            }
        ],
    )
    schedule = Schedule.objects.get(service=service)
    staff_login(client, coordinator_for("32"))
    url = reverse("catalogue:service_edit", args=[service.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{place.pk}" selected>' in page
    base = {
        "id": str(schedule.pk),
        "kind": "opening_hours",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "dtstart": "2025-01-07",
        "opens_at": "18:00",
        "closes_at": "21:00",
    }
    response = client.post(url, _form(service_state(service), **base, location=str(place.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule.refresh_from_db()
    assert (schedule.location_id, schedule.closes_at.hour) == (place.pk, 21)
    client.post(url, _form(service_state(service), **base, location=str(other.pk)))
    schedule.refresh_from_db()
    assert schedule.location_id == other.pk


def test_finder_marks_matches_in_the_other_languages(client, org):
    make_service(org, name_nb="Kaffetreff", name_sv="Träff för föreningar", summary_sv="Föreningen bjuder på kaffe.")
    body = client.get(reverse("catalogue:index"), {"q": "föreningarna"}).content.decode()
    assert "<mark>föreningar</mark>" in body and "<mark>Föreningen</mark>" in body
    assert 'lang="sv"' in body


def test_service_page_opened_from_a_search_marks_matches_in_every_language(client, org):
    service = make_service(
        org,
        name_nb="Sorggruppe",
        name_en="Grief group",
        description_nb="Vi snakker om sorg.",
        description_en="We talk about grief and sorg.",
    )
    body = client.get(reverse("catalogue:service_detail", args=[service.pk]), {"q": "sorg"}).content.decode()
    assert "Vi snakker om <mark>sorg</mark>." in body
    assert "about grief and <mark>sorg</mark>." in body
    plain = client.get(reverse("catalogue:service_detail", args=[service.pk])).content.decode()
    assert "<mark>" not in plain


def test_service_page_escapes_text_when_highlighting(client, org):
    service = make_service(org, name_nb="Treff", description_nb="<script>sorg</script>")
    body = client.get(reverse("catalogue:service_detail", args=[service.pk]), {"q": "sorg"}).content.decode()
    assert "&lt;script&gt;<mark>sorg</mark>&lt;/script&gt;" in body


def test_shipped_categories_are_mapped_and_the_hsds_api_shows_it(client):
    assert not TaxonomyTerm.objects.filter(external_code="").exists()
    body = client.get("/api/hsds/taxonomy_terms", {"per_page": 200}).json()
    mental = next(t for t in body["contents"] if t["code"] == "mental-health")
    assert mental["mapped_terms"] == [{"taxonomy": "open-eligibility", "code": "health/mental-health-care"}]
