"""Forums, meetings, minutes, actions and hearings: every change × every role × service, page (and API).

The forum is closed and belongs to Akershus (NO 32); its members are the organisation and the coordinator; the
action item belongs to the organisation. Roles are those of the agreements matrix (agreements/tests/roles.py):
viewer and officer hold Akershus, the other coordinator holds Asker (NO 3203, inside Akershus — a role below the
forum's area does not reach up). A refusal answers as the app does, changes nothing (no row, no file, no e-mail,
no audit event), and a 404 for someone who may not see the closed forum or draft hearing writes "access.denied".
"""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samverka.agreements.tests.roles import MANAGERS, ROLES, SEES_PRIVATE, login, make_cast
from samverka.audit.models import AuditEvent
from samverka.core.errors import DomainError
from samverka.dialogue import hearings, services
from samverka.dialogue.hearing_models import Hearing, HearingComment
from samverka.dialogue.models import (
    ActionComment,
    ActionItem,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    Minutes,
)

from .factories import make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OWNERS = frozenset({"org_member", "org_admin"})  # people of the organisation that owns the action item
WHEN = (timezone.now() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files on disk (the test settings keep them in memory), so a refusal can be checked to store nothing."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def world():
    w = make_world(is_public=False)
    w.cast = make_cast(
        coordinator=w.coordinator,
        org_admin=w.org_admin,
        organisation=w.organisation,
        object_area=w.county,
        coordinator_area=w.county,
    )
    return w


# -- the objects each action works on ------------------------------------------------------------------
def _action_item(w):
    return services.action_create(
        actor=w.coordinator, meeting=w.meeting, title="Kartlegge lokaler", owner_organisation=w.organisation
    )


def _hearing(w, *, state: str):
    now = timezone.now()
    h = hearings.hearing_create(
        actor=w.coordinator,
        area=w.county,
        title="Strategi",
        sections=[{"heading": "Mål", "text": "Mer samarbeid."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
    )
    if state == "draft":
        return h, None
    h = hearings.hearing_transition(actor=w.coordinator, hearing=h, action="open")
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Bra forslag", client_ip="198.51.100.1")
    if state == "pending":
        return h, c
    hearings.comment_moderate(actor=w.coordinator, comment=c, publish=True)
    h = hearings.hearing_transition(actor=w.coordinator, hearing=h, action="close")
    if state == "answered":
        hearings.comment_respond(actor=w.coordinator, comments=[c], response="Takk, vi tar det med.")
    return h, c


def _org_member_row(w):
    return w.forum.members.get(organisation=w.organisation)


# -- each action: (allowed roles, setup, service call, page request, page kind, API request or None) ----------
def _meeting_page(client, w, _t, kind, data):
    return client.post(reverse("dialogue:meeting", args=[w.meeting.pk]), {"form": kind, **data})


def _forum_page(client, w, _t, kind, data):
    return client.post(reverse("dialogue:forum", args=[w.forum.pk]), {"form": kind, **data})


def _hearing_page(action, data=None):
    def post(client, w, target, *_):
        hearing, comment = target
        payload = {k: (v(comment) if callable(v) else v) for k, v in (data or {}).items()}
        return client.post(reverse("dialogue:hearing_action", args=[hearing.pk, action]), payload)

    return post


MEETING_DATA = {"m-title": "Høstmøte", "m-starts_at": WHEN.strftime("%Y-%m-%dT%H:%M")}
MEETING_DATA["m-ends_at"] = (WHEN + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")

ACTIONS = {
    "meeting_create": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.meeting_create(
            actor=u, forum=w.forum, title="Høstmøte", starts_at=WHEN, ends_at=WHEN + datetime.timedelta(hours=2)
        ),
        lambda c, w, t: _forum_page(c, w, t, "meeting", MEETING_DATA),
        "forum",
        "meeting.create",
    ),
    "member_add": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.forum_member_add(actor=u, forum=w.forum, name="Nina Ny", email="nina@example.org"),
        lambda c, w, t: _forum_page(c, w, t, "member", {"mb-name": "Nina Ny", "mb-email": "nina@example.org"}),
        "forum",
        "forum.member_add",
    ),
    "member_remove": (
        MANAGERS,
        _org_member_row,
        lambda u, w, t: services.forum_member_remove(actor=u, member=t),
        lambda c, w, t: c.post(reverse("dialogue:member_remove", args=[w.forum.pk, t.pk])),
        "forum_manage",
        "forum.member_remove",
    ),
    "agenda_add": (
        MANAGERS | OWNERS,  # members of the forum propose agenda items
        lambda w: None,
        lambda u, w, t: services.agenda_item_add(actor=u, meeting=w.meeting, title="Lokaler"),
        lambda c, w, t: _meeting_page(c, w, t, "agenda", {"ag-title": "Lokaler"}),
        "forum",
        "meeting.agenda_add",
    ),
    "attachment_add": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.attachment_add(
            actor=u, meeting=w.meeting, upload=SimpleUploadedFile("referat.pdf", PDF)
        ),
        lambda c, w, t: _meeting_page(c, w, t, "attachment", {"at-file": SimpleUploadedFile("referat.pdf", PDF)}),
        "forum",
        "meeting.attachment_add",
    ),
    "minutes_save": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.minutes_save(actor=u, meeting=w.meeting, text="Referat", present_member_ids=[]),
        lambda c, w, t: _meeting_page(c, w, t, "minutes", {"mi-text": "Referat"}),
        "forum",
        "meeting.minutes_save",
    ),
    "decision_add": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.decision_add(actor=u, meeting=w.meeting, text="Vedtak"),
        lambda c, w, t: _meeting_page(c, w, t, "decision", {"de-text": "Vedtak"}),
        "forum",
        "meeting.decision_add",
    ),
    "action_create": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.action_create(
            actor=u, meeting=w.meeting, title="Nytt tiltak", owner_organisation=w.organisation
        ),
        lambda c, w, t: _meeting_page(
            c, w, t, "action", {"ac-title": "Nytt tiltak", "ac-owner_organisation": str(w.organisation.pk)}
        ),
        "forum",
        "action.create",
    ),
    "meeting_invite": (
        MANAGERS,
        lambda w: None,
        lambda u, w, t: services.meeting_invite(actor=u, meeting=w.meeting),
        lambda c, w, t: _meeting_page(c, w, t, "invite", {}),
        "forum",
        "meeting.invite",
    ),
    "action_status": (
        MANAGERS | OWNERS,  # the coordinators and the owner organisation's people
        _action_item,
        lambda u, w, t: services.action_set_status(actor=u, action=t, status="done", comment="Ferdig"),
        lambda c, w, t: c.post(reverse("dialogue:action", args=[t.pk]), {"status": "done", "comment": "Ferdig"}),
        "forum",
        "action.status",
    ),
    "hearing_open": (
        MANAGERS,
        lambda w: _hearing(w, state="draft"),
        lambda u, w, t: hearings.hearing_transition(actor=u, hearing=t[0], action="open"),
        _hearing_page("open"),
        "hearing_draft",
        "hearing.open",
    ),
    "hearing_close": (
        MANAGERS,
        lambda w: _hearing(w, state="pending"),
        lambda u, w, t: hearings.hearing_transition(actor=u, hearing=t[0], action="close"),
        _hearing_page("close"),
        "hearing",
        "hearing.close",
    ),
    "hearing_publish_comment": (
        MANAGERS,
        lambda w: _hearing(w, state="pending"),
        lambda u, w, t: hearings.comment_moderate(actor=u, comment=t[1], publish=True),
        _hearing_page("publish", {"comment": lambda c: str(c.pk)}),
        "hearing",
        "hearing.comment_moderate",
    ),
    "hearing_reject_comment": (
        MANAGERS,
        lambda w: _hearing(w, state="pending"),
        lambda u, w, t: hearings.comment_moderate(actor=u, comment=t[1], publish=False),
        _hearing_page("reject", {"comment": lambda c: str(c.pk)}),
        "hearing",
        "hearing.comment_moderate",
    ),
    "hearing_respond": (
        MANAGERS,
        lambda w: _hearing(w, state="published"),
        lambda u, w, t: hearings.comment_respond(actor=u, comments=[t[1]], response="Svar"),
        _hearing_page("respond", {"comments": lambda c: [str(c.pk)], "response": "Svar"}),
        "hearing",
        "hearing.respond",
    ),
    "hearing_publish_report": (
        MANAGERS,
        lambda w: _hearing(w, state="answered"),
        lambda u, w, t: hearings.hearing_transition(actor=u, hearing=t[0], action="publish_report", summary="Sum"),
        _hearing_page("publish_report", {"summary": "Sum"}),
        "hearing",
        "hearing.publish_report",
    ),
}


def api_action_status(client, target):
    return client.post(
        f"/api/v1/dialogue/actions/{target.pk}/status",
        {"status": "done", "comment": "Ferdig"},
        content_type="application/json",
    )


def expected_page(kind: str, role: str) -> tuple[int, bool]:
    """(status, whether an access.denied event is written) for a refused page request."""
    if kind == "forum":  # forum, meeting and action pages: readable by anyone who may see the forum
        # Someone who may not see the forum is refused on reading it; someone who may see it but not manage it, on
        # the management form (dialogue.selectors.write_refused): either way an access.denied event.
        return 404, True
    if role == "anonymous":
        return 302, False  # these pages need a login
    if kind in ("forum_manage", "hearing_draft"):
        return 404, True  # loaded for managing / a draft: nobody else learns it exists
    return 403, False  # an open or closed hearing is public; changing it is refused


def fingerprint(media_root: str) -> dict:
    """Every row, file, e-mail and audit event a refused change must leave alone."""

    def rows(qs, *fields):
        return list(qs.order_by("pk").values_list("pk", *fields))

    return {
        "forums": rows(Forum.objects, "name", "is_public", "updated_at"),
        "members": rows(ForumMember.with_removed, "removed_at", "updated_at"),
        "meetings": rows(Meeting.objects, "title", "sequence", "invited_at", "updated_at"),
        "agenda": rows(AgendaItem.objects, "title"),
        "attachments": rows(Attachment.objects),
        "minutes": rows(Minutes.objects, "text", "open_space_summary"),
        "decisions": rows(Decision.objects, "text"),
        "attendance": rows(Attendance.objects, "present"),
        "actions": rows(ActionItem.objects, "status", "closed_at", "updated_at"),
        "action_comments": rows(ActionComment.objects),
        "hearings": rows(Hearing.objects, "status", "summary", "updated_at"),
        "comments": rows(HearingComment.objects, "status", "response", "supports"),
        "audit": rows(AuditEvent.objects.exclude(action="access.denied")),
        "mail": len(mail.outbox),
        "files": sorted(str(p) for p in Path(media_root).rglob("*") if p.is_file()),
    }


def denials() -> int:
    return AuditEvent.objects.filter(action="access.denied").count()


REFUSED = [(name, role) for name, spec in ACTIONS.items() for role in ROLES if role not in spec[0]]


@pytest.mark.parametrize(("name", "role"), REFUSED)
def test_a_forbidden_change_is_refused_everywhere_and_changes_nothing(client, settings, world, name, role):
    _allowed, setup, service, page, kind, _event = ACTIONS[name]
    target = setup(world)
    user = world.cast[role]
    before = fingerprint(settings.MEDIA_ROOT)

    with pytest.raises(DomainError) as exc:
        service(user, world, target)
    assert exc.value.status_code == 403, f"service: {exc.value.detail}"
    assert fingerprint(settings.MEDIA_ROOT) == before, "service"

    login(client, role, user)
    status, audited = expected_page(kind, role)
    denied = denials()
    response = page(client, world, target)
    assert response.status_code == status, "page"
    if status == 302:
        assert reverse("accounts:login") in response["Location"]
    assert denials() == denied + (1 if audited else 0), "page: access.denied"
    assert fingerprint(settings.MEDIA_ROOT) == before, "page"

    if name == "action_status":
        denied = denials()
        response = api_action_status(client, target)
        if role == "anonymous":
            assert response.status_code == 401
        elif role in SEES_PRIVATE:
            assert response.status_code == 403 and response.json()["detail"]
        else:
            assert response.status_code == 404 and denials() == denied + 1, "api: access.denied"
        assert fingerprint(settings.MEDIA_ROOT) == before, "api"


ALLOWED = [
    (name, role, channel)
    for name, spec in ACTIONS.items()
    for role in sorted(spec[0])
    for channel in (("service", "page", "api") if name == "action_status" else ("service", "page"))
]


@pytest.mark.parametrize(("name", "role", "channel"), ALLOWED)
def test_an_allowed_change_is_made_and_audited(client, settings, world, name, role, channel):
    _allowed, setup, service, page, _kind, event = ACTIONS[name]
    target = setup(world)
    user = world.cast[role]
    before = fingerprint(settings.MEDIA_ROOT)
    events = AuditEvent.objects.filter(action=event, actor=user).count()
    if channel == "service":
        service(user, world, target)
    else:
        login(client, role, user)
        response = page(client, world, target) if channel == "page" else api_action_status(client, target)
        assert response.status_code in (200, 302), response.content[:500]
    assert AuditEvent.objects.filter(action=event, actor=user).count() == events + 1
    assert fingerprint(settings.MEDIA_ROOT) != before


CREATE = {
    "forum_create": (
        lambda u, w: services.forum_create(actor=u, area=w.county, name="Nytt forum"),
        "dialogue:forum_create",
        lambda w: {"area": str(w.county.pk), "name": "Nytt forum", "kind": "council"},
    ),
    "hearing_create": (
        lambda u, w: hearings.hearing_create(
            actor=u,
            area=w.county,
            title="Ny høring",
            sections=[{"heading": "Mål", "text": "Tekst"}],
            opens_at=WHEN,
            closes_at=WHEN + datetime.timedelta(days=14),
        ),
        "dialogue:hearing_create",
        lambda w: {
            "area": str(w.county.pk),
            "title": "Ny høring",
            "audience": "everyone",
            "opens_at": WHEN.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (WHEN + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
            "text": "## Mål\nTekst",
        },
    ),
}


@pytest.mark.parametrize(("name", "role"), [(n, r) for n in CREATE for r in ROLES])
def test_only_the_areas_coordinators_create_forums_and_hearings(client, settings, world, name, role):
    service, url_name, data = CREATE[name]
    user = world.cast[role]
    before = fingerprint(settings.MEDIA_ROOT)
    login(client, role, user)
    if role in MANAGERS:
        service(user, world)
        assert client.post(reverse(url_name), data(world)).status_code == 302
        assert (Forum if name == "forum_create" else Hearing).objects.filter(area=world.county).count() >= 2
        return
    with pytest.raises(DomainError) as exc:
        service(user, world)
    assert exc.value.status_code == 403
    response = client.post(reverse(url_name), data(world))
    # Anonymous: to the login page. No coordinated area: 403. Asker's coordinator: Akershus is not a choice (422).
    expected = {"anonymous": 302, "other_coordinator": 422}.get(role, 403)
    assert response.status_code == expected
    assert fingerprint(settings.MEDIA_ROOT) == before
