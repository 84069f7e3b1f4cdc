"""Issue 6, "Tests and measurements" for dialogue: upload limits (413 stores nothing; disguised executables are
refused), hearing moderation, iCalendar that validates with `icalendar`, actions carried to the next agenda and
reminded once."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samverka.accounts.tests.factories import grant_area_role, make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.dialogue import hearings, services
from samverka.dialogue.hearing_models import HearingComment
from samverka.dialogue.models import ActionReminder, Attachment, CalendarToken
from samverka.dialogue.reminders import send_overdue_reminders
from samverka.dialogue.tasks import send_action_reminders
from samverka.registry.tests.factories import area

from .factories import make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    """Files on disk (the test settings keep them in memory), so "stores nothing" can be checked on disk."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _upload(client, world, upload):
    return client.post(reverse("dialogue:meeting", args=[world.meeting.pk]), {"form": "attachment", "at-file": upload})


# -- upload limits --------------------------------------------------------------------------------------------
def test_an_oversized_upload_answers_413_and_stores_no_file_row_or_event(client, settings, media):
    settings.DIALOGUE_MAX_ATTACHMENT_BYTES = 1024
    world = make_world()
    staff_login(client, world.coordinator)
    response = _upload(client, world, SimpleUploadedFile("referat.pdf", PDF + b"x" * 1024))
    assert response.status_code == 413 and "larger than" in response.text
    assert not Attachment.objects.exists() and not _files(media)
    assert not AuditEvent.objects.filter(action="meeting.attachment_add").exists()
    exactly = PDF + b"x" * (1024 - len(PDF))  # the limit itself is allowed
    assert _upload(client, world, SimpleUploadedFile("referat.pdf", exactly)).status_code == 302
    assert Attachment.objects.get().size == 1024 and len(_files(media)) == 1


ZIP_WITH_EXE = io.BytesIO()
with zipfile.ZipFile(ZIP_WITH_EXE, "w") as _z:
    _z.writestr("setup.exe", b"MZ\x90\x00")
OFFICE_WITHOUT_PARTS = io.BytesIO()
with zipfile.ZipFile(OFFICE_WITHOUT_PARTS, "w") as _z:
    _z.writestr("[Content_Types].xml", "<Types/>")
    _z.writestr("payload/run.exe", b"MZ\x90\x00")

DISGUISED = {
    "windows executable named .pdf": ("referat.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
    "linux executable named .docx": ("referat.docx", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64),
    "zip with an executable named .docx": ("referat.docx", ZIP_WITH_EXE.getvalue()),
    "zip with content types but no document named .xlsx": ("tall.xlsx", OFFICE_WITHOUT_PARTS.getvalue()),
    "binary named .txt": ("notat.txt", bytes(range(256))),
}


@pytest.mark.parametrize("case", DISGUISED)
def test_a_disguised_executable_is_refused_and_nothing_is_stored(client, media, case):
    name, content = DISGUISED[case]
    world = make_world()
    staff_login(client, world.coordinator)
    response = _upload(client, world, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 422 and "Upload a PDF" in response.text
    assert not Attachment.objects.exists() and not _files(media)


def test_a_script_named_pdf_is_kept_as_text_and_served_as_a_download(client, media):
    """Text is allowed; the stored name follows the content, so a script never becomes a `.pdf`."""
    world = make_world()
    staff_login(client, world.coordinator)
    assert _upload(client, world, SimpleUploadedFile("faktura.pdf", b"#!/bin/sh\nrm -rf /\n")).status_code == 302
    att = Attachment.objects.get()
    assert (att.name, att.content_type) == ("faktura.txt", "text/plain")
    download = client.get(reverse("dialogue:attachment", args=[world.meeting.pk, att.pk]))
    assert download["Content-Type"] == "text/plain" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")


# -- hearing moderation ---------------------------------------------------------------------------------------
def _open_hearing(world):
    now = timezone.now()
    h = hearings.hearing_create(
        actor=world.coordinator,
        area=world.county,
        title="Strategi",
        sections=[{"heading": "Mål", "text": "Mer samarbeid."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
    )
    return hearings.hearing_transition(actor=world.coordinator, hearing=h, action="open")


def _public_texts(client, h) -> str:
    """What a visitor sees of the comments: the hearing page, the section page and the API."""
    pages = [
        client.get(reverse("dialogue:hearing", args=[h.pk])).text,
        client.get(reverse("dialogue:hearing_section", args=[h.pk, 1])).text,
    ]
    api = client.get(f"/api/v1/dialogue/hearings/{h.pk}/comments").json()
    return "\n".join(pages) + "\n".join(r["text"] for r in api["results"])


def test_comments_are_published_only_after_moderation_and_rejected_ones_never(client):
    world = make_world()
    h = _open_hearing(world)
    section = h.sections.get()
    for text in ("Godt forslag", "Reklame for kasino"):
        response = client.post(
            reverse("dialogue:hearing", args=[h.pk]),
            {"text": text, "section": str(section.pk)},
            REMOTE_ADDR="192.0.2.1",
        )
        assert response.status_code == 302
    good, spam = HearingComment.objects.order_by("created_at")
    assert {good.status, spam.status} == {"pending"}
    assert "Godt forslag" not in _public_texts(client, h) and "Reklame" not in _public_texts(client, h)
    refused = client.post(reverse("dialogue:support", args=[h.pk, good.pk]))
    assert refused.status_code == 409 and HearingComment.objects.get(pk=good.pk).supports == 0

    staff_login(client, world.coordinator)
    moderation = client.get(reverse("dialogue:hearing", args=[h.pk])).text
    assert "Godt forslag" in moderation and "Reklame for kasino" in moderation and "Awaiting moderation" in moderation
    url = reverse("dialogue:hearing_action", args=[h.pk, "publish"])
    assert client.post(url, {"comment": str(good.pk)}).status_code == 302
    reject = reverse("dialogue:hearing_action", args=[h.pk, "reject"])
    assert client.post(reject, {"comment": str(spam.pk)}).status_code == 302
    assert client.post(reject, {"comment": str(good.pk)}).status_code == 409  # moderated once
    assert set(AuditEvent.objects.filter(action="hearing.comment_moderate").values_list("actor", flat=True)) == {
        world.coordinator.pk
    }

    client.logout()
    visible = _public_texts(client, h)
    assert "Godt forslag" in visible and "Reklame" not in visible
    assert client.get(f"/api/v1/dialogue/hearings/{h.pk}").json()["sections"][0]["published_comments"] == 1
    assert client.post(reverse("dialogue:support", args=[h.pk, good.pk])).status_code == 302
    assert client.post(reverse("dialogue:support", args=[h.pk, good.pk])).status_code == 302
    assert HearingComment.objects.get(pk=good.pk).supports == 1  # once per person


def test_the_report_shows_every_published_comment_with_its_response_and_no_rejected_one(client):
    world = make_world()
    h = _open_hearing(world)
    kept = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Flere møteplasser", client_ip="192.0.2.2")
    dropped = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Spam spam", client_ip="192.0.2.2")
    hearings.comment_moderate(actor=world.coordinator, comment=kept, publish=True)
    hearings.comment_moderate(actor=world.coordinator, comment=dropped, publish=False)
    assert client.get(reverse("dialogue:hearing_report", args=[h.pk])).status_code == 404  # not before publishing
    staff_login(client, world.coordinator)
    client.post(reverse("dialogue:hearing_action", args=[h.pk, "close"]))
    refused = client.post(reverse("dialogue:hearing_action", args=[h.pk, "publish_report"]), {"summary": "Sum"})
    assert refused.status_code == 422  # a published comment has no response yet
    client.post(
        reverse("dialogue:hearing_action", args=[h.pk, "respond"]),
        {"comments": [str(kept.pk), str(dropped.pk)], "response": "Vi åpner to nye."},
    )
    assert HearingComment.objects.get(pk=dropped.pk).response == ""  # only published comments get responses
    assert (
        client.post(
            reverse("dialogue:hearing_action", args=[h.pk, "publish_report"]), {"summary": "Oppsummering"}
        ).status_code
        == 302
    )
    client.logout()
    report = client.get(reverse("dialogue:hearing_report", args=[h.pk]))
    assert report.status_code == 200
    assert "Flere møteplasser" in report.text and "Vi åpner to nye." in report.text and "Spam" not in report.text
    pdf = client.get(reverse("dialogue:hearing_report", args=[h.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


# -- iCalendar ----------------------------------------------------------------------------------------------
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE")


def _valid_events(data: bytes) -> list:
    """Parse with `icalendar`, which records what it could not read in each component's `errors`."""
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert not [c.errors for c in cal.walk() if c.errors]
    events = cal.walk("VEVENT")
    for event in events:
        assert all(prop in event for prop in REQUIRED), sorted(event.keys())
        assert event["DTEND"].dt > event["DTSTART"].dt
    return events


def test_every_calendar_validates_and_names_each_meeting_the_same_way(client, django_capture_on_commit_callbacks):
    world = make_world()
    services.agenda_item_add(actor=world.coordinator, meeting=world.meeting, title="Velkommen; nye medlemmer, også")
    start = timezone.now() + datetime.timedelta(days=7)
    nxt = services.meeting_create(
        actor=world.coordinator,
        forum=world.forum,
        title="Møte 2",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        link="https://meet.example.org/raad",
    )
    plain_login(client, world.org_admin)  # a member (through the organisation) of the closed forum
    forum_feed = _valid_events(client.get(reverse("dialogue:forum_ics", args=[world.forum.pk])).content)
    one = _valid_events(client.get(reverse("dialogue:meeting_ics", args=[nxt.pk])).content)
    client.get(reverse("dialogue:calendar"))
    token = CalendarToken.objects.get(user=world.org_admin).token
    client.logout()
    personal = _valid_events(client.get(reverse("dialogue:user_ics", args=[token])).content)
    uids = {str(e["UID"]) for e in forum_feed}
    assert uids == {str(e["UID"]) for e in personal} and str(one[0]["UID"]) in uids and len(uids) == 2
    assert str(one[0]["URL"]) == "https://meet.example.org/raad"
    first = next(e for e in forum_feed if "Møte 1" in str(e["SUMMARY"]))
    assert "Velkommen; nye medlemmer, også" in str(first["DESCRIPTION"])  # escaped and read back intact
    assert int(first["SEQUENCE"]) == 1  # raised when the agenda changed

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.coordinator, meeting=nxt)
    _name, content, _mime = mail.outbox[0].attachments[0]
    assert Calendar.from_ical(content)["METHOD"] == "REQUEST" and len(_valid_events(content)) == 1


def test_a_closed_forums_calendar_is_404_for_outsiders_and_audited(client):
    world = make_world()
    outsider = make_user()
    grant_area_role(outsider, area("SE", "17"), "coordinator")
    staff_login(client, outsider)
    assert client.get(reverse("dialogue:forum_ics", args=[world.forum.pk])).status_code == 404
    assert client.get(reverse("dialogue:meeting_ics", args=[world.meeting.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.forum.pk)).count() == 2


# -- actions carried and reminded -------------------------------------------------------------------------------
def test_open_actions_reach_the_next_agenda_on_the_page_with_a_trail_back_to_the_decision(client):
    world = make_world()
    decision = services.decision_add(actor=world.coordinator, meeting=world.meeting, text="Kartlegg lokaler.")
    carried = services.action_create(
        actor=world.coordinator,
        meeting=world.meeting,
        title="Lokaleoversikt",
        decision=decision,
        owner_organisation=world.organisation,
    )
    cancelled = services.action_create(
        actor=world.coordinator, meeting=world.meeting, title="Avlyst tiltak", owner_user=world.coordinator
    )
    services.action_set_status(actor=world.coordinator, action=cancelled, status="cancelled")
    staff_login(client, world.coordinator)
    start = timezone.localtime() + datetime.timedelta(days=14)
    response = client.post(
        reverse("dialogue:forum", args=[world.forum.pk]),
        {
            "form": "meeting",
            "m-title": "Møte 2",
            "m-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "m-ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    meeting_page = client.get(response["Location"]).text
    assert "Follow-up: Lokaleoversikt" in meeting_page and "Avlyst tiltak" not in meeting_page
    assert reverse("dialogue:action", args=[carried.pk]) in meeting_page
    action_page = client.get(reverse("dialogue:action", args=[carried.pk])).text
    assert "Kartlegg lokaler." in action_page and "On the agenda of Møte 2" in action_page


def test_an_overdue_action_is_reminded_once_per_due_date_by_the_task_and_only_while_open():
    world = make_world()
    late = services.action_create(
        actor=world.coordinator,
        meeting=world.meeting,
        title="Sen rapport",
        owner_organisation=world.organisation,
        due=timezone.localdate() - datetime.timedelta(days=3),
    )
    done = services.action_create(
        actor=world.coordinator,
        meeting=world.meeting,
        title="Ferdig",
        owner_user=world.coordinator,
        due=timezone.localdate() - datetime.timedelta(days=3),
    )
    services.action_set_status(actor=world.coordinator, action=done, status="done")
    mail.outbox.clear()
    send_action_reminders.enqueue()
    send_action_reminders.enqueue()
    assert list(ActionReminder.objects.values_list("action_id", flat=True)) == [late.pk]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.org_admin.email]  # the owner organisation's admin
    type(late).objects.filter(pk=late.pk).update(due=timezone.localdate() - datetime.timedelta(days=1))
    assert send_overdue_reminders() == 1 and send_overdue_reminders() == 0
    services.action_set_status(actor=world.org_admin, action=late, status="done")
    type(late).objects.filter(pk=late.pk).update(due=timezone.localdate() - datetime.timedelta(days=2))
    assert send_overdue_reminders() == 0
