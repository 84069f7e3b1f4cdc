import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samverka.accounts.tests.factories import make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.dialogue import services
from samverka.dialogue.models import Attendance, ForumMember, Meeting

from .factories import make_world

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_removing_a_member_asks_first_then_removes_keeps_attendance_and_is_audited(client):
    world = make_world(is_public=False)
    member = world.forum.members.get(organisation=world.organisation)
    services.minutes_save(
        actor=world.coordinator, meeting=world.meeting, text="Referat", present_member_ids=[member.pk]
    )
    staff_login(client, world.coordinator)
    url = reverse("dialogue:member_remove", args=[world.forum.pk, member.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove member" in confirm.text
    assert world.forum.members.filter(pk=member.pk).exists()  # asking changes nothing
    assert client.post(url).status_code == 302
    assert not world.forum.members.filter(pk=member.pk).exists()
    assert Attendance.objects.get(member_id=member.pk).present  # the minutes keep their attendance
    event = AuditEvent.objects.get(action="forum.member_remove")
    assert event.changes["member"]["before"]["name"] == "Ola" and event.changes["member"]["after"] is None
    assert client.post(url).status_code == 404  # already removed


def test_removed_organisation_loses_sight_of_a_closed_forum(client):
    world = make_world(is_public=False)
    plain_login(client, world.org_admin)
    assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 200
    member = world.forum.members.get(organisation=world.organisation)
    services.forum_member_remove(actor=world.coordinator, member=member)
    assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 404
    assert ForumMember.with_removed.filter(pk=member.pk, removed_at__isnull=False).exists()
    services.forum_member_add(actor=world.coordinator, forum=world.forum, organisation=world.organisation, name="Ola")
    assert client.get(reverse("dialogue:forum", args=[world.forum.pk])).status_code == 200


def test_only_coordinators_remove_members_and_a_refusal_changes_nothing(client):
    world = make_world(is_public=True)
    member = world.forum.members.get(organisation=world.organisation)
    plain_login(client, world.org_admin)
    url = reverse("dialogue:member_remove", args=[world.forum.pk, member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert world.forum.members.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.forum.pk)).exists()


def test_adding_a_member_by_page_links_the_user_and_refuses_a_duplicate(client):
    world = make_world()
    person = make_user(email="per@example.org", full_name="Per")
    staff_login(client, world.coordinator)
    url = reverse("dialogue:forum", args=[world.forum.pk])
    data = {"form": "member", "mb-name": "Per", "mb-email": "per@example.org", "mb-represents_public_body": "on"}
    assert client.post(url, data).status_code == 302
    assert world.forum.members.get(name="Per").user == person
    again = client.post(url, data)
    assert again.status_code == 422 and world.forum.members.filter(name="Per").count() == 1
    event = AuditEvent.objects.filter(action="forum.member_add").latest("created_at")
    assert event.changes["member"]["after"]["name"] == "Per"


def test_actions_csv_follows_the_status_filter_and_quotes_formulas(client):
    world = make_world(is_public=True)
    d = services.decision_add(actor=world.coordinator, meeting=world.meeting, text="Kartlegge lokaler")
    a = services.action_create(
        actor=world.coordinator, meeting=world.meeting, title="=cmd()", decision=d, owner_user=world.org_admin
    )
    services.action_create(
        actor=world.coordinator, meeting=world.meeting, title="B", owner_organisation=world.organisation
    )
    services.action_set_status(actor=world.coordinator, action=a, status="done")
    url = reverse("dialogue:forum_actions_csv", args=[world.forum.pk])
    rows = _rows(client.get(url, {"status": ""}))
    assert len(rows) == 3 and {r[0] for r in rows[1:]} == {"'=cmd()", "B"}
    open_rows = _rows(client.get(url, {"status": "open"}))
    assert [r[0] for r in open_rows[1:]] == ["B"]
    decisions = _rows(client.get(reverse("dialogue:forum_decisions_csv", args=[world.forum.pk])))
    assert decisions[1][2] == "Kartlegge lokaler" and decisions[1][3] == "'=cmd()" and decisions[1][6] == "Done"


def test_csv_of_a_closed_forum_is_404_for_outsiders(client):
    world = make_world(is_public=False)
    assert client.get(reverse("dialogue:forum_actions_csv", args=[world.forum.pk])).status_code == 404
    assert client.get(reverse("dialogue:forum_decisions_csv", args=[world.forum.pk])).status_code == 404


def test_forum_page_paginates_and_filters_actions(client, django_assert_max_num_queries):
    world = make_world(is_public=True)
    for i in range(30):
        services.action_create(
            actor=world.coordinator, meeting=world.meeting, title=f"T{i:02}", owner_user=world.org_admin
        )
    url = reverse("dialogue:forum", args=[world.forum.pk])
    with django_assert_max_num_queries(25):
        first = client.get(url)
    assert "30 actions" in first.text and "apage=2" in first.text
    done = client.get(url, {"status": "done"})
    assert "No actions with this status." in done.text


def test_meeting_created_with_invitations_mails_a_valid_ics_with_the_carried_agenda(
    client, django_capture_on_commit_callbacks
):
    world = make_world()
    services.action_create(actor=world.coordinator, meeting=world.meeting, title="Lokaler", owner_user=world.org_admin)
    staff_login(client, world.coordinator)
    start = timezone.localtime() + datetime.timedelta(days=14)
    data = {
        "form": "meeting",
        "m-title": "Møte 2",
        "m-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "m-ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "m-send_invitations": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dialogue:forum", args=[world.forum.pk]), data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "leder@example.org" in mail.outbox[0].bcc
    name, content, mimetype = mail.outbox[0].attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert "Lokaler" in str(event["description"]) and mimetype.startswith("text/calendar")
    assert Meeting.objects.get(title="Møte 2").invited_at is not None


def test_meeting_with_invitations_but_no_member_address_is_refused_and_not_created():
    world = make_world()
    world.forum.members.update(email="")
    start = timezone.now() + datetime.timedelta(days=3)
    from samverka.core.errors import ValidationError

    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=world.coordinator,
            forum=world.forum,
            title="Uten adresser",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            send_invitations=True,
        )
    assert not Meeting.objects.filter(title="Uten adresser").exists()
