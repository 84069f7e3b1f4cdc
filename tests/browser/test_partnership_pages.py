"""Agreements, forums and hearings pages pass axe-core (no serious/critical violation) and the CSP."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from samverka.agreements import services as agreements
from samverka.agreements.models import PrincipleSet, Template
from samverka.dialogue import hearings
from samverka.dialogue import services as dialogue

from .data import build_world
from .test_accessibility import _report, audit_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _partnership(world):
    coordinator, county = world.coordinator, world.county
    a = agreements.agreement_create(
        actor=coordinator,
        area=world.municipality,
        kind="municipal_cooperation",
        template=Template.objects.get(code="municipal-cooperation", language="en"),
        organisations=[world.organisation],
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2027, 12, 31),
    )
    agreements.version_create(
        actor=coordinator, agreement=a, title=a.title, sections=[{"heading": "1. Parties", "text": "Changed text."}]
    )
    forum = dialogue.forum_create(actor=coordinator, area=county, name="Cooperation council", is_public=True)
    dialogue.forum_member_add(actor=coordinator, forum=forum, user=coordinator, represents_public_body=True)
    now = timezone.now()
    meeting = dialogue.meeting_create(
        actor=coordinator,
        forum=forum,
        title="Spring meeting",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
    )
    decision = dialogue.decision_add(actor=coordinator, meeting=meeting, text="Map the premises.")
    action = dialogue.action_create(
        actor=coordinator, meeting=meeting, title="Premises list", decision=decision, owner_user=coordinator
    )
    hearing = hearings.hearing_create(
        actor=coordinator,
        area=county,
        title="Strategy hearing",
        sections=[{"heading": "Aims", "text": "More cooperation."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=5),
    )
    hearings.hearing_transition(actor=coordinator, hearing=hearing, action="open")
    agreements.agreement_update_details(actor=coordinator, agreement=a, data={"published": True})
    return a, forum, meeting, action, hearing


def _code(device, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps * device.step
    return f"{totp.token():0{device.digits}d}"


def _agreement_in(world, status: str, *, principles: bool = False):
    """An agreement walked through the services to `status`: consultation, signing or review. The coordinator
    signs for both parties (with two successive codes: a used code is refused)."""
    coordinator = world.coordinator
    a = agreements.agreement_create(
        actor=coordinator,
        area=world.municipality,
        kind="iop",
        template=Template.objects.get(code="iop", language="en"),
        organisations=[world.organisation],
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2031, 12, 31),
        principle_set=PrincipleSet.objects.get(code="se-national-agreement") if principles else None,
    )
    a = agreements.agreement_transition(actor=coordinator, agreement=a, action="open_consultation")
    if status == "consultation":
        agreements.comment_add(actor=coordinator, agreement=a, section_index=0, text="Please name the contact.")
        return a
    for party in a.parties.all():
        agreements.signatory_add(actor=coordinator, party=party, user=coordinator, position="Director")
    for action in ("agree", "start_signing"):
        a = agreements.agreement_transition(actor=coordinator, agreement=a, action=action)
    if status == "signing":
        return a
    for steps in (0, 1):
        agreements.agreement_sign(
            actor=coordinator,
            agreement=a,
            otp_token=_code(world.coordinator_device, steps),
            text_sha256=a.current_version.text_sha256,
        )
    return agreements.agreement_transition(actor=coordinator, agreement=a, action="start_review")


def _hearing_in(world, status: str):
    """A hearing with one published comment, closed (responses pending) or with its report published."""
    coordinator, now = world.coordinator, timezone.now()
    h = hearings.hearing_create(
        actor=coordinator,
        area=world.county,
        title=f"Hearing ({status})",
        sections=[{"heading": "Aims", "text": "More cooperation."}],
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=5),
    )
    h = hearings.hearing_transition(actor=coordinator, hearing=h, action="open")
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="More meeting places.", client_ip="192.0.2.9")
    hearings.comment_moderate(actor=coordinator, comment=c, publish=True)
    h = hearings.hearing_transition(actor=coordinator, hearing=h, action="close")
    if status == "reported":
        hearings.comment_respond(actor=coordinator, comments=[c], response="Two more will open.")
        h = hearings.hearing_transition(actor=coordinator, hearing=h, action="publish_report", summary="Thank you.")
    return h


def test_partnership_public_pages_are_accessible(page):
    world = build_world()
    a, forum, meeting, action, hearing = _partnership(world)
    signing = _agreement_in(world, "signing")
    agreements.agreement_update_details(actor=world.coordinator, agreement=signing, data={"published": True})
    reported = _hearing_in(world, "reported")
    urls = [
        reverse("agreements:public_register"),
        reverse("agreements:public_detail", args=[signing.pk]),
        reverse("dialogue:hearing_report", args=[reported.pk]),
        reverse("dialogue:index"),
        reverse("dialogue:forum", args=[forum.pk]),
        reverse("dialogue:meeting", args=[meeting.pk]),
        reverse("dialogue:action", args=[action.pk]),
        reverse("dialogue:hearings"),
        reverse("dialogue:hearing", args=[hearing.pk]),
        reverse("dialogue:hearing_section", args=[hearing.pk, 1]),
    ]
    problems = audit_pages(page, urls)
    assert not problems, _report(problems)


def test_partnership_coordinator_pages_are_accessible(page, browser_login):
    world = build_world()
    a, forum, meeting, action, hearing = _partnership(world)
    consultation = _agreement_in(world, "consultation")
    signing = _agreement_in(world, "signing")
    review = _agreement_in(world, "review", principles=True)
    closed = _hearing_in(world, "closed")
    opened = type(hearing).objects.get(pk=hearing.pk)  # `_partnership` returns the hearing as created (draft)
    pending = hearings.comment_add(actor=AnonymousUser(), hearing=opened, text="Pending.", client_ip="192.0.2.7")
    iop = Template.objects.get(code="iop", language="en")
    browser_login(world.coordinator, otp_device=world.coordinator_device)
    urls = [
        reverse("agreements:create") + f"?template={iop.pk}",  # with the template's fields to fill in
        reverse("dialogue:hearing_create") + f"?agreement={a.pk}",  # a hearing on the draft agreement
        reverse("dialogue:hearing_action", args=[hearing.pk, "close"]),  # confirmation
        reverse("dialogue:hearing_action", args=[hearing.pk, "reject"]) + f"?comment={pending.pk}",
        reverse("dialogue:calendar") + "?replace=1",
        reverse("agreements:principle_set_create"),
        reverse("agreements:version", args=[a.pk, 1]),
        reverse("agreements:detail", args=[consultation.pk]),  # with the comment form and a comment
        reverse("agreements:sign", args=[signing.pk]),
        reverse("agreements:detail", args=[review.pk]),  # signatures, trend
        reverse("agreements:review", args=[review.pk]),  # with the score form
        reverse("agreements:transition", args=[review.pk, "renew"]),  # with the new end date
        reverse("dialogue:action", args=[action.pk]),  # with the status form
        reverse("dialogue:hearing", args=[closed.pk]),  # with the response and summary forms
        reverse("agreements:index"),
        reverse("agreements:register"),
        reverse("agreements:library"),
        reverse("agreements:create"),
        reverse("agreements:template_create"),
        reverse("agreements:detail", args=[a.pk]),
        reverse("agreements:parties", args=[a.pk]),
        reverse("agreements:versions", args=[a.pk]) + "?a=1&b=2",
        reverse("agreements:edit_text", args=[a.pk]),
        reverse("agreements:review", args=[a.pk]),
        reverse("agreements:transition", args=[a.pk, "open_consultation"]),
        reverse("dialogue:forum", args=[forum.pk]),
        reverse("dialogue:meeting", args=[meeting.pk]),
        reverse("dialogue:hearing", args=[hearing.pk]),
        reverse("dialogue:forum_create"),
        reverse("dialogue:hearing_create"),
        reverse("dialogue:calendar"),
        reverse("dialogue:forum", args=[forum.pk]) + "?status=&sort=-due",
        reverse("dialogue:member_remove", args=[forum.pk, forum.members.get().pk]),
        reverse("dialogue:hearing_section", args=[hearing.pk, 1]),
    ]
    problems = audit_pages(page, urls)
    assert not problems, _report(problems)
