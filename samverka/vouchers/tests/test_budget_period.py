"""A personal budget with an amount per period: claims for services delivered in a period are limited to that
amount (above what is left → 409 naming the period and what is left, nothing written); pages and API show it."""

import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.core.errors import ConflictError, ValidationError
from samverka.vouchers import ledger, selectors, services
from samverka.vouchers.models import Claim, LedgerEntry

from .factories import World, provider, voucher
from .factories import scheme as make_scheme

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = THIS_MONTH - datetime.timedelta(days=1)


class PeriodBudget:
    """A personal budget of 30 000 NOK with 3 000 NOK per month."""

    def __init__(self, period="month", per_period="3000"):
        self.world = World()
        officer = self.world.officer
        self.scheme = make_scheme(
            officer, name="BPA", kind="personal_budget", unit="", budget_period=period, price_ceiling="20000"
        )
        self.acc, self.user = provider(officer, self.scheme, price="1")
        self.voucher = voucher(
            officer, self.scheme, self.world.resident, self.acc, amount="30000", amount_per_period=per_period
        )

    def claim(self, key, amount, day=THIS_MONTH):
        return services.claim_create(
            actor=self.user, voucher_id=self.voucher.pk, idempotency_key=key, amount=amount, service_date=day
        )


def _written() -> tuple[int, int, int]:
    return Claim.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count()


def test_the_voucher_keeps_the_schemes_period_and_its_amount_per_period():
    b = PeriodBudget()
    assert (b.voucher.budget_period, b.voucher.period_amount_minor) == ("month", 3000_00)


def test_a_claim_above_what_is_left_in_its_period_is_409_naming_the_period_and_writes_nothing():
    b = PeriodBudget()
    b.claim("a", "2000")
    before = _written()
    with pytest.raises(ConflictError) as refused:
        b.claim("b", "1500")
    message = refused.value.detail
    assert f"{THIS_MONTH:%Y-%m}" in message and "1\u00a0000.00 NOK" in message and "3\u00a0000.00 NOK" in message
    assert _written() == before
    claim, created = b.claim("c", "1000")  # exactly what is left
    assert created and selectors.budget_period_status(voucher=b.voucher).left == 0
    assert ledger.verify(b.scheme).ok


def test_each_period_has_its_own_amount():
    b = PeriodBudget()
    b.claim("last", "3000", day=LAST_MONTH)
    b.claim("this", "3000", day=THIS_MONTH)
    with pytest.raises(ConflictError):
        b.claim("more", "1", day=LAST_MONTH)
    b.voucher.account.refresh_from_db()
    assert b.voucher.account.balance_minor == 24000_00


def test_a_quarter_counts_every_claim_delivered_in_it():
    b = PeriodBudget(period="quarter", per_period="5000")
    start = TODAY.replace(month=(TODAY.month - 1) // 3 * 3 + 1, day=1)
    b.claim("a", "4000", day=start)
    with pytest.raises(ConflictError) as refused:
        b.claim("b", "2000", day=TODAY)
    assert f"{TODAY.year} Q{(TODAY.month - 1) // 3 + 1}" in refused.value.detail


def test_a_corrected_claim_gives_its_amount_back_to_the_period():
    b = PeriodBudget()
    claim, _created = b.claim("a", "3000")
    services.claim_reverse(actor=b.world.officer, claim=claim, reason="Wrong month")
    _again, created = b.claim("b", "3000")
    assert created


def test_amount_per_period_is_refused_without_a_budget_period_or_above_the_amount():
    world = World()  # a voucher per unit: no period
    with pytest.raises(ValidationError) as refused:
        voucher(world.officer, world.scheme, world.resident, world.accreditation, amount_per_period="100")
    assert "amount_per_period" in refused.value.errors
    b = PeriodBudget()
    with pytest.raises(ValidationError) as too_much:
        voucher(b.world.officer, b.scheme, b.world.resident, b.acc, amount="1000", amount_per_period="2000")
    assert "amount_per_period" in too_much.value.errors


def test_api_issues_with_an_amount_per_period_shows_what_is_left_and_refuses_above_it(client):
    b = PeriodBudget()
    staff_login(client, b.world.officer)
    response = client.post(
        f"/api/v1/vouchers/schemes/{b.scheme.pk}/vouchers",
        {
            "resident_id": str(b.world.resident.pk),
            "valid_from": (TODAY - datetime.timedelta(days=60)).isoformat(),
            "valid_to": (TODAY + datetime.timedelta(days=60)).isoformat(),
            "amount": "12000",
            "amount_per_period": "1000",
            "provider_id": str(b.acc.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["budget_period"] == "month" and body["amount_per_period"] == "1000.00"
    assert body["current_period"] == f"{TODAY:%Y-%m}" and body["left_in_current_period"] == "1000.00"
    client.logout()
    plain_login(client, b.user)
    url = f"/api/v1/vouchers/vouchers/{body['id']}/claims"
    claim = {"service_date": TODAY.isoformat(), "amount": "600"}
    assert client.post(url, claim, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    before = _written()
    refused = client.post(url, claim, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2")
    assert refused.status_code == 409 and "400.00 NOK" in str(refused.json())
    assert _written() == before
    shown = client.get(f"/api/v1/vouchers/vouchers/{body['id']}").json()
    assert shown["left_in_current_period"] == "400.00" and shown["remaining"] == "11400.00"


def test_voucher_page_shows_the_amount_per_period_and_what_is_left_now(client):
    b = PeriodBudget()
    b.claim("a", "500", day=TODAY)
    staff_login(client, b.world.officer)
    html = client.get(reverse("vouchers:voucher_detail", args=[b.voucher.pk])).content.decode()
    assert "3\u00a0000.00 NOK per month" in html
    assert f"Left in {TODAY:%Y-%m}" in html and "2\u00a0500.00 NOK" in html


def test_issue_form_takes_the_amount_per_period(client):
    b = PeriodBudget()
    staff_login(client, b.world.officer)
    response = client.post(
        reverse("vouchers:voucher_issue", args=[b.world.resident.pk]),
        {
            "scheme": str(b.scheme.pk),
            "amount": "6000",
            "amount_per_period": "500",
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    issued = b.world.resident.vouchers.get(value_minor=6000_00)
    assert issued.period_amount_minor == 500_00 and issued.budget_period == "month"
