"""On PostgreSQL, many concurrent claimants against few vouchers: no overspend, no lost claim, exact totals."""

import datetime
import threading

import pytest
from django.db import connection, connections

from samverka.core.errors import ConflictError
from samverka.vouchers import ledger, services
from samverka.vouchers.models import Claim, SettlementLine
from samverka.vouchers.selectors import reconciliation

from .factories import World, provider, resident, voucher
from .factories import scheme as make_scheme


def _run_together(threads: list[threading.Thread]) -> None:
    """Start every thread, then wait for all: they race for the same rows."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()


pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 12
CLAIMS_PER_THREAD = 5


def test_concurrent_claims_never_overspend_and_none_are_lost():
    assert connection.vendor == "postgresql"
    world = World(units="7")  # 7 × 500 = 3500 NOK; each claim of 1 h costs 450 → at most 7 succeed per voucher
    vouchers = [world.voucher] + [
        voucher(world.officer, world.scheme, resident(world.officer), world.accreditation, units="7") for _ in range(2)
    ]
    day = datetime.date.today() - datetime.timedelta(days=1)
    accepted: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(CLAIMS_PER_THREAD):
                target = vouchers[(n + i) % len(vouchers)]
                key = f"t{n}-{i}"
                try:
                    claim, created = services.claim_create(
                        actor=world.provider_user,
                        voucher_id=target.pk,
                        idempotency_key=key,
                        units="1",
                        service_date=day,
                    )
                    # A retry of the same key from the same worker must return the same claim.
                    again, created_again = services.claim_create(
                        actor=world.provider_user,
                        voucher_id=target.pk,
                        idempotency_key=key,
                        units="1",
                        service_date=day,
                    )
                    assert created and not created_again and again.pk == claim.pk
                    with lock:
                        accepted.append(key)
                except ConflictError:
                    with lock:
                        refused.append(key)
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    _run_together([threading.Thread(target=worker, args=(n,)) for n in range(THREADS)])
    assert not errors, errors
    assert len(accepted) + len(refused) == THREADS * CLAIMS_PER_THREAD
    assert Claim.objects.count() == len(accepted) == 3 * 7  # every voucher used up exactly, none overspent
    for v in vouchers:
        v.account.refresh_from_db()
        assert v.account.balance_minor == 7 * 500_00 - 7 * 450_00
    rec = reconciliation(scheme=world.scheme)
    assert rec.redeemed == len(accepted) * 450_00 and rec.balanced
    assert ledger.verify().ok


def test_a_settlement_run_amid_concurrent_claims_pays_exactly_the_claims_it_counts_as_settled():
    """The run blocks claims while it reads and takes its watermark from the claim sequence: every claim at or below
    the watermark is in its lines, every claim above it is left for the next run — none lost, none paid twice."""
    assert connection.vendor == "postgresql"
    world = World(units="200")
    vouchers = [world.voucher] + [
        voucher(world.officer, world.scheme, resident(world.officer), world.accreditation, units="200")
        for _ in range(2)
    ]
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    day = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)  # last month's last day
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS + 1)
    runs = []

    def claimant(n: int) -> None:
        try:
            barrier.wait()
            for i in range(CLAIMS_PER_THREAD):
                services.claim_create(
                    actor=world.provider_user,
                    voucher_id=vouchers[(n + i) % len(vouchers)].pk,
                    idempotency_key=f"s{n}-{i}",
                    units="1",
                    service_date=day,
                )
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def settler() -> None:
        try:
            barrier.wait()
            runs.append(services.settlement_run(actor=world.officer, scheme=world.scheme, month=month))
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    claimants = [threading.Thread(target=claimant, args=(n,)) for n in range(THREADS)]
    _run_together([*claimants, threading.Thread(target=settler)])
    assert not errors, errors
    (run,) = runs
    claims = list(Claim.objects.filter(voucher__scheme=world.scheme))
    assert len(claims) == THREADS * CLAIMS_PER_THREAD
    settled = [c for c in claims if c.seq <= run.watermark]
    assert all(services.claim_is_settled(c) == (c.seq <= run.watermark) for c in claims)
    paid = sum(s.gross_minor for s in run.settlements.all())
    assert paid == sum(c.amount_minor for c in settled)
    assert sum(line.claims for line in SettlementLine.objects.filter(settlement__run=run)) == len(settled)
    rec = reconciliation(scheme=world.scheme)
    assert rec.settled == paid and rec.payable_unsettled == sum(c.amount_minor for c in claims) - paid
    assert ledger.verify().ok


def test_concurrent_claims_cannot_together_exceed_a_periods_amount():
    """A personal budget of 30 000 with 1 000 a month: 12 threads each claim 300 for this month at once. The period
    limit is checked under the voucher's lock (such budgets take the locked path), so exactly 3 claims pass."""
    assert connection.vendor == "postgresql"
    world = World()
    budget_scheme = make_scheme(
        world.officer, name="BPA", kind="personal_budget", unit="", budget_period="month", price_ceiling="20000"
    )
    acc, user = provider(world.officer, budget_scheme, name="BPA-leverandør", price="1")
    budget = voucher(world.officer, budget_scheme, world.resident, acc, amount="30000", amount_per_period="1000")
    day = datetime.date.today()
    accepted: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            try:
                services.claim_create(
                    actor=user, voucher_id=budget.pk, idempotency_key=f"p{n}", amount="300", service_date=day
                )
                with lock:
                    accepted.append(f"p{n}")
            except ConflictError:
                with lock:
                    refused.append(f"p{n}")
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    _run_together([threading.Thread(target=worker, args=(n,)) for n in range(THREADS)])
    assert not errors, errors
    assert len(accepted) == 3 and len(refused) == THREADS - 3
    assert Claim.objects.filter(voucher=budget).count() == 3
    budget.account.refresh_from_db()
    assert budget.account.balance_minor == 30000_00 - 900_00
    assert ledger.verify().ok


PROCESSES = 8
CLAIMS_PER_PROCESS = 10


def test_claims_from_many_os_processes_never_overspend_and_none_are_lost():
    """8 OS processes (spawned, each with Django set up against the test database and its own connection) claim 1 h
    at a time, 10 claims each with a retry of every key, against 3 vouchers of 7 h: exactly 21 claims are accepted,
    every refusal is 'above the balance', and the ledger's totals are exact."""
    import multiprocessing

    from tests.helpers import subprocess_database_url

    from .claim_processes import claimant

    assert connection.vendor == "postgresql"
    world = World(units="7")  # 7 × 500 NOK issued; a claim of 1 h costs the accredited 450
    vouchers = [world.voucher] + [
        voucher(world.officer, world.scheme, resident(world.officer), world.accreditation, units="7") for _ in range(2)
    ]
    ids = [str(v.pk) for v in vouchers]
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    args = (subprocess_database_url(), world.provider_user.pk, ids, day)
    processes = [
        ctx.Process(target=claimant, args=(*args, n, CLAIMS_PER_PROCESS, start, results)) for n in range(PROCESSES)
    ]
    for p in processes:
        p.start()
    start.set()  # each child waits for it once set up, so the claims overlap
    outcomes = []
    for _ in processes:
        _worker, rows = results.get(timeout=120)
        outcomes.extend(rows)
    for p in processes:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert not [o for o in outcomes if o[2] not in ("accepted", "refused")], outcomes
    accepted = [o for o in outcomes if o[2] == "accepted"]
    assert len(outcomes) == PROCESSES * CLAIMS_PER_PROCESS
    assert len(accepted) == 3 * 7  # every voucher used up exactly, none overspent
    claims = Claim.objects.filter(voucher__scheme=world.scheme)
    assert sorted(claims.values_list("idempotency_key", flat=True)) == sorted(o[0] for o in accepted)  # none lost
    for v in vouchers:
        v.account.refresh_from_db()
        assert v.account.balance_minor == 7 * 500_00 - 7 * 450_00
        assert sum(o[3] for o in accepted if o[1] == str(v.pk)) == 7 * 450_00
    rec = reconciliation(scheme=world.scheme)
    assert rec.redeemed == 21 * 450_00 and rec.outstanding == 3 * (7 * 500_00 - 7 * 450_00) and rec.balanced
    assert ledger.verify().ok
