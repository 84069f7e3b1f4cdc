import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from samverka.audit.models import AppendOnlyError
from samverka.vouchers import ledger
from samverka.vouchers.models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction
from samverka.vouchers.selectors import reconciliation
from samverka.vouchers.services import claim_reverse

from .factories import World

pytestmark = pytest.mark.django_db


def test_every_transaction_sums_to_zero_and_cached_balances_match_entries():
    world = World()
    world.claim()
    report = ledger.verify()
    assert report.ok, report.problems
    for account in LedgerAccount.objects.all():
        if account.kind in ledger.CACHED_KINDS:
            assert account.balance_minor == ledger.balance(account)
        else:  # payables, receivable, clearing, appropriation: derived only, no hot row to update per claim
            assert account.balance_minor == 0


def test_a_cached_balance_on_an_account_that_keeps_none_is_reported():
    world = World()
    world.claim()
    payable = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.PROVIDER_PAYABLE)
    LedgerAccount.objects.filter(pk=payable.pk).update(balance_minor=ledger.balance(payable))
    report = ledger.verify()
    assert not report.ok and any(str(payable.pk) in p for p in report.problems)


def test_unbalanced_transaction_is_refused_before_insert():
    world = World()
    budget = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.SCHEME_BUDGET)
    before = LedgerEntry.objects.count()
    with pytest.raises(ledger.LedgerError), transaction.atomic():
        ledger.post(kind="fund", scheme=world.scheme, lines=[(budget, 100), (world.voucher.account, -99)])
    assert LedgerEntry.objects.count() == before


def test_mixed_currency_that_does_not_balance_per_currency_is_refused():
    world = World()
    budget = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.SCHEME_BUDGET)
    foreign = LedgerAccount.objects.create(scheme=world.scheme, kind="voucher", currency="EUR", label="x")
    with pytest.raises(ledger.LedgerError), transaction.atomic():
        ledger.post(kind="fund", scheme=world.scheme, lines=[(budget, 100), (foreign, -100)])


def test_ledger_rows_cannot_be_updated_or_deleted_through_the_orm():
    World()
    entry = LedgerEntry.objects.first()
    tx = LedgerTransaction.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_minor=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        tx.delete()


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete_from_raw_sql():
    World().claim()
    from django.db import DatabaseError

    for sql in (
        "UPDATE vouchers_ledgerentry SET amount_minor = amount_minor + 1",
        "DELETE FROM vouchers_ledgerentry",
        "UPDATE vouchers_ledgertransaction SET memo = 'x'",
        "DELETE FROM vouchers_claim",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_correction_is_a_reversing_transaction():
    world = World()
    claim, _ = world.claim(units="2")
    before = world.voucher.account.balance_minor - claim.amount_minor
    claim_reverse(actor=world.officer, claim=claim, reason="Entered twice")
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == before + claim.amount_minor
    assert LedgerTransaction.objects.filter(reverses=claim.transaction).count() == 1
    rec = reconciliation(scheme=world.scheme)
    assert rec.redeemed == 0 and rec.balanced
    assert ledger.verify().ok


def test_every_entry_carries_its_transactions_kind_and_verify_checks_it():
    world = World()
    claim, _ = world.claim(units="1")
    claim_reverse(actor=world.officer, claim=claim, reason="Entered twice")
    kinds = set(LedgerEntry.objects.values_list("kind", "transaction__kind"))
    assert {"claim", "reversal", "issue", "fund"} <= {k for k, _ in kinds}
    assert all(kind == tx_kind for kind, tx_kind in kinds)
    assert ledger.verify().ok
    tx = LedgerTransaction.objects.filter(kind="claim").first()
    with transaction.atomic():
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    transaction=tx, account=world.voucher.account, amount_minor=5, currency="NOK", kind="issue"
                ),
                LedgerEntry(
                    transaction=tx, account=world.voucher.account, amount_minor=-5, currency="NOK", kind="claim"
                ),
            ]
        )
    assert any("kind differs" in problem for problem in ledger.verify().problems)


def test_ledger_verify_command_passes_on_a_sound_ledger(capsys):
    World().claim()
    call_command("ledger-verify")
    assert "0 problem(s)" in capsys.readouterr().out


def test_ledger_verify_command_fails_when_a_cached_balance_is_wrong(capsys):
    world = World()
    LedgerAccount.objects.filter(pk=world.voucher.account_id).update(balance_minor=1)
    with pytest.raises(CommandError):
        call_command("ledger-verify")
    assert "cached balance" in capsys.readouterr().err


def test_reconciliation_holds_to_the_cent_after_issue_claim_cancel_and_lapse():
    world = World(units="3")
    world.claim(units="1.5")
    from samverka.vouchers import services
    from samverka.vouchers.tests.factories import voucher

    other = voucher(
        world.officer,
        world.scheme,
        world.resident,
        world.accreditation,
        units="1",
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2024, 1, 31),
    )
    assert services.voucher_lapse(voucher=other)
    assert not services.voucher_lapse(voucher=other)
    third = voucher(world.officer, world.scheme, world.resident, units="2")
    services.voucher_cancel(actor=world.officer, voucher=third, reason="Moved away")
    rec = reconciliation(scheme=world.scheme)
    assert rec.issued == 300 * 500 + 100 * 500 + 200 * 500
    assert rec.redeemed == 150 * 450
    assert rec.lapsed == 500_00 and rec.cancelled == 1000_00
    assert rec.outstanding == rec.issued - rec.redeemed - rec.lapsed - rec.cancelled
    assert rec.balanced
