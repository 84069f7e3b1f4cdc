"""Issue 6, "Tests and measurements": version comparison, a signed version cannot change, the signature hash is the
hash of the exact text shown, and reminders fire once (service, command and task)."""

import datetime
import hashlib
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.tests.factories import confirmed_device, plain_login, staff_login, totp_code
from samverka.agreements import services
from samverka.agreements.compare import compare
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Reminder,
    Signature,
    canonical_text,
)
from samverka.agreements.reminders import send_due_reminders
from samverka.agreements.tasks import send_agreement_reminders
from samverka.core.errors import ConflictError

from .factories import make_world, to_signing

pytestmark = pytest.mark.django_db

V1 = [
    {"heading": "1. Parter", "text": "Kommunen og foreningen."},
    {"heading": "2. Formål", "text": "Besøksvenner for eldre."},
]


def _versions(world):
    a = world.agreement
    v1 = services.version_create(actor=world.coordinator, agreement=a, title="Avtale", sections=V1)
    changed = [V1[0], {"heading": "2. Formål", "text": "Besøksvenner for alle."}]
    v2 = services.version_create(actor=world.coordinator, agreement=a, title="Avtale", sections=changed)
    reshaped = [changed[1], {"heading": "3. Varighet", "text": "Fem år."}]  # section 1 removed, section 3 added
    v3 = services.version_create(actor=world.coordinator, agreement=a, title="Avtale", sections=reshaped)
    return v1, v2, v3


def test_a_changed_word_is_struck_through_on_the_left_and_underlined_on_the_right():
    v1, v2, _v3 = _versions(make_world())
    rows = compare(v1, v2)
    changed = [r for r in rows if r.tag != "equal"]
    assert len(changed) == 1 and changed[0].tag == "replace"
    assert changed[0].left == "Besøksvenner for <del>eldre.</del>"
    assert changed[0].right == "Besøksvenner for <ins>alle.</ins>"
    assert [r.left for r in rows if r.tag == "equal"] == [
        "Avtale",
        "## 1. Parter",
        "Kommunen og foreningen.",
        "## 2. Formål",
    ]


def test_any_two_versions_compare_in_either_order_with_removed_and_added_sections():
    v1, _v2, v3 = _versions(make_world())
    forward = compare(v1, v3)
    removed = [r.left for r in forward if r.tag == "delete"]
    added = [r.right for r in forward if r.tag == "insert"]
    assert "<del>## 1. Parter</del>" in removed and "<del>Kommunen og foreningen.</del>" in removed
    assert "<ins>## 3. Varighet</ins>" in added and "<ins>Fem år.</ins>" in added
    assert all(r.right == "" for r in forward if r.tag == "delete")
    backward = compare(v3, v1)  # the other way round: what was added is now removed
    assert sorted(r.left for r in backward if r.tag == "delete") == sorted(a.replace("ins>", "del>") for a in added)


def test_versions_page_compares_any_pair_and_ignores_a_bad_pair(client):
    world = make_world()
    _versions(world)
    staff_login(client, world.coordinator)
    url = reverse("agreements:versions", args=[world.agreement.pk])
    page = client.get(url, {"a": 4, "b": 2})
    assert page.status_code == 200 and "Version 4 compared with version 2" in page.text
    assert "<del>Fem år.</del>" in page.text
    for bad in ({"a": 99, "b": 1}, {"a": "x", "b": "1"}, {"a": "1"}):
        response = client.get(url, bad)
        assert response.status_code == 200 and 'class="diff"' not in response.text


def _sign_everyone(world, agreement):
    for user in (world.coordinator, world.org_admin):
        TOTPDevice.objects.filter(user=user).update(last_t=-1)
        services.agreement_sign(
            actor=user,
            agreement=agreement,
            otp_token=totp_code(confirmed_device(user)),
            text_sha256=agreement.current_version.text_sha256,
        )
    return Agreement.objects.get(pk=agreement.pk)


def test_a_signed_version_cannot_change_on_the_page_in_the_api_or_in_the_database(client):
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    version = AgreementVersion.objects.get(pk=a.current_version_id)
    sha, sections = version.text_sha256, version.sections
    staff_login(client, world.coordinator)
    page = client.post(reverse("agreements:edit_text", args=[a.pk]), {"title": "Forfalsket", "text": "## 1\nNy"})
    assert page.status_code == 409
    api = client.post(
        f"/api/v1/agreements/agreements/{a.pk}/versions",
        {"title": "Forfalsket", "sections": [{"heading": "1", "text": "Ny"}]},
        content_type="application/json",
    )
    assert api.status_code == 409
    signature = Signature.objects.filter(version=version).first()
    signature.text_sha256 = "0" * 64
    with pytest.raises(ConflictError):
        signature.save()
    version.refresh_from_db()
    assert (version.text_sha256, version.sections, version.frozen) == (sha, sections, True)
    assert a.versions.count() == 1
    assert set(Signature.objects.filter(version=version).values_list("text_sha256", flat=True)) == {sha}


def test_the_signature_hash_is_the_sha256_of_the_exact_text_shown_on_the_sign_page(client):
    world = make_world()
    a = to_signing(world)
    version = a.current_version
    plain_login(client, world.org_admin)
    page = client.get(reverse("agreements:sign", args=[a.pk]))
    shown = re.search(r'name="text_sha256" value="([0-9a-f]{64})"', page.text).group(1)
    expected = hashlib.sha256(canonical_text(version.title, version.sections).encode("utf-8")).hexdigest()
    assert shown == expected == version.text_sha256 and expected in page.text
    response = client.post(
        reverse("agreements:sign", args=[a.pk]),
        {"otp_token": totp_code(confirmed_device(world.org_admin)), "text_sha256": shown},
    )
    assert response.status_code == 302
    signature = Signature.objects.get(user=world.org_admin)
    assert signature.text_sha256 == expected and signature.version_id == version.pk
    html = render_to_string("agreements/pdf.html", {"agreement": a, "version": version, "signatures": [signature]})
    assert html.count(expected) >= 2  # the text's fingerprint and the signature row


def test_line_endings_do_not_change_the_hash_but_any_other_character_does():
    crlf = canonical_text("Avtale", [{"heading": "1", "text": "Linje én\r\nLinje to"}])
    lf = canonical_text("Avtale", [{"heading": "1", "text": "Linje én\nLinje to"}])
    other = canonical_text("Avtale", [{"heading": "1", "text": "Linje én\nLinje to."}])
    assert crlf == lf and lf != other


def test_signing_with_the_hash_of_an_earlier_version_signs_nothing(client):
    """After an amendment the new version is being signed: the old text's hash no longer signs anything."""
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    old_sha = a.current_version.text_sha256
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    services.version_create(
        actor=world.coordinator, agreement=a, title=a.title, sections=[{"heading": "1", "text": "Tillegg"}]
    )
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_signing")
    TOTPDevice.objects.filter(user=world.org_admin).update(last_t=-1)
    plain_login(client, world.org_admin)
    response = client.post(
        f"/api/v1/agreements/agreements/{a.pk}/sign",
        {"otp_token": totp_code(confirmed_device(world.org_admin)), "text_sha256": old_sha},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert not Signature.objects.filter(version=a.current_version).exists()


def _in_force(world, *, review_in: int, ends_in: int) -> Agreement:
    today = timezone.localdate()
    a = _sign_everyone(world, to_signing(world))
    Agreement.objects.filter(pk=a.pk).update(
        review_date=today + datetime.timedelta(days=review_in), ends=today + datetime.timedelta(days=ends_in)
    )
    return Agreement.objects.get(pk=a.pk)


def test_reminders_fire_once_whether_run_by_the_command_or_the_task():
    world = make_world()
    a = _in_force(world, review_in=10, ends_in=100)
    draft = make_world().agreement  # not in force: never reminded
    Agreement.objects.filter(pk=draft.pk).update(review_date=a.review_date, ends=a.ends)
    mail.outbox.clear()
    out = io.StringIO()
    call_command("agreement_reminders", stdout=out)
    call_command("agreement_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["Agreement reminders sent: 2.", "Agreement reminders sent: 0."]
    send_agreement_reminders.enqueue()
    assert send_due_reminders() == 0
    assert sorted(Reminder.objects.values_list("agreement_id", "kind")) == sorted([(a.pk, "end"), (a.pk, "review")])
    assert len(mail.outbox) == 2
    assert world.coordinator.email in mail.outbox[0].to and world.org_admin.email in mail.outbox[0].to


def test_a_new_review_date_is_reminded_once_and_a_renewal_decision_stops_the_end_reminder():
    world = make_world()
    a = _in_force(world, review_in=10, ends_in=400)
    assert send_due_reminders() == 1  # the review; the end is more than 180 days away
    Agreement.objects.filter(pk=a.pk).update(review_date=a.review_date + datetime.timedelta(days=5))
    assert send_due_reminders() == 1 and send_due_reminders() == 0
    Agreement.objects.filter(pk=a.pk).update(
        ends=timezone.localdate() + datetime.timedelta(days=90), renewal_decision="renew"
    )
    assert send_due_reminders() == 0
    Agreement.objects.filter(pk=a.pk).update(renewal_decision="")
    assert send_due_reminders() == 1
    assert list(Reminder.objects.filter(agreement=a, kind="end").values_list("due_date", flat=True)) == [
        timezone.localdate() + datetime.timedelta(days=90)
    ]


def test_an_ended_agreement_is_not_reminded():
    world = make_world()
    a = _in_force(world, review_in=10, ends_in=100)
    Agreement.objects.filter(pk=a.pk).update(status=AgreementStatus.ENDED)
    assert send_due_reminders() == 0 and not Reminder.objects.exists()


def test_an_unsigned_amendment_cannot_be_renewed_or_concluded_only_signed_or_ended():
    """Amendments need new signatures: a review whose current text was changed and not signed may not put the
    agreement back in force (conclude or renew) — it must be signed first (or the agreement ended)."""
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    services.version_create(
        actor=world.coordinator, agreement=a, title=a.title, sections=[{"heading": "1", "text": "Tillegg"}]
    )
    for action in ("conclude_review", "renew"):
        with pytest.raises(ConflictError):
            services.agreement_transition(
                actor=world.coordinator, agreement=a, action=action, ends=datetime.date(2035, 12, 31)
            )
    a.refresh_from_db()
    assert (a.status, a.renewal_decision, a.ends) == (AgreementStatus.REVIEW, "", datetime.date(2030, 12, 31))
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_signing")
    a = _sign_everyone(world, a)
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    a = services.agreement_transition(
        actor=world.coordinator, agreement=a, action="renew", ends=datetime.date(2035, 12, 31)
    )
    assert a.status == AgreementStatus.RENEWED and a.current_version.signatures.count() == 2
