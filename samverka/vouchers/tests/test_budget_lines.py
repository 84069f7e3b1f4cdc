"""Personal budgets with lines: a claim names a line, is refused above the line's remainder, and every line's
balance is summed from the ledger entries naming it."""

import datetime

import pytest

from samverka.core.errors import ConflictError, ValidationError
from samverka.vouchers import ledger, selectors, services
from samverka.vouchers.models import Claim, LedgerEntry, VoucherStatus

from .factories import World, provider, voucher
from .factories import scheme as make_scheme

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


class Budget:
    def __init__(self):
        self.world = World()
        officer = self.world.officer
        self.scheme = make_scheme(
            officer, name="BPA", kind="personal_budget", unit="", budget_period="year", price_ceiling="20000"
        )
        self.acc, self.user = provider(officer, self.scheme, price="1")
        self.voucher = voucher(
            officer,
            self.scheme,
            self.world.resident,
            self.acc,
            amount="30000",
            budget_lines=[("Practical help", "20000"), ("Respite", "10000")],
        )
        self.help = self.voucher.budget_lines.get(label="Practical help")
        self.respite = self.voucher.budget_lines.get(label="Respite")

    def claim(self, key, amount, line):
        return services.claim_create(
            actor=self.user,
            voucher_id=self.voucher.pk,
            idempotency_key=key,
            amount=amount,
            service_date=YESTERDAY,
            budget_line=getattr(line, "pk", line),
        )

    def left(self):
        return ledger.budget_line_balances(self.voucher)


def test_issue_posts_one_entry_per_line_and_lines_sum_to_the_voucher():
    b = Budget()
    assert b.left() == {b.help.pk: 20000_00, b.respite.pk: 10000_00}
    assert sum(b.left().values()) == ledger.balance(b.voucher.account)
    assert ledger.verify(b.scheme).ok


def test_claim_on_a_line_reduces_only_that_line():
    b = Budget()
    claim, created = b.claim("a", "2500", b.respite)
    assert created and claim.budget_line == b.respite
    assert b.left() == {b.help.pk: 20000_00, b.respite.pk: 7500_00}
    assert ledger.verify(b.scheme).ok


def test_claim_above_the_line_is_409_and_writes_nothing_even_if_the_budget_has_room():
    b = Budget()
    b.claim("a", "9000", b.respite)
    entries, claims = LedgerEntry.objects.count(), Claim.objects.count()
    with pytest.raises(ConflictError) as exc:
        b.claim("b", "1000.01", b.respite)
    assert "Respite" in exc.value.detail
    assert LedgerEntry.objects.count() == entries and Claim.objects.count() == claims


def test_claim_without_a_line_or_with_another_vouchers_line_is_422():
    b = Budget()
    other = voucher(b.world.officer, b.scheme, b.world.resident, b.acc, amount="100", budget_lines=[("Other", "100")])
    entries = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as missing:
        b.claim("a", "10", None)
    assert "budget_line" in missing.value.errors
    with pytest.raises(ValidationError):
        b.claim("b", "10", other.budget_lines.get())
    assert LedgerEntry.objects.count() == entries


def test_a_line_on_a_voucher_without_lines_is_422():
    world = World()
    b = Budget()
    with pytest.raises(ValidationError):
        world.claim(key="x", budget_line=b.help.pk)


def test_correction_gives_the_amount_back_to_its_line():
    b = Budget()
    claim, _ = b.claim("a", "3000", b.help)
    services.claim_reverse(actor=b.world.officer, claim=claim, reason="Wrong line")
    assert b.left()[b.help.pk] == 20000_00
    b.claim("b", "3000", b.respite)
    assert ledger.verify(b.scheme).ok


def test_cancel_returns_each_lines_remainder_and_ledger_verifies():
    b = Budget()
    b.claim("a", "5000", b.help)
    services.voucher_cancel(actor=b.world.officer, voucher=b.voucher, reason="Moved away")
    assert b.left() == {b.help.pk: 0, b.respite.pk: 0}
    b.voucher.refresh_from_db()
    assert b.voucher.status == VoucherStatus.CANCELLED
    report = ledger.verify(b.scheme)
    assert report.ok, report.problems
    assert selectors.reconciliation(scheme=b.scheme).balanced


def test_claim_page_offers_the_lines_and_api_shows_remaining(client):
    from samverka.accounts.tests.factories import plain_login

    b = Budget()
    plain_login(client, b.user)
    page = client.get(f"/vouchers/vouchers/{b.voucher.pk}/")
    assert page.status_code == 200 and "Respite" in page.content.decode()
    response = client.post(
        f"/api/v1/vouchers/vouchers/{b.voucher.pk}/claims",
        {"service_date": YESTERDAY.isoformat(), "amount": "100", "budget_line_id": str(b.respite.pk)},
        content_type="application/json",
        headers={"Idempotency-Key": "api-1"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["budget_line_id"] == str(b.respite.pk)
    over = client.post(
        f"/api/v1/vouchers/vouchers/{b.voucher.pk}/claims",
        {"service_date": YESTERDAY.isoformat(), "amount": "9900.01", "budget_line_id": str(b.respite.pk)},
        content_type="application/json",
        headers={"Idempotency-Key": "api-2"},
    )
    assert over.status_code == 409
    lines = client.get(f"/api/v1/vouchers/vouchers/{b.voucher.pk}/budget-lines").json()
    assert {line["label"]: line["remaining"] for line in lines} == {"Practical help": "20000.00", "Respite": "9900.00"}
