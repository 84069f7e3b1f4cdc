"""The catalogue's pages pass axe-core in Chromium (no serious or critical violation) and break no CSP rule;
the finder works without JavaScript and updates in place with HTMX."""

import pytest
from django.urls import reverse

from samverka.catalogue import services

from .data import build_world
from .test_accessibility import _report, audit_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _catalogue_world():
    world = build_world()
    place = services.location_create(
        actor=world.coordinator,
        organisation=world.organisation,
        data={
            "name": "Huset",
            "street_address": "Gata 1",
            "postal_code": "1337",
            "city": "Sandvika",
            "municipality": str(world.municipality.pk),
            "latitude": "59.89",
            "longitude": "10.52",
        },
    )
    service, _ = services.service_create(
        actor=world.coordinator,
        organisation=world.organisation,
        data={
            "name_nb": "Frivillig besøkstjeneste",
            "name_en": "Visiting friend",
            "summary_nb": "Besøk hjemme.",
            "description_nb": "Lang tekst.",
            "description_en": "Long text.",
            "kind": "low_threshold",
            "access_mode": "booking",
            "status": "active",
            "categories": ["loneliness"],
            "languages": ["nb", "en"],
            "locations": [str(place.pk)],
            "phone": "+47 22 22 22 22",
            "schedules": [
                {
                    "rrule": "FREQ=WEEKLY;BYDAY=WE",
                    "dtstart": "2025-01-08",
                    "opens_at": "11:00",
                    "closes_at": "13:00",
                    "exceptions": ["2025-12-24"],
                }
            ],
        },
    )
    _, proposal = services.service_update(
        actor=world.org_admin, service=service, data={"summary_nb": "Besøk hjemme hos deg."}
    )
    return world, service, proposal


def test_public_catalogue_pages_are_accessible(page):
    world, service, _ = _catalogue_world()
    urls = [
        reverse("catalogue:index"),
        reverse("catalogue:index") + "?q=frivillige&free=on",
        reverse("catalogue:index") + "?q=visiting",  # English match shown beside the Norwegian card
        reverse("catalogue:service_detail", args=[service.pk]),
        reverse("catalogue:service_detail", args=[service.pk]) + "?q=text",  # marks in the other languages
    ]
    problems = audit_pages(page, urls, expect_path=False)
    assert not problems, _report(problems)


def test_organisation_and_coordinator_catalogue_pages_are_accessible(page, browser_login):
    world, service, proposal = _catalogue_world()
    place = service.locations.get()
    browser_login(world.org_admin)
    org_urls = [
        reverse("catalogue:org_services", args=[world.organisation.pk]),
        reverse("catalogue:service_create", args=[world.organisation.pk]),
        reverse("catalogue:service_edit", args=[service.pk]),
        reverse("catalogue:location_create", args=[world.organisation.pk]),
        reverse("catalogue:location_edit", args=[place.pk]),
        reverse("catalogue:location_delete", args=[place.pk]),  # in use: lists the services instead of a button
    ]
    problems = audit_pages(page, org_urls)
    page.context.clear_cookies()
    browser_login(world.coordinator, otp_device=world.coordinator_device)
    problems += audit_pages(
        page,
        [
            reverse("catalogue:proposals"),
            reverse("catalogue:proposal_detail", args=[proposal.pk]),
            reverse("catalogue:freshness"),
            reverse("catalogue:area_services", args=[world.county.pk]),
            reverse("catalogue:area_service_create", args=[world.county.pk]),
            reverse("catalogue:area_location_create", args=[world.county.pk]),
        ],
    )
    assert not problems, _report(problems)


def test_finder_updates_in_place_with_htmx_and_the_url_is_shareable(page):
    _catalogue_world()
    page.goto(reverse("catalogue:index"))
    page.evaluate("window.__samePage = true")
    page.fill("#id_q", "visiting")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_selector("#results mark")
    assert "q=visiting" in page.url
    assert page.locator("#results mark").first.inner_text() == "Visiting"
    assert page.evaluate("window.__samePage === true"), "the results must be swapped in, not a full page load"


def test_the_printable_service_page_leaves_out_menus_and_forms(page):
    _world, service, _ = _catalogue_world()
    page.goto(reverse("catalogue:service_detail", args=[service.pk]))
    assert page.locator(".site-header").is_visible() and page.locator("#report-heading").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#report-heading").is_visible()  # the "report an error" form
    assert not page.locator(".print-hint").is_visible()
    assert page.locator("h1").is_visible() and page.locator("main").is_visible()
