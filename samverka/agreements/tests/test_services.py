import datetime
import hashlib

import pytest
from django.core import mail

from samverka.accounts.tests.factories import confirmed_device, make_user, totp_code
from samverka.agreements import services
from samverka.agreements.durations import duration_warning
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Reminder,
    Review,
    Signature,
)
from samverka.agreements.reminders import send_due_reminders
from samverka.agreements.selectors import open_disagreements, review_trend
from samverka.audit.models import AuditEvent
from samverka.core.errors import ConflictError, ValidationError

from .factories import make_world, to_signing

pytestmark = pytest.mark.django_db


def _sign_all(world, agreement, step: int = 0):
    """Each signatory signs; `step` picks the next 30-second code (a used code is refused as a replay)."""
    for user in (world.coordinator, world.org_admin):
        device = confirmed_device(user)
        services.agreement_sign(
            actor=user,
            agreement=agreement,
            otp_token=totp_code(device, step),
            text_sha256=agreement.current_version.text_sha256,
        )
    return Agreement.objects.get(pk=agreement.pk)


def test_agreement_from_template_fills_parties_area_dates_and_principles():
    world = make_world()
    a = world.agreement
    text = a.current_version.text
    assert a.status == AgreementStatus.DRAFT
    assert world.municipality.name in a.title and world.organisation.name in a.title
    assert "2025-01-01" in text and "2030-12-31" in text and "Besøksvenner for eldre." in text
    assert a.parties.count() == 2
    assert a.principles.count() == 6
    assert AuditEvent.objects.filter(action="agreement.create", object_id=str(a.pk)).exists()


def test_wrong_state_transition_is_refused_and_writes_nothing():
    world = make_world()
    events = AuditEvent.objects.count()
    with pytest.raises(ConflictError):
        services.agreement_transition(actor=world.coordinator, agreement=world.agreement, action="start_signing")
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.DRAFT
    assert AuditEvent.objects.count() == events
    assert not AgreementVersion.objects.filter(agreement=world.agreement, frozen=True).exists()


@pytest.mark.parametrize("who", ["org_admin", "stranger"])
def test_only_coordinators_make_transitions(who):
    world = make_world()
    actor = world.org_admin if who == "org_admin" else make_user()
    with pytest.raises(services.Forbidden):
        services.agreement_transition(actor=actor, agreement=world.agreement, action="open_consultation")
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.DRAFT


def test_signing_needs_a_signatory_for_every_party():
    world = make_world()
    a = world.agreement
    for action in ("open_consultation", "agree"):
        a = services.agreement_transition(actor=world.coordinator, agreement=a, action=action)
    with pytest.raises(ValidationError) as exc:
        services.agreement_transition(actor=world.coordinator, agreement=a, action="start_signing")
    assert "signatories" in exc.value.errors


def test_every_text_change_is_a_new_version():
    world = make_world()
    v1 = world.agreement.current_version
    v2 = services.version_create(
        actor=world.coordinator,
        agreement=world.agreement,
        title="Ny tittel",
        sections=[{"heading": "1", "text": "Endret tekst"}],
        note="kortere",
    )
    assert v2.number == 2
    v1.refresh_from_db()
    assert v1.title != "Ny tittel"
    with pytest.raises(ConflictError):
        services.version_create(
            actor=world.coordinator,
            agreement=world.agreement,
            title="Ny tittel",
            sections=[{"heading": "1", "text": "Endret tekst"}],
        )


def test_signature_records_sha256_of_exact_text_and_all_signatures_make_it_active():
    world = make_world()
    a = to_signing(world)
    version = a.current_version
    expected = hashlib.sha256(version.text.encode("utf-8")).hexdigest()
    device = confirmed_device(world.coordinator)
    sig = services.agreement_sign(
        actor=world.coordinator, agreement=a, otp_token=totp_code(device), text_sha256=version.text_sha256
    )
    assert sig.text_sha256 == expected == version.text_sha256
    a.refresh_from_db()
    assert a.status == AgreementStatus.SIGNING
    a = _sign_all_remaining(world, a)
    assert a.status == AgreementStatus.ACTIVE
    assert Signature.objects.filter(version=version).count() == 2


def _sign_all_remaining(world, a):
    device = confirmed_device(world.org_admin)
    services.agreement_sign(
        actor=world.org_admin, agreement=a, otp_token=totp_code(device), text_sha256=a.current_version.text_sha256
    )
    return Agreement.objects.get(pk=a.pk)


def test_signing_needs_a_fresh_valid_code(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code would otherwise lock the next try for a second
    world = make_world()
    a = to_signing(world)
    device = confirmed_device(world.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.agreement_sign(
            actor=world.coordinator, agreement=a, otp_token=_wrong(device), text_sha256=a.current_version.text_sha256
        )
    assert "otp_token" in exc.value.errors
    code = totp_code(device)
    services.agreement_sign(
        actor=world.coordinator, agreement=a, otp_token=code, text_sha256=a.current_version.text_sha256
    )
    # The same code cannot be used again (replay), not even for the other signatory row.
    assert not Signature.objects.filter(user=world.org_admin).exists()
    assert Signature.objects.filter(user=world.coordinator).count() == 1


def _wrong(device) -> str:
    return "000000" if totp_code(device) != "000000" else "111111"


def test_signing_refuses_when_the_shown_text_hash_differs():
    world = make_world()
    a = to_signing(world)
    device = confirmed_device(world.coordinator)
    with pytest.raises(ConflictError):
        services.agreement_sign(actor=world.coordinator, agreement=a, otp_token=totp_code(device), text_sha256="0" * 64)
    assert not Signature.objects.exists()


def test_non_signatory_cannot_sign():
    world = make_world()
    a = to_signing(world)
    other = make_user()
    with pytest.raises(services.Forbidden):
        services.agreement_sign(actor=other, agreement=a, otp_token="123456", text_sha256=a.current_version.text_sha256)


def test_signed_version_can_never_change():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    version = AgreementVersion.objects.get(pk=a.current_version_id)
    version.sections = [{"heading": "x", "text": "forged"}]
    with pytest.raises(ConflictError):
        version.save()
    with pytest.raises(ConflictError):
        version.delete()
    with pytest.raises(ConflictError):
        services.version_create(
            actor=world.coordinator, agreement=a, title="x", sections=[{"heading": "x", "text": "y"}]
        )
    version.refresh_from_db()
    assert version.sections != [{"heading": "x", "text": "forged"}]


def test_amendment_is_a_new_version_needing_new_signatures():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    a = services.agreement_transition(
        actor=world.coordinator, agreement=a, action="start_review", today=datetime.date(2026, 1, 10)
    )
    assert Review.objects.filter(agreement=a, year=2026).exists()
    v2 = services.version_create(
        actor=world.coordinator,
        agreement=a,
        title=a.title,
        sections=[{"heading": "1", "text": "Tillegg"}],
        note="amendment",
    )
    with pytest.raises(ConflictError):
        services.agreement_transition(actor=world.coordinator, agreement=a, action="conclude_review")
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_signing")
    assert a.current_version_id == v2.pk and not v2.signatures.exists()
    a = _sign_all(world, a, step=1)
    assert a.status == AgreementStatus.ACTIVE
    assert v2.signatures.count() == 2


def test_renew_needs_a_later_end_date_and_records_the_decision():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    with pytest.raises(ValidationError):
        services.agreement_transition(actor=world.coordinator, agreement=a, action="renew", ends=a.ends)
    a = services.agreement_transition(
        actor=world.coordinator, agreement=a, action="renew", ends=datetime.date(2035, 12, 31)
    )
    assert a.status == AgreementStatus.RENEWED and a.renewal_decision == "renew"


def test_duration_warning_for_short_partnerships(settings):
    world = make_world()
    a = world.agreement
    assert duration_warning(a) == ""
    a.ends = datetime.date(2027, 12, 31)
    assert "5 years" in duration_warning(a)
    settings.AGREEMENT_MIN_YEARS = 2
    assert duration_warning(a) == ""
    a.kind = "grant_agreement"
    settings.AGREEMENT_MIN_YEARS = 5
    assert duration_warning(a) == ""


def test_reminders_fire_once():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    mail.outbox.clear()
    today = datetime.date(2026, 1, 1)  # review on 2026-01-15
    assert send_due_reminders(today) == 1
    assert send_due_reminders(today) == 0
    assert Reminder.objects.filter(agreement=a, kind="review").count() == 1
    assert len(mail.outbox) == 1
    assert send_due_reminders(datetime.date(2030, 9, 1)) == 1  # end date without renewal decision
    assert send_due_reminders(datetime.date(2030, 9, 2)) == 0


def test_review_scores_trend_and_open_disagreements():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    principle = a.principles.first()
    parties = {p.organisation_id is not None: p for p in a.parties.all()}
    for year, scores in ((2025, (2, 4)), (2026, (4, 4))):
        a = services.agreement_transition(
            actor=world.coordinator, agreement=a, action="start_review", today=datetime.date(year, 3, 1)
        )
        review = Review.objects.get(agreement=a, year=year)
        services.review_score_set(
            actor=world.coordinator,
            review=review,
            principle=principle,
            party=parties[False],
            score=scores[0],
            evidence_links=["https://example.org/report"],
        )
        services.review_score_set(
            actor=world.org_admin,
            review=review,
            principle=principle,
            party=parties[True],
            score=scores[1],
            disagreement="Lokaler mangler" if year == 2026 else "",
        )
        a = services.agreement_transition(actor=world.coordinator, agreement=a, action="conclude_review")
    trend = review_trend(a)
    assert [str(y["score"]) for y in trend[0]["years"]] == ["3.0", "4.0"]
    assert [d.disagreement for d in open_disagreements(a)] == ["Lokaler mangler"]


def test_party_cannot_score_for_another_party_and_bad_scores_are_refused():
    world = make_world()
    a = _sign_all(world, to_signing(world))
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    review = a.reviews.get()
    public = next(p for p in a.parties.all() if p.area_id)
    principle = a.principles.first()
    with pytest.raises(services.Forbidden):
        services.review_score_set(actor=world.org_admin, review=review, principle=principle, party=public, score=3)
    with pytest.raises(ValidationError):
        services.review_score_set(actor=world.coordinator, review=review, principle=principle, party=public, score=6)
    with pytest.raises(ValidationError):
        services.review_score_set(
            actor=world.coordinator,
            review=review,
            principle=principle,
            party=public,
            score=3,
            evidence_links=["javascript:alert(1)"],
        )
    assert not review.scores.exists()


def test_parties_comment_only_during_consultation():
    world = make_world()
    with pytest.raises(ConflictError):
        services.comment_add(actor=world.org_admin, agreement=world.agreement, section_index=0, text="Hei")
    a = services.agreement_transition(actor=world.coordinator, agreement=world.agreement, action="open_consultation")
    c = services.comment_add(actor=world.org_admin, agreement=a, section_index=1, text="Vi ønsker lengre periode")
    assert c.party.organisation_id == world.organisation.pk
    with pytest.raises(services.Forbidden):
        services.comment_add(actor=make_user(), agreement=a, section_index=0, text="x")


def test_coordinators_add_templates_and_principles():
    world = make_world()
    tpl = services.template_create(
        actor=world.coordinator,
        area=world.county,
        title="Avtale med {organisation}",
        language="nb",
        kind="grant_agreement",
        sections=[{"heading": "Tilskudd", "text": "Beløp {amount}"}],
    )
    assert {f["name"] for f in tpl.fields} == {"organisation", "amount"}
    ps = services.principle_set_create(actor=world.coordinator, area=world.county, name="Våre", principles=["A", "B"])
    assert ps.principles.count() == 2
    with pytest.raises(services.Forbidden):
        services.principle_set_create(actor=world.org_admin, area=world.county, name="x", principles=["A"])


def test_shipped_library_has_three_templates_in_four_languages_and_two_principle_sets():
    from samverka.agreements.models import PrincipleSet, Template

    assert Template.objects.filter(area__isnull=True).count() == 12
    assert set(Template.objects.values_list("language", flat=True)) == {"nb", "sv", "fi", "en"}
    se = PrincipleSet.objects.get(code="se-national-agreement")
    assert se.principles.count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_make_one_change_and_one_conflict():
    import threading

    from django.db import connection

    world = make_world()
    results = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            services.agreement_transition(
                actor=world.coordinator, agreement=world.agreement, action="open_consultation"
            )
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="agreement.open_consultation").count() == 1
