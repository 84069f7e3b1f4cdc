import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from samverka.accounts.tests.factories import make_user
from samverka.core.errors import ConflictError, ValidationError
from samverka.dialogue import hearings, services, uploads
from samverka.dialogue.calendar import calendar_bytes
from samverka.dialogue.models import ActionItem, ActionReminder, AgendaItem, Attachment
from samverka.dialogue.reminders import send_overdue_reminders

from .factories import make_world

pytestmark = pytest.mark.django_db


def _next_meeting(world, days=7):
    start = timezone.now() + datetime.timedelta(days=days)
    return services.meeting_create(
        actor=world.coordinator,
        forum=world.forum,
        title="Møte 2",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def test_open_actions_are_carried_to_the_next_agenda_once_with_a_trail_to_their_decision():
    world = make_world()
    decision = services.decision_add(actor=world.coordinator, meeting=world.meeting, text="Vi lager en oversikt.")
    action = services.action_create(
        actor=world.coordinator,
        meeting=world.meeting,
        title="Lage oversikt",
        decision=decision,
        owner_organisation=world.organisation,
    )
    done = services.action_create(
        actor=world.coordinator, meeting=world.meeting, title="Ferdig", owner_user=world.coordinator
    )
    services.action_set_status(actor=world.coordinator, action=done, status="done")
    nxt = _next_meeting(world)
    carried = AgendaItem.objects.filter(meeting=nxt).exclude(action_item=None)
    assert [i.action_item_id for i in carried] == [action.pk]
    assert carried[0].action_item.decision == decision
    services.carry_open_actions(nxt)
    assert AgendaItem.objects.filter(meeting=nxt, action_item=action).count() == 1


def test_action_owner_organisation_may_update_but_others_may_not():
    world = make_world()
    action = services.action_create(
        actor=world.coordinator, meeting=world.meeting, title="Svar", owner_organisation=world.organisation
    )
    services.action_set_status(actor=world.org_admin, action=action, status="in_progress", comment="Startet")
    with pytest.raises(services.Forbidden):
        services.action_set_status(actor=make_user(), action=action, status="done")
    action.refresh_from_db()
    assert action.status == "in_progress" and action.comments.count() == 1


def test_overdue_actions_are_reminded_once():
    world = make_world()
    services.action_create(
        actor=world.coordinator,
        meeting=world.meeting,
        title="Sen",
        owner_user=world.org_admin,
        due=datetime.date(2025, 1, 1),
    )
    mail.outbox.clear()
    assert send_overdue_reminders(datetime.date(2025, 2, 1)) == 1
    assert send_overdue_reminders(datetime.date(2025, 2, 2)) == 0
    assert ActionReminder.objects.count() == 1 and len(mail.outbox) == 1


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def test_upload_type_is_read_from_content_a_disguised_executable_is_refused():
    world = make_world()
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.coordinator,
            meeting=world.meeting,
            upload=SimpleUploadedFile("agenda.pdf", EXE, content_type="application/pdf"),
        )
    assert not Attachment.objects.exists()
    att = services.attachment_add(
        actor=world.coordinator,
        meeting=world.meeting,
        upload=SimpleUploadedFile("notes.exe", PDF, content_type="application/x-msdownload"),
    )
    assert att.content_type == "application/pdf" and att.name == "notes.pdf"


def test_oversized_upload_is_413_and_stores_nothing(settings):
    settings.DIALOGUE_MAX_ATTACHMENT_BYTES = 100
    world = make_world()
    with pytest.raises(uploads.TooLarge) as exc:
        services.attachment_add(
            actor=world.coordinator, meeting=world.meeting, upload=SimpleUploadedFile("big.pdf", PDF + b"x" * 200)
        )
    assert exc.value.status_code == 413
    assert not Attachment.objects.exists()


def test_docx_xlsx_png_jpeg_and_text_are_recognised():
    import io
    import zipfile

    def office(folder):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(f"{folder}/document.xml", "<x/>")
        return buf.getvalue()

    cases = {
        office("word"): uploads.DOCX,
        office("xl"): uploads.XLSX,
        b"\x89PNG\r\n\x1a\n" + b"0" * 20: "image/png",
        b"\xff\xd8\xff\xe0" + b"0" * 20: "image/jpeg",
        "Referat fra møtet\n".encode(): "text/plain",
    }
    for content, kind in cases.items():
        assert uploads.sniff(SimpleUploadedFile("x.bin", content)) == kind
    assert uploads.sniff(SimpleUploadedFile("x.zip", office("other"))) is None


def test_ics_is_valid_icalendar_and_invitations_carry_it():
    world = make_world()
    services.agenda_item_add(actor=world.coordinator, meeting=world.meeting, title="Velkommen")
    data = calendar_bytes([world.meeting], world.forum.name)
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1 and str(events[0]["summary"]).endswith("Møte 1")
    assert events[0]["uid"] and events[0]["dtstart"].dt == world.meeting.starts_at.replace(microsecond=0)
    mail.outbox.clear()
    n = services.meeting_invite(actor=world.coordinator, meeting=world.meeting)
    assert n == 2


def test_invitation_email_has_a_valid_ics(django_capture_on_commit_callbacks):
    world = make_world()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=world.coordinator, meeting=world.meeting)
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    assert Calendar.from_ical(content).walk("VEVENT")


def test_only_coordinators_create_meetings_and_a_refusal_writes_nothing():
    world = make_world()
    count = world.forum.meetings.count()
    start = timezone.now()
    with pytest.raises(services.Forbidden):
        services.meeting_create(
            actor=world.org_admin,
            forum=world.forum,
            title="x",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
    with pytest.raises(ValidationError):
        services.meeting_create(actor=world.coordinator, forum=world.forum, title="x", starts_at=start, ends_at=start)
    assert world.forum.meetings.count() == count


def _hearing(world, **kw):
    now = timezone.now()
    h = hearings.hearing_create(
        actor=world.coordinator,
        area=world.county,
        title="Strategi for frivillighet",
        sections=[{"heading": "Mål", "text": "Mer samarbeid."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
        **kw,
    )
    return hearings.hearing_transition(actor=world.coordinator, hearing=h, action="open")


def test_hearing_comments_wait_for_moderation_then_get_responses_and_a_report():
    from django.contrib.auth.models import AnonymousUser

    world = make_world()
    h = _hearing(world)
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Bra!", name="", client_ip="10.1.1.1")
    org_c = hearings.comment_add(
        actor=world.org_admin, hearing=h, text="Vi vil delta.", organisation=world.organisation
    )
    assert c.status == "pending" and org_c.display_author == world.organisation.display_name
    hearings.comment_moderate(actor=world.coordinator, comment=c, publish=True)
    hearings.comment_moderate(actor=world.coordinator, comment=org_c, publish=False)
    with pytest.raises(ConflictError):
        hearings.comment_moderate(actor=world.coordinator, comment=c, publish=False)
    assert hearings.comment_support(comment=c, supporter_key="s1") is True
    assert hearings.comment_support(comment=c, supporter_key="s1") is False
    h = hearings.hearing_transition(actor=world.coordinator, hearing=h, action="close")
    with pytest.raises(ValidationError):
        hearings.hearing_transition(actor=world.coordinator, hearing=h, action="publish_report", summary="Oppsummert")
    hearings.comment_respond(actor=world.coordinator, comments=[c], response="Takk, vi tar det med.")
    h = hearings.hearing_transition(actor=world.coordinator, hearing=h, action="publish_report", summary="Oppsummert")
    assert h.status == "reported"


def test_anonymous_comments_are_rate_limited_per_ip_and_hearing_from_the_database():
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    world = make_world()
    h = _hearing(world)
    for i in range(hearings.RATE_LIMIT):
        hearings.comment_add(actor=AnonymousUser(), hearing=h, text=f"k{i}", client_ip="10.0.0.1")
    cache.clear()  # the count lives in the database, not in a per-process cache
    with pytest.raises(hearings.RateLimited):
        hearings.comment_add(actor=AnonymousUser(), hearing=h, text="en til", client_ip="10.0.0.1")
    assert h.comments.count() == hearings.RATE_LIMIT
    assert "10.0.0.1" not in set(h.comments.values_list("client_hash", flat=True))
    hearings.comment_add(actor=AnonymousUser(), hearing=h, text="annen maskin", client_ip="10.0.0.2")
    other = _hearing(world)
    hearings.comment_add(actor=AnonymousUser(), hearing=other, text="annen høring", client_ip="10.0.0.1")


def test_rate_limit_window_expires():
    from django.contrib.auth.models import AnonymousUser

    from samverka.dialogue.hearing_models import HearingComment

    world = make_world()
    h = _hearing(world)
    for i in range(hearings.RATE_LIMIT):
        hearings.comment_add(actor=AnonymousUser(), hearing=h, text=f"k{i}", client_ip="10.0.0.1")
    old = timezone.now() - datetime.timedelta(minutes=hearings.RATE_WINDOW_MINUTES + 1)
    HearingComment.objects.filter(hearing=h).update(created_at=old)
    hearings.comment_add(actor=AnonymousUser(), hearing=h, text="senere", client_ip="10.0.0.1")
    assert h.comments.count() == hearings.RATE_LIMIT + 1


def test_signed_in_residents_are_not_counted_by_ip():
    world = make_world()
    h = _hearing(world)
    resident = make_user()
    for i in range(hearings.RATE_LIMIT + 1):
        hearings.comment_add(actor=resident, hearing=h, text=f"k{i}", client_ip="10.0.0.1")
    assert not h.comments.exclude(client_hash="").exists()


def test_action_item_without_owner_is_refused():
    world = make_world()
    with pytest.raises(ValidationError):
        services.action_create(actor=world.coordinator, meeting=world.meeting, title="Ingen eier")
    assert not ActionItem.objects.exists()
