"""Random sequences of issue / choose provider / claim / expire / cancel / settle keep every ledger invariant."""

import datetime

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from samverka.core.errors import ConflictError, ValidationError
from samverka.vouchers import ledger, services
from samverka.vouchers.models import LedgerAccount, Voucher
from samverka.vouchers.selectors import reconciliation

from .factories import World, provider, voucher

TODAY = datetime.date.today()


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.world = World(units="3")
        self.second, self.second_user = provider(self.world.officer, self.world.scheme, name="Second", price="300")
        self.users = {self.world.accreditation.pk: self.world.provider_user, self.second.pk: self.second_user}
        self.vouchers = [self.world.voucher]
        self.keys = 0
        self.settled: set[datetime.date] = set()

    def _voucher(self, i: int) -> Voucher:
        return Voucher.objects.select_related("provider", "account").get(pk=self.vouchers[i % len(self.vouchers)].pk)

    @rule(units=st.integers(min_value=1, max_value=5), with_provider=st.booleans())
    def issue(self, units, with_provider):
        acc = self.world.accreditation if with_provider else None
        self.vouchers.append(voucher(self.world.officer, self.world.scheme, self.world.resident, acc, units=str(units)))

    @rule(i=st.integers(0, 20), second=st.booleans())
    def choose_provider(self, i, second):
        v = self._voucher(i)
        acc = self.second if second else self.world.accreditation
        try:
            services.voucher_choose_provider(actor=self.world.officer, voucher=v, accreditation=acc)
        except ConflictError:
            assert v.status != "active"

    @rule(i=st.integers(0, 20), units=st.sampled_from(["0.5", "1", "2", "3.25"]), retry=st.booleans())
    def claim(self, i, units, retry):
        v = self._voucher(i)
        if v.provider_id is None:
            return
        self.keys += 1
        user = self.users[v.provider_id]
        args = {
            "actor": user,
            "voucher_id": v.pk,
            "idempotency_key": f"k{self.keys}",
            "units": units,
            "service_date": TODAY - datetime.timedelta(days=1),
        }
        before = v.account.balance_minor
        try:
            claim, created = services.claim_create(**args)
        except ConflictError:
            v.account.refresh_from_db()
            assert v.account.balance_minor == before
            return
        assert created and claim.amount_minor <= before
        if retry:
            again, created = services.claim_create(**args)
            assert again.pk == claim.pk and not created

    @rule(i=st.integers(0, 20))
    def expire(self, i):
        v = self._voucher(i)
        lapsed = services.voucher_lapse(voucher=v, today=v.valid_to + datetime.timedelta(days=1))
        assert lapsed == (v.status == "active")
        assert not services.voucher_lapse(voucher=v, today=v.valid_to + datetime.timedelta(days=1))

    @rule(i=st.integers(0, 20))
    def cancel(self, i):
        v = self._voucher(i)
        try:
            services.voucher_cancel(actor=self.world.officer, voucher=v, reason="test")
        except ConflictError:
            assert v.status != "active"

    @rule(back=st.integers(0, 2))
    def settle(self, back):
        month = (TODAY.replace(day=1) - datetime.timedelta(days=28 * back)).replace(day=1)
        after = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        try:
            services.settlement_run(actor=self.world.officer, scheme=self.world.scheme, month=month, today=after)
        except ConflictError:
            assert month in self.settled
            return
        except ValidationError:
            return
        assert month not in self.settled
        self.settled.add(month)

    @invariant()
    def ledger_holds(self):
        if not hasattr(self, "world"):
            return
        report = ledger.verify(scheme=self.world.scheme)
        assert report.ok, report.problems
        assert not LedgerAccount.objects.filter(scheme=self.world.scheme, kind="voucher", balance_minor__lt=0).exists()
        assert not LedgerAccount.objects.filter(
            scheme=self.world.scheme, kind="scheme_budget", balance_minor__lt=0
        ).exists()
        rec = reconciliation(scheme=self.world.scheme)
        assert rec.balanced, rec
        assert rec.funded == rec.budget_left + rec.outstanding + rec.redeemed


@pytest.mark.django_db
def test_ledger_invariants_hold_for_random_sequences():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
