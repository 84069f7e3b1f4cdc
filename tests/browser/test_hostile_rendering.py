"""Hostile values stored through the services are shown as text in Chromium, and none of them runs.

The test-client check (tests/security/test_hostile_input.py) reads HTML; this one renders the public and staff
pages in a real browser. The Content Security Policy would block an injected inline script anyway, so the
test does not rely on it: it also looks for the injected elements in the DOM, which exist only if escaping failed.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverka.catalogue import services as catalogue
from samverka.core.errors import ValidationError
from samverka.dialogue import services as dialogue
from samverka.registry import services as registry

from .data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror=window.__xss=1>'
JAVASCRIPT_URL = "javascript:window.__xss=1"

# Elements or attributes that only exist if a hostile value reached the DOM as markup.
INJECTED = """() => {
  // Data blocks (JSON-LD, json_script) may carry the value as data; they must still parse as JSON whole.
  const isData = s => /json/i.test(s.type || '');
  const parses = s => { try { JSON.parse(s.textContent); return true; } catch (e) { return false; } };
  const scripts = [...document.scripts]
      .filter(s => isData(s) ? !parses(s) : s.textContent.includes('__xss')).length;
  const handlers = [...document.querySelectorAll('[onerror], [onclick], [onload]')]
      .filter(e => [...e.attributes].some(a => a.value.includes('__xss'))).length;
  const links = [...document.querySelectorAll('a[href], iframe[src], form[action]')]
      .filter(e => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
      .trim().toLowerCase().startsWith('javascript:')).length;
  return {scripts, handlers, links, xss: typeof window.__xss};
}"""


def _hostile_world():
    world = build_world()
    registry.organisation_update(
        actor=world.coordinator,
        organisation=world.organisation,
        data={
            "name": f"{SCRIPT} Lag",
            "name_en": f"{SCRIPT} Club",
            "expertise": f"{IMG} hjelp",
            "purpose": f"{SCRIPT}{IMG}",
        },
    )
    service, _ = catalogue.service_create(
        actor=world.coordinator,
        organisation=world.organisation,
        data={
            "name_nb": f"{SCRIPT} tjeneste",
            "summary_nb": f"{IMG} kort",
            "description_nb": f"{SCRIPT} lang {IMG}",
            "kind": "low_threshold",
            "access_mode": "booking",
            "status": "active",
            "categories": ["loneliness"],
            "languages": ["nb"],
        },
    )
    forum = dialogue.forum_create(
        actor=world.coordinator, area=world.county, name=f"{SCRIPT} råd", mandate=f"{IMG} mandat"
    )
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = dialogue.meeting_create(
        actor=world.coordinator,
        forum=forum,
        title=f"{SCRIPT} møte",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place=f"{IMG} sal",
    )
    return world, service, forum, meeting


def _visit_and_check(page, urls: list[str], must_show: str) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = []
    for url in urls:
        response = page.goto(url)
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{url}: HTTP {status}")
            continue
        page.wait_for_load_state("load")
        found = page.evaluate(INJECTED)
        if found["xss"] != "undefined" or found["scripts"] or found["handlers"] or found["links"]:
            problems.append(f"{url}: injected markup {found}")
        shown = page.locator("body").inner_text() + "".join(
            page.eval_on_selector_all("input, textarea", "fields => fields.map(f => f.value)")
        )
        if must_show not in shown:
            problems.append(f"{url}: the hostile value is not shown as text")
    problems += [f"dialog opened: {message}" for message in dialogs]
    return problems


def test_hostile_values_render_as_text_on_public_pages(page):
    world, service, forum, meeting = _hostile_world()
    urls = [
        reverse("registry:public_detail", args=[world.organisation.pk]),
        reverse("registry:public_list"),
        reverse("catalogue:service_detail", args=[service.pk]),
        reverse("catalogue:index") + "?q=tjeneste",
        reverse("dialogue:forum", args=[forum.pk]),
        reverse("dialogue:meeting", args=[meeting.pk]),
    ]
    problems = _visit_and_check(page, urls, "<script>window.__xss=1</script>")
    assert not problems, "\n" + "\n".join(problems)


def test_hostile_values_render_as_text_on_staff_pages(page, browser_login):
    world, service, forum, meeting = _hostile_world()
    browser_login(world.coordinator, otp_device=world.coordinator_device)
    urls = [
        reverse("registry:list"),
        reverse("registry:edit", args=[world.organisation.pk]),
        reverse("registry:history", args=[world.organisation.pk]),
        reverse("catalogue:org_services", args=[world.organisation.pk]),
        reverse("catalogue:service_edit", args=[service.pk]),
        reverse("dialogue:forum", args=[forum.pk]),
        reverse("dialogue:meeting", args=[meeting.pk]),
    ]
    problems = _visit_and_check(page, urls, "window.__xss=1")
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("field", ["website"])
def test_javascript_urls_are_refused_by_the_registry(field):
    world = build_world()
    with pytest.raises(ValidationError) as refused:
        registry.organisation_update(
            actor=world.coordinator, organisation=world.organisation, data={field: JAVASCRIPT_URL}
        )
    assert field in refused.value.errors
    world.organisation.refresh_from_db()
    assert getattr(world.organisation, field) != JAVASCRIPT_URL


def test_javascript_urls_are_refused_for_services_and_meetings():
    world = build_world()
    with pytest.raises(ValidationError) as refused:
        catalogue.service_create(
            actor=world.coordinator,
            organisation=world.organisation,
            data={
                "name_nb": "Lenke",
                "summary_nb": "Kort.",
                "kind": "low_threshold",
                "access_mode": "booking",
                "status": "active",
                "categories": ["loneliness"],
                "languages": ["nb"],
                "website": JAVASCRIPT_URL,
            },
        )
    assert "website" in refused.value.errors
    forum = dialogue.forum_create(actor=world.coordinator, area=world.county, name="Råd")
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        dialogue.meeting_create(
            actor=world.coordinator,
            forum=forum,
            title="Møte",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            link=JAVASCRIPT_URL,
        )
    assert "link" in refused.value.errors
