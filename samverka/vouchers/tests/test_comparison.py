"""The public comparison page per scheme: each approved provider with its catalogue services that accept vouchers
(linked, with their opening hours) and its openings, which its organisation admins keep on a page (audited)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverka.accounts.tests.factories import grant_organisation_role, make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.catalogue.services.locations import location_create
from samverka.catalogue.tests.factories import make_service, platform_admin
from samverka.registry.tests.factories import area
from samverka.vouchers.models import VoucherScheme

from .factories import World, provider, service_category

pytestmark = pytest.mark.django_db
HOURS = {
    "kind": "opening_hours",
    "rrule": "FREQ=WEEKLY;BYDAY=MO,WE",
    "dtstart": "2026-01-05",
    "opens_at": "09:00",
    "closes_at": "15:00",
}


def _voucher_service(accreditation, name="Hjemmehjelp", **overrides):
    """A published service of the provider that accepts vouchers, in the scheme's category and area."""
    scheme = accreditation.scheme
    data = {
        "name_nb": name,
        "accepts_vouchers": True,
        "schedules": [HOURS],
        "categories": [scheme.category.code],
        "areas": [str(scheme.area_id)],
    }
    data.update(overrides)
    return make_service(accreditation.organisation, **data)


def test_comparison_shows_services_that_accept_vouchers_with_hours_and_links_and_openings(client):
    world = World()
    shown = _voucher_service(world.accreditation)
    _voucher_service(world.accreditation, name="Ikke sedler", accepts_vouchers=False)
    _voucher_service(world.accreditation, name="Utkast", status="draft")
    acc = world.accreditation
    acc.takes_new_clients, acc.new_clients_from, acc.openings_note = True, None, "Ledig på onsdager"
    acc.save()
    page = client.get(reverse("vouchers:compare", args=[world.scheme.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("catalogue:service_detail", args=[shown.pk]) in html and "Hjemmehjelp" in html
    assert "Ikke sedler" not in html and "Utkast" not in html
    assert "Monday, Wednesday 09:00–15:00" in html
    assert "Takes new clients now" in html and "Ledig på onsdager" in html
    body = client.get(f"/api/v1/vouchers/schemes/{world.scheme.pk}/providers").json()
    [row] = body
    assert row["takes_new_clients_now"] is True and row["openings_note"] == "Ledig på onsdager"
    assert [s["name"] for s in row["services"]] == ["Hjemmehjelp"]
    assert row["services"][0]["url"] == reverse("catalogue:service_detail", args=[shown.pk])
    assert row["services"][0]["opening_hours"] == ["Opening hours: Monday, Wednesday 09:00–15:00"]


def test_a_provider_taking_clients_from_a_later_date_or_not_at_all_says_so(client):
    world = World()
    later, _admin = provider(world.officer, world.scheme, name="Senere")
    full, _admin2 = provider(world.officer, world.scheme, name="Full")
    day = datetime.date.today() + datetime.timedelta(days=30)
    later.new_clients_from = day
    later.save()
    full.takes_new_clients = False
    full.save()
    html = client.get(reverse("vouchers:compare", args=[world.scheme.pk])).content.decode()
    assert f"Takes new clients from {day:%Y-%m-%d}" in html and "Not taking new clients" in html
    rows = {
        r["organisation_name"]: r for r in client.get(f"/api/v1/vouchers/schemes/{world.scheme.pk}/providers").json()
    }
    assert rows["Senere"]["takes_new_clients_now"] is False and rows["Senere"]["new_clients_from"] == day.isoformat()
    assert rows["Full"]["takes_new_clients_now"] is False and rows["Full"]["takes_new_clients"] is False


def _listed(client, scheme) -> tuple[str, list[str]]:
    """The comparison page's HTML and the names of the services the API lists for the scheme's providers."""
    html = client.get(reverse("vouchers:compare", args=[scheme.pk])).content.decode()
    rows = client.get(f"/api/v1/vouchers/schemes/{scheme.pk}/providers").json()
    return html, sorted(s["name"] for row in rows for s in row["services"])


def test_comparison_lists_only_services_in_the_schemes_category_or_a_category_below_it(client):
    world = World()
    below = service_category("home-help-older", "Home help for older people", parent=world.scheme.category)
    _voucher_service(world.accreditation, name="Eldre")
    _voucher_service(world.accreditation, name="Praktisk hjelp", categories=[below.code])
    _voucher_service(world.accreditation, name="Leksehjelp", categories=["children-youth"])
    _voucher_service(world.accreditation, name="Uten kategori", categories=[])
    html, names = _listed(client, world.scheme)
    assert names == ["Eldre", "Praktisk hjelp"]
    assert "Leksehjelp" not in html and "Uten kategori" not in html and "Praktisk hjelp" in html
    assert "services in Older people that serve Bærum and accept vouchers" in html


def test_comparison_lists_only_services_serving_the_schemes_area_an_area_above_it_or_at_a_place_in_it(client):
    world = World()
    akershus, oslo = area("NO", "32", "county"), area("NO", "0301")
    _voucher_service(world.accreditation, name="I Bærum")
    _voucher_service(world.accreditation, name="I Akershus", areas=[str(akershus.pk)])
    _voucher_service(world.accreditation, name="I Oslo", areas=[str(oslo.pk)])
    _voucher_service(world.accreditation, name="Ingen steder", areas=[])
    org = world.accreditation.organisation
    place = location_create(
        actor=platform_admin(), organisation=org, data={"name": "Huset", "municipality": str(world.scheme.area_id)}
    )
    _voucher_service(world.accreditation, name="På et sted i Bærum", areas=[], locations=[str(place.pk)])
    html, names = _listed(client, world.scheme)
    assert names == ["I Akershus", "I Bærum", "På et sted i Bærum"]
    assert "I Oslo" not in html and "Ingen steder" not in html


def test_a_scheme_without_a_category_lists_the_voucher_services_serving_its_area_in_any_category(client):
    world = World()
    VoucherScheme.objects.filter(pk=world.scheme.pk).update(category=None)
    _voucher_service(world.accreditation, name="Eldre")
    _voucher_service(world.accreditation, name="Leksehjelp", categories=["children-youth"])
    _voucher_service(world.accreditation, name="I Oslo", areas=[str(area("NO", "0301").pk)])
    world.scheme.refresh_from_db()
    html, names = _listed(client, world.scheme)
    assert names == ["Eldre", "Leksehjelp"]
    assert "that serve" not in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_comparison_query_count_does_not_grow_with_providers_or_services(client):
    world = World()
    _voucher_service(world.accreditation)
    page = reverse("vouchers:compare", args=[world.scheme.pk])
    api = f"/api/v1/vouchers/schemes/{world.scheme.pk}/providers"
    # Once first: the reference cache (areas, categories) is then filled, as on every request after a process's first.
    _count_queries(client, page)
    one_page, one_api = _count_queries(client, page), _count_queries(client, api)
    for i in range(4):
        acc, _admin = provider(world.officer, world.scheme, name=f"Leverandør {i}")
        _voucher_service(acc, name=f"Tjeneste {i}a")
        _voucher_service(acc, name=f"Tjeneste {i}b", schedules=[HOURS, {**HOURS, "rrule": "FREQ=WEEKLY;BYDAY=FR"}])
        _voucher_service(acc, name=f"Tjeneste {i}c", categories=["children-youth"])
    assert _count_queries(client, page) == one_page
    assert _count_queries(client, api) == one_api


def test_an_organisation_admin_edits_the_openings_and_the_change_is_audited(client):
    world = World()
    plain_login(client, world.provider_user)
    home = client.get(reverse("vouchers:provider_home")).content.decode()
    url = reverse("vouchers:openings", args=[world.accreditation.pk])
    assert url in home
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_clients_from": "2031-02-01", "openings_note": "Venteliste to uker"})
    assert response.status_code == 302
    world.accreditation.refresh_from_db()
    acc = world.accreditation
    assert (acc.takes_new_clients, acc.new_clients_from, acc.openings_note) == (
        False,
        datetime.date(2031, 2, 1),
        "Venteliste to uker",
    )
    event = AuditEvent.objects.get(action="vouchers.accreditation.openings", object_id=str(acc.pk))
    assert event.actor == world.provider_user
    assert event.changes["takes_new_clients"] == {"before": True, "after": False}


def test_openings_with_a_bad_date_are_refused_with_a_field_message_and_nothing_saved(client):
    world = World()
    plain_login(client, world.provider_user)
    url = reverse("vouchers:openings", args=[world.accreditation.pk])
    response = client.post(url, {"takes_new_clients": "on", "new_clients_from": "neste uke", "openings_note": "x"})
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()
    world.accreditation.refresh_from_db()
    assert world.accreditation.openings_note == ""
    assert not AuditEvent.objects.filter(action="vouchers.accreditation.openings").exists()


def test_members_officers_and_other_organisations_cannot_edit_openings(client):
    world = World()
    member = make_user()
    grant_organisation_role(member, world.accreditation.organisation, "member")
    _other, other_admin = provider(world.officer, world.scheme, name="Annen")
    url = reverse("vouchers:openings", args=[world.accreditation.pk])
    for user, login in ((member, plain_login), (other_admin, plain_login), (world.officer, staff_login)):
        client.logout()
        login(client, user)
        assert client.post(url, {"openings_note": "Hijack"}).status_code == 404
    world.accreditation.refresh_from_db()
    assert world.accreditation.openings_note == ""
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.accreditation.pk)).count() == 3
