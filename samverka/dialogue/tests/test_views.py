import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from samverka.accounts.tests.factories import grant_area_role, make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.dialogue import services
from samverka.dialogue.models import Attachment, CalendarToken
from samverka.registry.tests.factories import area

from .factories import make_world

pytestmark = pytest.mark.django_db


def test_closed_forum_of_another_area_is_404_and_audited(client):
    world = make_world(is_public=False)
    other = make_user()
    grant_area_role(other, area("SE", "17"), "coordinator")
    staff_login(client, other)
    assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 404
    assert client.get(reverse("dialogue:meeting", args=[world.meeting.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.forum.pk)).exists()


def test_public_forum_needs_no_login_and_closed_forum_is_hidden(client):
    world = make_world(is_public=True)
    assert client.get(reverse("dialogue:index")).status_code == 200
    assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 200
    ics = client.get(reverse("dialogue:forum_ics", args=[world.forum.pk]))
    assert ics.status_code == 200 and Calendar.from_ical(ics.content).walk("VEVENT")
    closed = make_world(is_public=False)
    assert client.get(reverse("dialogue:forum", args=[closed.forum.pk])).status_code == 404


def test_member_organisation_admin_sees_closed_forum_and_proposes_agenda_items(client):
    world = make_world(is_public=False)
    plain_login(client, world.org_admin)
    url = reverse("dialogue:meeting", args=[world.meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"form": "agenda", "ag-title": "Lokaler til møteplass"})
    assert response.status_code == 302
    assert world.meeting.agenda.filter(title="Lokaler til møteplass", proposer_name="Ola Organisasjon").exists()


def test_upload_on_the_page_refuses_a_disguised_executable(client):
    world = make_world()
    staff_login(client, world.coordinator)
    exe = SimpleUploadedFile("referat.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    response = client.post(reverse("dialogue:meeting", args=[world.meeting.pk]), {"form": "attachment", "at-file": exe})
    assert response.status_code == 422
    assert not Attachment.objects.exists()


def test_oversized_upload_on_the_page_answers_413(client, settings):
    settings.DIALOGUE_MAX_ATTACHMENT_BYTES = 10
    world = make_world()
    staff_login(client, world.coordinator)
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + b"x" * 100)
    response = client.post(reverse("dialogue:meeting", args=[world.meeting.pk]), {"form": "attachment", "at-file": big})
    assert response.status_code == 413
    assert not Attachment.objects.exists()


def test_personal_feed_by_secret_token(client):
    world = make_world()
    plain_login(client, world.org_admin)
    assert client.get(reverse("dialogue:calendar")).status_code == 200
    token = CalendarToken.objects.get(user=world.org_admin).token
    client.logout()
    feed = client.get(reverse("dialogue:user_ics", args=[token]))
    assert feed.status_code == 200 and len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    assert client.get(reverse("dialogue:user_ics", args=["wrong"])).status_code == 404


def test_forum_page_query_count_does_not_grow_with_meetings(client, django_assert_max_num_queries):
    world = make_world(is_public=True)
    for i in range(15):
        m = world.meeting
        d = services.decision_add(actor=world.coordinator, meeting=m, text=f"Vedtak {i}")
        services.action_create(
            actor=world.coordinator, meeting=m, title=f"Tiltak {i}", decision=d, owner_organisation=world.organisation
        )
    with django_assert_max_num_queries(25):
        assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 200


def test_api_lists_forums_and_actions(client):
    world = make_world(is_public=True)
    services.action_create(actor=world.coordinator, meeting=world.meeting, title="A", owner_user=world.org_admin)
    assert client.get("/api/v1/dialogue/forums").json()["count"] == 1
    plain_login(client, world.org_admin)
    data = client.get("/api/v1/dialogue/actions").json()
    assert data["count"] == 1
    pk = data["results"][0]["id"]
    ok = client.post(f"/api/v1/dialogue/actions/{pk}/status", {"status": "done"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "done"


def test_forum_page_pages_of_actions_and_decisions_hold_the_same_rows_as_plain_pagination(client):
    """The forum page picks a page's rows by their keys first; every page, the last and beyond it must match."""
    from samverka.core.pagination import paginate
    from samverka.dialogue import selectors

    world = make_world(is_public=True)
    for i in range(7):
        d = services.decision_add(actor=world.coordinator, meeting=world.meeting, text=f"Vedtak {i}")
        services.action_create(
            actor=world.coordinator,
            meeting=world.meeting,
            title=f"Tiltak {i}",
            decision=d if i % 2 else None,
            owner_organisation=world.organisation,
        )
    actions = selectors.forum_actions(world.forum, status="", sort="-due")
    decisions = selectors.decisions_page(world.forum)
    for page in (1, 2, 3, 4, 99, "x"):
        by_keys, plain = selectors.paginate_by_keys(actions, page, 3), paginate(actions, page, 3)
        assert [a.pk for a in by_keys.items] == [a.pk for a in plain.items] and by_keys.items
        assert (by_keys.number, by_keys.count) == (plain.number, plain.count)
        by_keys, plain = selectors.paginate_by_keys(decisions, page, 2), paginate(decisions, page, 2)
        assert [d.pk for d in by_keys.items] == [d.pk for d in plain.items] and by_keys.items
        assert [[a.pk for a in d.actions.all()] for d in by_keys.items] == [
            [a.pk for a in d.actions.all()] for d in plain.items
        ]
    page = client.get(reverse("dialogue:forum", args=[world.forum.pk]) + "?status=&apage=3").text
    assert "Tiltak" in page
