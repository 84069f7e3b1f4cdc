import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.tests.factories import make_user, plain_login, staff_login
from samverka.dialogue import hearings
from samverka.dialogue.hearing_models import HearingComment
from samverka.registry.tests.factories import OrganisationFactory

from .factories import make_world

pytestmark = pytest.mark.django_db


def _hearing(world, *, open_it=True, **kw):
    now = timezone.now()
    h = hearings.hearing_create(
        actor=world.coordinator,
        area=world.county,
        title="Strategi",
        sections=[{"heading": "Mål", "text": "Mer samarbeid."}, {"heading": "Tiltak", "text": "Møteplasser."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        **kw,
    )
    return hearings.hearing_transition(actor=world.coordinator, hearing=h, action="open") if open_it else h


def test_api_lists_open_hearings_and_hides_drafts(client):
    world = make_world()
    h = _hearing(world)
    draft = _hearing(world, open_it=False)
    data = client.get("/api/v1/dialogue/hearings").json()
    assert [r["id"] for r in data["results"]] == [str(h.pk)] and data["results"][0]["area_name"]
    assert client.get(f"/api/v1/dialogue/hearings/{draft.pk}").status_code == 404


def test_api_detail_has_sections_with_published_comment_counts(client):
    world = make_world()
    h = _hearing(world)
    first = h.sections.get(order=0)
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Bra", section=first, client_ip="10.0.0.9")
    hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Venter", section=first, client_ip="10.0.0.9")
    hearings.comment_moderate(actor=world.coordinator, comment=c, publish=True)
    data = client.get(f"/api/v1/dialogue/hearings/{h.pk}").json()
    assert data["accepting_comments"] is True
    assert [(s["number"], s["heading"], s["published_comments"]) for s in data["sections"]] == [
        (1, "Mål", 1),
        (2, "Tiltak", 0),
    ]
    comments = client.get(f"/api/v1/dialogue/hearings/{h.pk}/comments").json()
    assert comments["count"] == 1 and comments["results"][0]["text"] == "Bra"


def test_api_comment_needs_an_account(client):
    world = make_world()
    h = _hearing(world)
    response = client.post(
        f"/api/v1/dialogue/hearings/{h.pk}/comments", {"text": "Hei"}, content_type="application/json"
    )
    assert response.status_code == 401 and not HearingComment.objects.exists()


def test_api_comment_as_organisation_member_waits_for_moderation(client):
    world = make_world()
    h = _hearing(world)
    plain_login(client, world.org_admin)
    section = h.sections.get(order=1)
    payload = {
        "text": "Vi stiller lokaler.",
        "section_id": str(section.pk),
        "organisation_id": str(world.organisation.pk),
    }
    response = client.post(f"/api/v1/dialogue/hearings/{h.pk}/comments", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["author"] == world.organisation.display_name
    assert HearingComment.objects.get().section == section


def test_api_comment_for_someone_elses_organisation_or_section_is_refused(client):
    world = make_world()
    h = _hearing(world)
    other_hearing = _hearing(world)
    stranger_org = OrganisationFactory()
    plain_login(client, world.org_admin)
    url = f"/api/v1/dialogue/hearings/{h.pk}/comments"
    not_mine = client.post(url, {"text": "x", "organisation_id": str(stranger_org.pk)}, content_type="application/json")
    assert not_mine.status_code == 422 and "organisation" in not_mine.json()["errors"]
    foreign_section = other_hearing.sections.first()
    wrong = client.post(url, {"text": "x", "section_id": str(foreign_section.pk)}, content_type="application/json")
    assert wrong.status_code == 422 and "section_id" in wrong.json()["errors"]
    empty = client.post(url, {"text": "   "}, content_type="application/json")
    assert empty.status_code == 422
    assert not HearingComment.objects.exists()


def test_api_comment_on_a_closed_hearing_is_409(client):
    world = make_world()
    h = hearings.hearing_transition(actor=world.coordinator, hearing=_hearing(world), action="close")
    plain_login(client, make_user())
    response = client.post(
        f"/api/v1/dialogue/hearings/{h.pk}/comments", {"text": "Sent"}, content_type="application/json"
    )
    assert response.status_code == 409 and not HearingComment.objects.exists()


def test_section_pages_navigate_and_attach_comments_to_their_section(client):
    world = make_world()
    h = _hearing(world)
    first = client.get(reverse("dialogue:hearing_section", args=[h.pk, 1]))
    assert first.status_code == 200 and "Mål" in first.text
    assert reverse("dialogue:hearing_section", args=[h.pk, 2]) in first.text
    assert client.get(reverse("dialogue:hearing_section", args=[h.pk, 3])).status_code == 404
    assert client.get(reverse("dialogue:hearing_section", args=[h.pk, 0])).status_code == 404
    response = client.post(reverse("dialogue:hearing_section", args=[h.pk, 2]), {"text": "Om tiltakene", "name": ""})
    assert response.status_code == 302
    assert HearingComment.objects.get().section == h.sections.get(order=1)


def test_hearing_page_shows_contents_and_comments_under_their_section(client):
    world = make_world()
    h = _hearing(world)
    section = h.sections.get(order=1)
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Om tiltak", section=section, client_ip="1.1.1.1")
    hearings.comment_moderate(actor=world.coordinator, comment=c, publish=True)
    page = client.get(reverse("dialogue:hearing", args=[h.pk]))
    assert page.status_code == 200 and 'href="#section-2"' in page.text
    section_two = page.text.split('id="section-2"', 1)[1].split("</section>", 1)[0]
    assert "Om tiltak" in section_two
    preselected = client.get(reverse("dialogue:hearing", args=[h.pk]), {"section": str(section.pk)})
    assert f'<option value="{section.pk}" selected>' in preselected.text


def test_page_rate_limit_holds_without_the_cache_and_answers_429(client):
    world = make_world()
    h = _hearing(world)
    url = reverse("dialogue:hearing", args=[h.pk])
    for i in range(hearings.RATE_LIMIT):
        assert client.post(url, {"text": f"k{i}"}, REMOTE_ADDR="192.0.2.7").status_code == 302
        cache.clear()
    refused = client.post(url, {"text": "en til"}, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert HearingComment.objects.count() == hearings.RATE_LIMIT
    assert client.post(url, {"text": "annen"}, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_moderator_sees_pending_comments_on_the_section_page(client):
    world = make_world()
    h = _hearing(world)
    hearings.comment_add(
        actor=AnonymousUser(), hearing=h, text="Venter", section=h.sections.get(order=0), client_ip="1.1.1.1"
    )
    assert "Venter" not in client.get(reverse("dialogue:hearing_section", args=[h.pk, 1])).text
    staff_login(client, world.coordinator)
    assert "Venter" in client.get(reverse("dialogue:hearing_section", args=[h.pk, 1])).text


def test_public_api_reads_know_a_tokens_holder():
    """Public operations declare no security; a token still counts: the forum's own coordinator reads the closed
    forum with a token, a bad token reads as anonymous (404)."""
    from django.test import Client

    from samverka.accounts.services import api_token_create

    from .factories import make_world

    world = make_world(is_public=False)
    _token, raw = api_token_create(actor=world.coordinator, user=world.coordinator, name="sync")
    client = Client()
    url = f"/api/v1/dialogue/forums/{world.forum.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get(f"{url}/meetings", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Bearer svk_not-a-real-token").status_code == 404
