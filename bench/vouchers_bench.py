"""Vouchers benchmark on PostgreSQL: `.venv/bin/python -m bench.vouchers_bench [--sizes 500000,1000000]`.

Every figure is measured next to its floor, in the same run, on the same fresh database (default
postgres://postgres@127.0.0.1:5432/h_vouchers_bench, or --database-url; it is dropped and created again):

1. Claims per second through `services.claim_create` (one at a time) and through the API
   (`POST /api/v1/vouchers/vouchers/{id}/claims` with an Idempotency-Key, in-process test client, N threads each
   with its own connection), against two floors: (a) a bare `LedgerEntry.objects.bulk_create` of as many ledger
   entries as the claims wrote, (b) as many single-row `LedgerEntry.objects.create` calls, each in its own
   transaction ("single-row inserts through the same stack").
2. For each size, a scheme whose ledger holds that many claim transactions (two entries each), generated in the
   database with generate_series: the month's settlement (`services.settlement_run`) and the reconciliation
   (`selectors.reconciliation`) against a plain SQL aggregate over the same rows
   (SELECT account_id, SUM(amount_minor) FROM entries of the scheme's accounts GROUP BY account_id).

Writes bench/results/vouchers.json (shown in docs/benchmarks.md by `python -m bench.report`).
"""

import argparse
import datetime
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "vouchers.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_vouchers_bench"
VOUCHERS = 200
PROVIDERS = 4
CLAIM_MINOR = 45_000


def recreate(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def best_of(n: int, fn) -> float:
    return min(timed(fn)[0] for _ in range(n))


class World:
    """An officer, one scheme, approved providers and vouchers with plenty of value, built through the services."""

    def __init__(self, name: str):
        from samverka.vouchers.tests import factories

        self.factories = factories
        self.officer = factories.officer()
        self.scheme = factories.scheme(self.officer, name=name, budget="99999999999")
        self.providers = [
            factories.provider(self.officer, self.scheme, name=f"{name} provider {i}") for i in range(PROVIDERS)
        ]
        resident = factories.resident(self.officer)
        today = datetime.date.today()
        self.vouchers = [
            factories.voucher(
                self.officer,
                self.scheme,
                resident,
                self.providers[i % PROVIDERS][0],
                units="100000",
                valid_from=today - datetime.timedelta(days=400),
                valid_to=today + datetime.timedelta(days=300),
            )
            for i in range(VOUCHERS)
        ]


# -- 1. claims per second ------------------------------------------------------------------------------------


def claims_through_service(world: World, n: int) -> dict:
    from samverka.vouchers import services

    day = datetime.date.today() - datetime.timedelta(days=1)

    def run():
        for i in range(n):
            voucher = world.vouchers[i % VOUCHERS]
            user = world.providers[(i % VOUCHERS) % PROVIDERS][1]
            services.claim_create(
                actor=user, voucher_id=voucher.pk, idempotency_key=f"svc-{i}", units="1", service_date=day
            )

    seconds, _ = timed(run)
    return {"claims": n, "seconds": round(seconds, 3), "claims_per_second": round(n / seconds, 1)}


def claims_through_api(world: World, n: int, threads: int) -> dict:
    """Each thread claims on its own vouchers with its provider's token; every 10th claim is sent twice (the
    retry must be replayed, not written)."""
    from django.db import connection
    from django.test import Client

    from samverka.accounts.services.tokens import api_token_create

    tokens = {}
    for _acc, user in world.providers:
        tokens[user.pk] = api_token_create(actor=user, user=user, name="bench")[1]
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    statuses: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(t: int):
        mine = [v for i, v in enumerate(world.vouchers) if i % threads == t]
        clients = {user.pk: Client(HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}") for _acc, user in world.providers}
        local_status, local_lat = [], []
        try:
            for i in range(t, n, threads):
                voucher = mine[(i // threads) % len(mine)]
                client = clients[_provider_user(world, voucher).pk]
                key = f"api-{i}"
                for _attempt in range(2 if i % 10 == 0 else 1):
                    started = time.perf_counter()
                    response = client.post(
                        f"/api/v1/vouchers/vouchers/{voucher.pk}/claims",
                        data=json.dumps({"service_date": day, "units": "1"}),
                        content_type="application/json",
                        headers={"Idempotency-Key": key},
                    )
                    local_lat.append(time.perf_counter() - started)
                    local_status.append(response.status_code)
        finally:
            connection.close()
        with lock:
            statuses.extend(local_status)
            latencies.extend(local_lat)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "claims": n,
        "requests": len(statuses),
        "threads": threads,
        "seconds": round(seconds, 3),
        "claims_per_second": round(n / seconds, 1),
        "requests_per_second": round(len(statuses) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "non_201": sum(1 for s in statuses if s != 201),
    }


def _provider_user(world: World, voucher):
    for acc, user in world.providers:
        if acc.pk == voucher.provider_id:
            return user
    raise LookupError(voucher.provider_id)


def floors_for_entries(world: World, entries: int) -> dict:
    """The same number of ledger entries, inserted bare: one bulk_create, and single-row creates each committed.
    Balanced pairs (+1/−1) on the budget and appropriation accounts under one scratch transaction each."""
    from django.db import transaction

    from samverka.vouchers.models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind

    budget = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.SCHEME_BUDGET)
    appropriation = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.APPROPRIATION)

    def scratch_tx():
        return LedgerTransaction.objects.create(kind="fund", scheme=world.scheme, memo="bench floor")

    def entry(tx, i):
        account, amount = (budget, 1) if i % 2 == 0 else (appropriation, -1)
        return LedgerEntry(
            transaction=tx, account=account, amount_minor=amount, currency=account.currency, kind=TransactionKind.FUND
        )

    with transaction.atomic():
        tx = scratch_tx()
    objects = [entry(tx, i) for i in range(entries)]
    bulk_seconds, _ = timed(lambda: LedgerEntry.objects.bulk_create(objects, batch_size=1000))

    with transaction.atomic():
        tx = scratch_tx()

    def singles():
        for i in range(entries):
            with transaction.atomic():
                entry(tx, i).save()

    single_seconds, _ = timed(singles)
    return {
        "entries": entries,
        "bulk_create_seconds": round(bulk_seconds, 3),
        "single_row_seconds": round(single_seconds, 3),
    }


# -- 2. settlement and reconciliation over a generated ledger ------------------------------------------------


def generate_claims(world: World, size: int, service_month: datetime.date) -> float:
    """`size` claim transactions (voucher −, provider payable +) with their Claim rows, made in the database."""
    from django.db import connection, transaction

    from samverka.vouchers.models import AccountKind, LedgerAccount

    payables = {
        a.organisation_id: a.pk
        for a in LedgerAccount.objects.filter(scheme=world.scheme, kind=AccountKind.PROVIDER_PAYABLE)
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_vmap (vi int, voucher uuid, account uuid, acc uuid, payable uuid)")
        for i, v in enumerate(world.vouchers):
            acc = v.provider
            cur.execute(
                "INSERT INTO bench_vmap VALUES (%s, %s, %s, %s, %s)",
                [i, v.pk, v.account_id, acc.pk, payables[acc.organisation_id]],
            )
        cur.execute(
            "CREATE TEMP TABLE bench_gen AS SELECT g, gen_random_uuid() AS tx, gen_random_uuid() AS claim, "
            "g %% %s AS vi FROM generate_series(1, %s) AS g",
            [VOUCHERS, size],
        )
        cur.execute(
            "INSERT INTO vouchers_ledgertransaction (id, created_at, kind, scheme_id, voucher_id, memo) "
            "SELECT tx, now(), 'claim', %s, voucher, 'bench' FROM bench_gen JOIN bench_vmap USING (vi)",
            [world.scheme.pk],
        )
        cur.execute(
            "INSERT INTO vouchers_ledgerentry (transaction_id, account_id, amount_minor, currency, kind) "
            "SELECT tx, account, %s, 'NOK', 'claim' FROM bench_gen JOIN bench_vmap USING (vi) "
            "UNION ALL SELECT tx, payable, %s, 'NOK', 'claim' FROM bench_gen JOIN bench_vmap USING (vi)",
            [-CLAIM_MINOR, CLAIM_MINOR],
        )
        cur.execute(
            "INSERT INTO vouchers_claim (id, created_at, voucher_id, accreditation_id, service_date, units, "
            "unit_price_minor, amount_minor, copayment_minor, note, idempotency_key, request_hash, transaction_id) "
            "SELECT claim, now(), voucher, acc, %s::date + (g %% 28), 1, %s, %s, 0, '', 'gen-' || g, '', tx "
            "FROM bench_gen JOIN bench_vmap USING (vi)",
            [service_month, CLAIM_MINOR, CLAIM_MINOR],
        )
        cur.execute(
            "UPDATE vouchers_ledgeraccount a SET balance_minor = s.total FROM (SELECT account_id, SUM(amount_minor) "
            "AS total FROM vouchers_ledgerentry e JOIN vouchers_ledgeraccount x ON x.id = e.account_id "
            "WHERE x.scheme_id = %s GROUP BY account_id) s WHERE a.id = s.account_id",
            [world.scheme.pk],
        )
        cur.execute("DROP TABLE bench_gen; DROP TABLE bench_vmap")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def sql_aggregate(scheme_id) -> list:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT account_id, SUM(amount_minor) FROM vouchers_ledgerentry WHERE account_id IN "
            "(SELECT id FROM vouchers_ledgeraccount WHERE scheme_id = %s) GROUP BY account_id",
            [scheme_id],
        )
        return cur.fetchall()


def ledger_size(size: int, month: datetime.date) -> dict:
    from samverka.vouchers import ledger, selectors, services
    from samverka.vouchers.models import LedgerEntry

    world = World(f"Bench ledger {size}")
    generate_seconds = generate_claims(world, size, month)
    entries = LedgerEntry.objects.filter(account__scheme=world.scheme).count()
    floor = best_of(3, lambda: sql_aggregate(world.scheme.pk))
    reconcile = best_of(3, lambda: selectors.reconciliation(scheme=world.scheme))
    rec = selectors.reconciliation(scheme=world.scheme)
    settle, run = timed(services.settlement_run, actor=world.officer, scheme=world.scheme, month=month)
    settled = run.settlements.count()
    verify_seconds, report = timed(ledger.verify, world.scheme)
    return {
        "transactions": size,
        "entries_in_scheme": entries,
        "generate_seconds": round(generate_seconds, 1),
        "sql_aggregate_seconds": round(floor, 3),
        "reconciliation_seconds": round(reconcile, 3),
        "reconciliation_ratio": round(reconcile / floor, 2),
        "reconciliation_balanced": rec.balanced,
        "settlement_seconds": round(settle, 3),
        "settlement_ratio": round(settle / floor, 2),
        "settlement_providers": settled,
        "ledger_verify_seconds": round(verify_seconds, 3),
        "ledger_verify_ok": report.ok,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--sizes", default="500000,1000000", help="ledger transactions per scheme, comma-separated")
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The vouchers benchmark runs on PostgreSQL (row locks, generate_series): give --database-url.")
    recreate(args.database_url)
    setup_django(args.database_url)

    from django.db import connection

    from bench.machine import machine_info

    print(f"claims: {args.claims} through the service, {args.claims} through the API ({args.threads} threads)")
    world = World("Bench throughput")
    service = claims_through_service(world, args.claims)
    api = claims_through_api(world, args.claims, args.threads)
    floor = floors_for_entries(world, args.claims * 2)  # every claim without co-payment writes two entries
    floor["bulk_entries_per_second"] = round(floor["entries"] / floor["bulk_create_seconds"], 1)
    floor["single_row_entries_per_second"] = round(floor["entries"] / floor["single_row_seconds"], 1)
    # A claim writes two entries, so the floor in claims per second is half the entry rate.
    bulk_claims = floor["bulk_entries_per_second"] / 2
    single_claims = floor["single_row_entries_per_second"] / 2
    claims = {
        "service": service,
        "api": api,
        "floor": floor,
        "service_ratio_to_single_row_floor": round(service["claims_per_second"] / single_claims, 3),
        "api_ratio_to_single_row_floor": round(api["claims_per_second"] / single_claims, 3),
        "service_ratio_to_bulk_floor": round(service["claims_per_second"] / bulk_claims, 4),
        "api_ratio_to_bulk_floor": round(api["claims_per_second"] / bulk_claims, 4),
    }
    print(json.dumps(claims, indent=2))

    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    ledgers = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        print(f"ledger of {size:,} transactions …", flush=True)
        result = ledger_size(size, month)
        print(json.dumps(result, indent=2), flush=True)
        ledgers.append(result)

    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
    summary = [
        f"Database: {version}; settings config.settings.test (DEBUG off); one process on the same machine.",
        f"Claims through the service: {service['claims_per_second']}/s; through the API with Idempotency-Key "
        f"({api['threads']} threads, every 10th request retried): {api['claims_per_second']} claims/s, "
        f"{api['non_201']} non-201 answers.",
        f"Floor, single-row inserts of 2 ledger entries per claim, each committed: {single_claims:.0f} claims/s → "
        f"service {claims['service_ratio_to_single_row_floor']:.2f}, API {claims['api_ratio_to_single_row_floor']:.2f}"
        " of the floor (target ≥ 0.50).",
        f"Floor, bulk_create of the same entries: {bulk_claims:.0f} claims/s (service "
        f"{claims['service_ratio_to_bulk_floor']:.3f} of it; a batch insert is not a fair floor for one-at-a-time "
        "claims, shown because it was asked for).",
    ]
    for led in ledgers:
        summary.append(
            f"{led['transactions']:,} transactions ({led['entries_in_scheme']:,} entries): SQL aggregate "
            f"{led['sql_aggregate_seconds']} s; reconciliation {led['reconciliation_seconds']} s "
            f"({led['reconciliation_ratio']}×); settlement {led['settlement_seconds']} s ({led['settlement_ratio']}×)"
            f"; target ≤ 3×."
        )
    result = {
        "title": "Vouchers: claims per second, settlement and reconciliation",
        "machine": machine_info(),
        "database": version,
        "summary": summary,
        "claims": claims,
        "ledger": ledgers,
        "note": "5,000,000 transactions were not generated by default (see docs/vouchers.md); "
        "run with --sizes 5000000 to measure them.",
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print("\n".join(summary))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
