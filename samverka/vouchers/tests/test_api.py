import datetime

import pytest

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AccessEvent
from samverka.vouchers.models import Claim, LedgerEntry

from .factories import World, provider, resident

pytestmark = pytest.mark.django_db
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def _claim(client, world, key="key-1", **body):
    payload = {"service_date": YESTERDAY, "units": "1", **body}
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        f"/api/v1/vouchers/vouchers/{world.voucher.pk}/claims",
        payload,
        content_type="application/json",
        headers=headers,
    )


def test_claim_through_api_and_retry_returns_the_original(client):
    world = World()
    plain_login(client, world.provider_user)
    first = _claim(client, world)
    assert first.status_code == 201, first.json()
    entries = LedgerEntry.objects.count()
    again = _claim(client, world)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert LedgerEntry.objects.count() == entries and Claim.objects.count() == 1
    assert first.json()["amount"] == "450.00"


def test_same_key_with_different_body_is_422(client):
    world = World()
    plain_login(client, world.provider_user)
    _claim(client, world)
    response = _claim(client, world, units="2")
    assert response.status_code == 422
    assert "idempotency_key" in response.json()["errors"]
    assert Claim.objects.count() == 1


def test_missing_idempotency_key_is_422(client):
    world = World()
    plain_login(client, world.provider_user)
    response = _claim(client, world, key=None)
    assert response.status_code == 422 and Claim.objects.count() == 0


def test_claim_above_balance_is_409_with_reason(client):
    world = World(units="1")
    plain_login(client, world.provider_user)
    response = _claim(client, world, units="2")
    assert response.status_code == 409
    assert "remaining balance" in response.json()["detail"]
    assert Claim.objects.count() == 0


def test_claim_above_ceiling_is_422(client):
    world = World()
    plain_login(client, world.provider_user)
    response = _claim(client, world, unit_price="999")
    assert response.status_code == 422 and "unit_price" in response.json()["errors"]


def test_other_provider_cannot_read_the_voucher(client):
    world = World()
    _acc, other = provider(world.officer, world.scheme, name="Annen")
    plain_login(client, other)
    assert client.get(f"/api/v1/vouchers/vouchers/{world.voucher.pk}").status_code == 404


def test_officer_issues_voucher_and_reads_reconciliation(client):
    world = World()
    staff_login(client, world.officer)
    person = resident(world.officer)
    response = client.post(
        f"/api/v1/vouchers/schemes/{world.scheme.pk}/vouchers",
        {
            "resident_id": str(person.pk),
            "valid_from": "2025-01-01",
            "valid_to": "2025-12-31",
            "units": "4",
            "provider_id": str(world.accreditation.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "2000.00"
    assert AccessEvent.objects.filter(subject_id=str(person.pk), purpose="issue").exists()
    rec = client.get(f"/api/v1/vouchers/schemes/{world.scheme.pk}/reconciliation").json()
    assert rec["balanced"] and rec["issued"] == "7000.00"


def test_settlement_twice_is_409(client):
    world = World()
    staff_login(client, world.officer)
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    first = client.post(
        f"/api/v1/vouchers/schemes/{world.scheme.pk}/settlements",
        {"month": last_month},
        content_type="application/json",
    )
    assert first.status_code == 201
    second = client.post(
        f"/api/v1/vouchers/schemes/{world.scheme.pk}/settlements",
        {"month": last_month},
        content_type="application/json",
    )
    assert second.status_code == 409


def test_public_provider_comparison_needs_no_login(client):
    world = World()
    response = client.get(f"/api/v1/vouchers/schemes/{world.scheme.pk}/providers")
    assert response.status_code == 200
    assert response.json()[0]["price"] == "450.00"
