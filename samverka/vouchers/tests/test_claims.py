"""Redemption: idempotent, never overspending, every refusal writes nothing."""

import datetime

import pytest

from samverka.audit.models import AuditEvent
from samverka.core.errors import ConflictError, NotFound, ValidationError
from samverka.vouchers import ledger, services
from samverka.vouchers.models import Claim, LedgerEntry, LedgerTransaction

from .factories import World, provider, resident, voucher

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def _counts():
    return (
        Claim.objects.count(),
        LedgerTransaction.objects.count(),
        LedgerEntry.objects.count(),
        AuditEvent.objects.exclude(action="access.denied").count(),
    )


def test_claim_moves_value_from_voucher_to_provider_payable():
    world = World(units="10")
    claim, created = world.claim(units="2")
    assert created
    assert claim.amount_minor == 2 * 450_00
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == 10 * 500_00 - 900_00
    assert ledger.verify().ok


def test_retry_with_same_key_returns_the_original_claim_and_writes_nothing():
    world = World()
    first, _ = world.claim(key="abc", units="1")
    before = _counts()
    again, created = world.claim(key="abc", units="1")
    assert not created and again.pk == first.pk
    assert _counts() == before


def test_same_key_with_a_different_body_is_422_and_writes_nothing():
    world = World()
    world.claim(key="abc", units="1")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        world.claim(key="abc", units="2")
    assert exc.value.status_code == 422 and "idempotency_key" in exc.value.errors
    assert _counts() == before


def test_claim_above_remaining_balance_is_refused_and_writes_nothing():
    world = World(units="2")  # 1000 NOK at the ceiling; the provider charges 450/h
    world.claim(key="a", units="2")
    before = _counts()
    with pytest.raises(ConflictError) as exc:
        world.claim(key="b", units="1")
    assert "remaining balance" in exc.value.detail
    assert _counts() == before


def test_claim_above_price_ceiling_is_refused_and_writes_nothing():
    world = World()
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        world.claim(unit_price="500.01")
    assert "unit_price" in exc.value.errors
    assert _counts() == before


def test_claim_on_cancelled_voucher_is_refused_and_writes_nothing():
    world = World()
    services.voucher_cancel(actor=world.officer, voucher=world.voucher, reason="Deceased")
    before = _counts()
    with pytest.raises(ConflictError, match="cancelled"):
        world.claim()
    assert _counts() == before


def test_claim_on_lapsed_voucher_is_refused_and_writes_nothing():
    world = World()
    services.voucher_lapse(voucher=world.voucher, today=world.voucher.valid_to + datetime.timedelta(days=1))
    before = _counts()
    with pytest.raises(ConflictError, match="expired"):
        world.claim()
    assert _counts() == before


def test_claim_outside_validity_or_in_future_is_422():
    world = World()
    for day in (world.voucher.valid_from - datetime.timedelta(days=1), datetime.date.today() + datetime.timedelta(1)):
        with pytest.raises(ValidationError) as exc:
            world.claim(day=day)
        assert "service_date" in exc.value.errors
    assert Claim.objects.count() == 0


def test_claim_on_another_providers_voucher_is_refused_and_writes_nothing():
    world = World()
    _other_acc, other_user = provider(world.officer, world.scheme, name="Annen leverandør")
    before = _counts()
    with pytest.raises(ConflictError, match="another provider"):
        world.claim(actor=other_user)
    assert _counts() == before


def test_claim_by_an_organisation_outside_the_scheme_is_404_and_audited():
    world = World()
    from samverka.accounts.tests.factories import grant_organisation_role, make_organisation, make_user

    stranger = make_user()
    grant_organisation_role(stranger, make_organisation("Ukjent lag"), "admin")
    with pytest.raises(NotFound):
        world.claim(actor=stranger)
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.voucher.pk)).exists()


def test_claim_by_a_user_of_no_organisation_or_inactive_is_404_and_writes_nothing():
    world = World()
    from samverka.accounts.tests.factories import make_user

    before = _counts()
    with pytest.raises(NotFound):
        world.claim(actor=make_user())
    with pytest.raises(NotFound):
        world.claim(actor=world.officer)  # runs the scheme, but claims for no organisation
    world.provider_user.is_active = False
    with pytest.raises(NotFound):
        world.claim()
    assert _counts() == before


def test_a_member_of_the_chosen_provider_claims_too():
    world = World()
    from samverka.accounts.tests.factories import grant_organisation_role, make_user

    member = make_user()
    grant_organisation_role(member, world.accreditation.organisation, "member")
    claim, created = world.claim(actor=member)
    assert created and claim.accreditation_id == world.accreditation.pk


def test_after_provider_change_the_remaining_value_follows_to_the_new_provider():
    world = World(units="4")
    world.claim(key="a", units="1")
    new_acc, new_user = provider(world.officer, world.scheme, name="Ny leverandør", price="400")
    services.voucher_choose_provider(actor=world.officer, voucher=world.voucher, accreditation=new_acc)
    with pytest.raises(ConflictError):
        world.claim(key="b", units="1")
    claim, _ = world.claim(key="b", units="1", actor=new_user)
    assert claim.accreditation == new_acc and claim.amount_minor == 400_00
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == 4 * 500_00 - 450_00 - 400_00


def test_suspended_provider_cannot_claim():
    world = World()
    services.accreditation_decide(
        actor=world.officer, accreditation=world.accreditation, action="suspend", reason="Quality review"
    )
    with pytest.raises(ConflictError, match="Suspended"):
        world.claim()


def test_fixed_and_income_based_copayment_are_split_to_the_receivable():
    world = World()
    from .factories import scheme as make_scheme

    fixed = make_scheme(world.officer, name="Fixed", copayment_kind="fixed", copayment_fixed="50")
    acc, user = provider(world.officer, fixed)
    v = voucher(world.officer, fixed, world.resident, acc, units="4")
    claim, _ = services.claim_create(
        actor=user, voucher_id=v.pk, idempotency_key="f", units="2", service_date=YESTERDAY
    )
    assert claim.copayment_minor == 100_00
    income = make_scheme(
        world.officer,
        name="Income",
        copayment_kind="income",
        copayment_table=[{"income_up_to": 300000, "percent": "0"}, {"income_up_to": None, "percent": "10"}],
    )
    acc2, user2 = provider(world.officer, income)
    v2 = voucher(world.officer, income, resident(world.officer), acc2, units="4", income="450000")
    claim2, _ = services.claim_create(
        actor=user2, voucher_id=v2.pk, idempotency_key="i", units="1", service_date=YESTERDAY
    )
    assert claim2.copayment_minor == 45_00
    assert ledger.verify().ok


def test_personal_budget_claims_an_amount_and_lines_must_add_up():
    world = World()
    from .factories import scheme as make_scheme

    budget = make_scheme(
        world.officer, name="BPA", kind="personal_budget", unit="", budget_period="year", price_ceiling="20000"
    )
    acc, user = provider(world.officer, budget, price="1")
    with pytest.raises(ValidationError):
        voucher(world.officer, budget, world.resident, acc, amount="30000", budget_lines=[("Help", "10000")])
    v = voucher(
        world.officer,
        budget,
        world.resident,
        acc,
        amount="30000",
        budget_lines=[("Practical help", "20000"), ("Respite", "10000")],
    )
    line = v.budget_lines.get(label="Practical help")
    claim, _ = services.claim_create(
        actor=user, voucher_id=v.pk, idempotency_key="b", amount="1234.50", service_date=YESTERDAY, budget_line=line.pk
    )
    assert claim.amount_minor == 1234_50
    with pytest.raises(ValidationError):
        services.claim_create(
            actor=user,
            voucher_id=v.pk,
            idempotency_key="c",
            amount="20000.01",
            service_date=YESTERDAY,
            budget_line=line.pk,
        )
