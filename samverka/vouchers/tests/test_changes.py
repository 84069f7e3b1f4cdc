"""Correcting claims, editing residents, suspending/closing/funding schemes: services, pages and API."""

import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AccessEvent, AuditEvent
from samverka.core.errors import ConflictError, NotFound, ValidationError
from samverka.vouchers import selectors, services
from samverka.vouchers.models import LedgerEntry, LedgerTransaction, SchemeStatus

from .factories import World, resident, voucher

pytestmark = pytest.mark.django_db
LAST_MONTH = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)


# -- claim correction ---------------------------------------------------------------------------------------


def test_claim_correction_page_asks_for_reason_and_confirmation_before_reversing(client):
    world = World()
    claim, _ = world.claim()
    staff_login(client, world.officer)
    url = reverse("vouchers:claim_reverse", args=[claim.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Yes, correct the claim" in page.content.decode()
    entries = LedgerEntry.objects.count()
    assert client.post(url, {"reason": "Wrong date"}).status_code == 422  # not confirmed
    assert client.post(url, {"confirm": "on"}).status_code == 422  # no reason
    assert LedgerEntry.objects.count() == entries
    done = client.post(url, {"reason": "Wrong date", "confirm": "on"})
    assert done.status_code == 302
    assert LedgerTransaction.objects.filter(reverses=claim.transaction).exists()
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == world.voucher.value_minor
    assert client.post(url, {"reason": "Again", "confirm": "on"}).status_code == 409
    assert AuditEvent.objects.filter(action="vouchers.claim.reverse").count() == 1


def test_voucher_page_links_open_claims_to_correction(client):
    world = World()
    claim, _ = world.claim()
    staff_login(client, world.officer)
    body = client.get(reverse("vouchers:voucher_detail", args=[world.voucher.pk])).content.decode()
    assert reverse("vouchers:claim_reverse", args=[claim.pk]) in body


def test_provider_and_other_areas_cannot_correct_claims_and_attempt_is_audited(client):
    world = World()
    claim, _ = world.claim()
    plain_login(client, world.provider_user)
    assert client.get(reverse("vouchers:claim_reverse", args=[claim.pk])).status_code == 404
    with pytest.raises(NotFound):
        selectors.claim_get_for_officer(actor=world.provider_user, pk=claim.pk)
    assert AuditEvent.objects.filter(action="access.denied").exists()


def test_settled_claim_cannot_be_corrected():
    world = World()
    claim, _ = world.claim(day=LAST_MONTH if world.voucher.valid_from <= LAST_MONTH else None)
    services.settlement_run(actor=world.officer, scheme=world.scheme, month=LAST_MONTH)
    with pytest.raises(ConflictError):
        services.claim_reverse(actor=world.officer, claim=claim, reason="Too late")


def test_claim_reversal_api(client):
    world = World()
    claim, _ = world.claim()
    staff_login(client, world.officer)
    url = f"/api/v1/vouchers/claims/{claim.pk}/reversal"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    ok = client.post(url, {"reason": "Double entry"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["voucher_remaining"] == "5000.00"
    assert client.post(url, {"reason": "Again"}, content_type="application/json").status_code == 409
    plain_login(client, world.provider_user)
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 404


# -- residents ----------------------------------------------------------------------------------------------


def test_resident_edit_page_saves_contact_audits_field_names_and_logs_the_read(client):
    world = World()
    staff_login(client, world.officer)
    url = reverse("vouchers:resident_edit", args=[world.resident.pk])
    reads = AccessEvent.objects.filter(subject_id=str(world.resident.pk), purpose="edit").count()
    assert client.get(url).status_code == 200
    data = {"full_name": "Ola Nordmann", "email": "ola@example.org", "phone": "", "address": "Storgata 1"}
    response = client.post(url, {**data, "preferred_language": "en"})
    assert response.status_code == 302
    world.resident.refresh_from_db()
    assert world.resident.full_name == "Ola Nordmann" and world.resident.preferred_language == "en"
    event = AuditEvent.objects.filter(action="vouchers.resident.update").latest("created_at")
    assert "Ola Nordmann" not in str(event.changes) and "full_name" in str(event.changes)
    assert AccessEvent.objects.filter(subject_id=str(world.resident.pk), purpose="edit").count() > reads


def test_resident_edit_with_bad_email_is_422_and_changes_nothing(client):
    world = World()
    staff_login(client, world.officer)
    url = reverse("vouchers:resident_edit", args=[world.resident.pk])
    response = client.post(url, {"full_name": "X", "email": "not-an-email", "preferred_language": "nb"})
    assert response.status_code == 422
    world.resident.refresh_from_db()
    assert world.resident.full_name == "Ola Testperson"


def test_resident_api_get_and_patch(client):
    world = World()
    staff_login(client, world.officer)
    url = f"/api/v1/vouchers/residents/{world.resident.pk}"
    assert client.get(url).json()["full_name"] == "Ola Testperson"
    patched = client.patch(url, {"phone": "+47 99 99 99 99"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["phone"] == "+47 99 99 99 99"
    assert patched.json()["full_name"] == "Ola Testperson"
    bad = client.patch(url, {"preferred_language": "xx"}, content_type="application/json")
    assert bad.status_code == 422
    assert AccessEvent.objects.filter(subject_id=str(world.resident.pk), purpose="api").exists()
    plain_login(client, world.provider_user)
    assert client.patch(url, {"phone": "1"}, content_type="application/json").status_code == 404


# -- scheme status and funding ------------------------------------------------------------------------------


def test_suspend_then_reopen_then_close_for_good():
    world = World()
    with pytest.raises(ValidationError):
        services.scheme_set_status(actor=world.officer, scheme=world.scheme, status="suspended")
    services.scheme_set_status(actor=world.officer, scheme=world.scheme, status="suspended", reason="Budget review")
    with pytest.raises(ConflictError):
        voucher(world.officer, world.scheme, resident(world.officer))
    assert world.scheme not in selectors.scheme_list_public()
    services.scheme_set_status(actor=world.officer, scheme=world.scheme, status="open")
    services.scheme_set_status(actor=world.officer, scheme=world.scheme, status="closed", reason="Ended")
    with pytest.raises(ConflictError):
        services.scheme_set_status(actor=world.officer, scheme=world.scheme, status="open")
    with pytest.raises(ConflictError):
        services.scheme_fund(actor=world.officer, scheme=world.scheme, amount="10")
    # Vouchers already issued keep running.
    claim, created = world.claim()
    assert created


def test_scheme_status_page_needs_confirmation(client):
    world = World()
    staff_login(client, world.officer)
    url = reverse("vouchers:scheme_status", args=[world.scheme.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "closed", "reason": "Ended"}).status_code == 422
    world.scheme.refresh_from_db()
    assert world.scheme.status == SchemeStatus.OPEN
    assert client.post(url, {"status": "closed", "reason": "Ended", "confirm": "on"}).status_code == 302
    world.scheme.refresh_from_db()
    assert world.scheme.status == SchemeStatus.CLOSED
    assert "cannot be changed" in client.get(url).content.decode()


def test_fund_page_and_api_add_to_the_budget(client):
    world = World()
    staff_login(client, world.officer)
    before = selectors.reconciliation(scheme=world.scheme)
    url = reverse("vouchers:scheme_fund", args=[world.scheme.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"amount": "-5"}).status_code == 422
    assert client.post(url, {"amount": "250000"}).status_code == 302
    response = client.post(
        f"/api/v1/vouchers/schemes/{world.scheme.pk}/funding", {"amount": "0.50"}, content_type="application/json"
    )
    assert response.status_code == 201
    after = selectors.reconciliation(scheme=world.scheme)
    assert after.budget_left - before.budget_left == 250000_50 and after.funded - before.funded == 250000_50


def test_scheme_status_api(client):
    world = World()
    staff_login(client, world.officer)
    url = f"/api/v1/vouchers/schemes/{world.scheme.pk}/status"
    assert client.post(url, {"status": "paused"}, content_type="application/json").status_code == 422
    ok = client.post(url, {"status": "suspended", "reason": "Review"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "suspended"
    plain_login(client, world.provider_user)
    assert client.post(url, {"status": "open"}, content_type="application/json").status_code == 404


def test_scheme_page_links_to_lists_and_changes(client):
    world = World()
    staff_login(client, world.officer)
    body = client.get(reverse("vouchers:scheme_detail", args=[world.scheme.pk])).content.decode()
    for name in ("scheme_fund", "scheme_status", "scheme_vouchers", "scheme_claims", "scheme_settlements"):
        assert reverse(f"vouchers:{name}", args=[world.scheme.pk]) in body
