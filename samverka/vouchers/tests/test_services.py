import datetime

import pytest

from samverka.audit.models import AuditEvent
from samverka.core.errors import ConflictError, NotFound, ValidationError
from samverka.vouchers import ledger, selectors, services, tasks
from samverka.vouchers.models import LedgerTransaction, Voucher, VoucherScheme
from samverka.vouchers.selectors import reconciliation

from .factories import World, baerum, officer, provider, resident, scheme, voucher

pytestmark = pytest.mark.django_db


def test_scheme_needs_the_vouchers_capability():
    from samverka.accounts.tests.factories import grant_area_role, make_user

    grants_only = make_user()
    grant_area_role(grants_only, baerum(), role="officer", capabilities=["grants"])
    with pytest.raises(NotFound):
        scheme(grants_only)
    assert not VoucherScheme.objects.exists()


def test_scheme_validation_reports_fields_and_writes_nothing():
    user = officer()
    with pytest.raises(ValidationError) as exc:
        scheme(user, price_ceiling="12.345", unit="", copayment_kind="income", copayment_table=[])
    assert {"price_ceiling", "unit", "copayment_table"} <= set(exc.value.errors)
    assert not VoucherScheme.objects.exists() and not LedgerTransaction.objects.exists()


def test_accreditation_lifecycle_is_audited():
    user = officer()
    s = scheme(user)
    acc, _admin = provider(user, s)
    services.accreditation_decide(actor=user, accreditation=acc, action="suspend", reason="Complaint")
    services.accreditation_decide(actor=user, accreditation=acc, action="approve")
    services.accreditation_decide(actor=user, accreditation=acc, action="end", reason="Contract ended")
    actions = list(AuditEvent.objects.filter(object_id=str(acc.pk)).values_list("action", flat=True))
    for action in ("apply", "approve", "suspend", "end"):
        assert f"vouchers.accreditation.{action}" in actions


def test_rejection_needs_a_reason_and_price_above_ceiling_is_refused():
    from samverka.accounts.tests.factories import grant_organisation_role, make_organisation, make_user

    user = officer()
    s = scheme(user)
    org = make_organisation("Søker")
    admin = make_user()
    grant_organisation_role(admin, org)
    with pytest.raises(ValidationError) as exc:
        services.accreditation_apply(actor=admin, scheme=s, organisation=org, data={"price": "600", "answers": {}})
    assert {"price", "answer_0"} <= set(exc.value.errors)
    acc = services.accreditation_apply(
        actor=admin, scheme=s, organisation=org, data={"price": "400", "answers": {"0": "Kurs"}}
    )
    with pytest.raises(ValidationError):
        services.accreditation_decide(actor=user, accreditation=acc, action="reject")
    services.accreditation_decide(actor=user, accreditation=acc, action="reject", reason="Missing police checks")
    with pytest.raises(ConflictError):
        services.accreditation_decide(actor=user, accreditation=acc, action="suspend", reason="x")


def test_issue_above_the_scheme_budget_is_409_and_writes_nothing():
    user = officer()
    s = scheme(user, budget="1000")
    person = resident(user)
    before = LedgerTransaction.objects.count()
    with pytest.raises(ConflictError, match="budget"):
        voucher(user, s, person, units="3")  # 1500 > 1000
    assert LedgerTransaction.objects.count() == before and not Voucher.objects.exists()


def test_expiry_task_lapses_once_and_returns_the_remainder():
    world = World(units="2")
    world.claim(units="1")
    later = world.voucher.valid_to + datetime.timedelta(days=1)
    assert tasks.lapse_expired(today=later) == 1
    assert tasks.lapse_expired(today=later) == 0
    world.voucher.refresh_from_db()
    world.voucher.account.refresh_from_db()
    assert world.voucher.status == "lapsed" and world.voucher.account.balance_minor == 0
    assert LedgerTransaction.objects.filter(kind="lapse", voucher=world.voucher).count() == 1
    assert ledger.verify().ok


def test_lapse_task_runs_through_django_tasks():
    result = tasks.lapse_expired_vouchers.enqueue()
    assert result.return_value == 0


def test_settlement_moves_payables_to_clearing_in_one_transaction():
    world = World()
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    world.claim(key="a", day=last_month)
    world.claim(key="b", units="2")  # this month: not in last month's settlement
    run = services.settlement_run(actor=world.officer, scheme=world.scheme, month=last_month)
    settlement = run.settlements.get()
    assert settlement.gross_minor == 450_00 and settlement.lines.count() == 1  # one line per voucher
    line = settlement.lines.get()
    assert (line.voucher_id, line.claims, line.gross_minor) == (world.voucher.pk, 1, 450_00)
    assert [c.idempotency_key for c in selectors.settlement_claims(settlement=settlement)] == ["a"]
    assert run.transaction.entries.count() == 2  # payable → clearing (no co-payment in this scheme)
    with pytest.raises(ConflictError):
        services.settlement_run(actor=world.officer, scheme=world.scheme, month=last_month)
    with pytest.raises(ValidationError):
        services.settlement_run(actor=world.officer, scheme=world.scheme, month=datetime.date.today())
    rec = reconciliation(scheme=world.scheme)
    assert rec.settled == 450_00 and rec.payable_unsettled == 900_00


def test_a_claim_recorded_late_for_a_settled_month_is_settled_by_the_next_run_once():
    world = World()
    today = datetime.date.today()
    world.voucher = voucher(
        world.officer,
        world.scheme,
        world.resident,
        world.accreditation,
        valid_from=today - datetime.timedelta(days=120),
    )
    month_a = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # last month
    month_b = (month_a - datetime.timedelta(days=1)).replace(day=1)  # the month before
    world.claim(key="early", day=month_b)
    run_b = services.settlement_run(actor=world.officer, scheme=world.scheme, month=month_b)
    late = world.claim(key="late", day=month_b + datetime.timedelta(days=3))[0]  # after its month was settled
    in_a = world.claim(key="in-a", day=month_a)[0]
    assert not services.claim_is_settled(late)
    run_a = services.settlement_run(actor=world.officer, scheme=world.scheme, month=month_a)
    assert run_b.watermark < late.seq <= run_a.watermark
    assert [c.idempotency_key for c in selectors.settlement_claims(settlement=run_b.settlements.get())] == ["early"]
    assert sorted(c.idempotency_key for c in selectors.settlement_claims(settlement=run_a.settlements.get())) == [
        "in-a",
        "late",
    ]
    assert services.claim_is_settled(late) and services.claim_is_settled(in_a)
    with pytest.raises(ConflictError):
        services.claim_reverse(actor=world.officer, claim=late, reason="typo")
    rec = reconciliation(scheme=world.scheme)
    assert rec.settled == 3 * 450_00 and rec.payable_unsettled == 0
    assert ledger.verify().ok


def test_a_corrected_claim_is_not_settled():
    world = World()
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    wrong, _created = world.claim(key="wrong", day=last_month)
    world.claim(key="right", day=last_month)
    services.claim_reverse(actor=world.officer, claim=wrong, reason="recorded twice")
    run = services.settlement_run(actor=world.officer, scheme=world.scheme, month=last_month)
    settlement = run.settlements.get()
    assert settlement.gross_minor == 450_00
    assert [c.idempotency_key for c in selectors.settlement_claims(settlement=settlement)] == ["right"]
    assert ledger.verify().ok and reconciliation(scheme=world.scheme).balanced


def test_erased_resident_cannot_get_new_vouchers():
    world = World()
    services.resident_erase(actor=world.officer, resident=world.resident)
    with pytest.raises(ConflictError):
        voucher(world.officer, world.scheme, world.resident)
    with pytest.raises(ConflictError):
        services.resident_erase(actor=world.officer, resident=world.resident)


def test_duplicate_identity_number_is_refused():
    user = officer()
    resident(user, national_id="19121212-1212", id_country="SE")
    with pytest.raises(ValidationError):
        resident(user, national_id="191212121212", id_country="SE")


def test_lapse_command_run_twice_lapses_once():
    from io import StringIO

    from django.core.management import call_command

    world = World(units="2")
    later = (world.voucher.valid_to + datetime.timedelta(days=1)).isoformat()
    first, second = StringIO(), StringIO()
    call_command("vouchers-lapse", "--date", later, stdout=first)
    call_command("vouchers-lapse", "--date", later, stdout=second)
    assert "Lapsed 1 " in first.getvalue() and "Lapsed 0 " in second.getvalue()
    assert LedgerTransaction.objects.filter(kind="lapse", voucher=world.voucher).count() == 1
    assert ledger.verify().ok


def test_lapse_command_leaves_vouchers_still_valid_today():
    from io import StringIO

    from django.core.management import call_command

    world = World(units="2")
    call_command("vouchers-lapse", stdout=StringIO())
    world.voucher.refresh_from_db()
    assert world.voucher.status == "active"


def test_lapse_command_refuses_a_malformed_date():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("vouchers-lapse", "--date", "31.12.2026")
