"""Vouchers benchmark on PostgreSQL: `.venv/bin/python -m bench.vouchers_bench [--sizes 5000000]`.

Every figure is measured next to its floor, in the same run, on the same fresh database (default
postgres://postgres@127.0.0.1:5432/h_vouchers_bench, or --database-url; it is dropped and created again):

1. Claims per second through the API (`POST /api/v1/vouchers/vouchers/{id}/claims` with an Idempotency-Key,
   in-process client, N threads each with its own connection, every 10th claim sent twice) against the floor the
   issue names, "single-row inserts through the same stack": the same client, threads, middleware, token
   authentication, django-ninja and ORM, posting the same body to an endpoint of this benchmark that inserts one
   ledger entry (one INSERT, committed on its own) and answers 201 with JSON. Measured in 5 rounds of floor then
   claims; each round's ratio compares the two measured side by side, and the median round is the figure, so a burst
   of load on the shared machine neither falls on one side only nor pairs one side's best round with the other's.
   Also shown: claims through `services.claim_create` alone, and bare ORM inserts without HTTP (single-row and
   bulk_create) — the floor as it was defined before, which leaves out everything a request costs but the insert.
2. For each size, a scheme whose ledger holds that many claim transactions (two entries each, with their claims),
   generated in the database with INSERT … SELECT from generate_series with the foreign-key and append-only
   triggers off for the load (session_replication_role = replica; the rows are consistent by construction and
   `ledger-verify` checks them afterwards), then VACUUM ANALYZE (as autovacuum would): the month's settlement
   (`services.settlement_run`) and the reconciliation (`selectors.reconciliation`) against a plain SQL aggregate
   over the same rows (SELECT account_id, SUM(amount_minor) FROM entries of the scheme's accounts GROUP BY
   account_id).

Writes bench/results/vouchers.json (shown in docs/benchmarks.md by `python -m bench.report`). With --claims-only, only
part 1 is measured and the ledger figures of part 2 are kept from that file, marked with the date of the run that
measured them (`ledger_measured_at`); `make bench` runs everything.
"""

import argparse
import datetime
import json
import os
import sys
import threading
import time
import types
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


FLOOR_URLCONF = "bench_vouchers_floor_urls"


def install_floor_endpoint(world: World) -> None:
    """The floor's endpoint beside the whole app: `POST /bench-floor/entries` with the API's own authentication,
    inserting one ledger entry (+1 and −1 in turn on the throughput scheme's budget and appropriation accounts, under
    one scratch ledger transaction), committed on its own, answering 201 with the entry's id as JSON."""
    from django.conf import settings
    from django.db import transaction
    from django.urls import clear_url_caches, path
    from ninja import NinjaAPI, Schema, Status

    from config.urls import urlpatterns
    from samverka.accounts.auth import api_auth
    from samverka.vouchers.models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind

    budget = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.SCHEME_BUDGET)
    appropriation = LedgerAccount.objects.get(scheme=world.scheme, kind=AccountKind.APPROPRIATION)
    with transaction.atomic():
        scratch = LedgerTransaction.objects.create(kind="fund", scheme=world.scheme, memo="bench floor")

    class FloorIn(Schema):
        service_date: datetime.date
        units: str

    class FloorOut(Schema):
        id: int

    api = NinjaAPI(urls_namespace="bench-floor", auth=api_auth, docs_url=None, openapi_url=None)

    @api.post("/entries", response={201: FloorOut})
    def floor_insert(request, payload: FloorIn):
        account, amount = (budget, 1) if payload.service_date.day % 2 else (appropriation, -1)
        # One INSERT, committed on its own (autocommit): no BEGIN/COMMIT round trips that a claim's floor would not
        # need, so the floor is as fast as a write through this stack gets.
        entry = LedgerEntry.objects.create(
            transaction=scratch,
            account=account,
            amount_minor=amount,
            currency=account.currency,
            kind=TransactionKind.FUND,
        )
        return Status(201, FloorOut(id=entry.pk))

    module = types.ModuleType(FLOOR_URLCONF)
    module.urlpatterns = [path("bench-floor/", api.urls), *urlpatterns]  # type: ignore[attr-defined]
    sys.modules[FLOOR_URLCONF] = module
    settings.ROOT_URLCONF = FLOOR_URLCONF
    clear_url_caches()


def _tokens(world: World) -> dict:
    from samverka.accounts.services.tokens import api_token_create

    return {user.pk: api_token_create(actor=user, user=user, name="bench")[1] for _acc, user in world.providers}


def _through_stack(world: World, tokens: dict, n: int, threads: int, floor: bool, tag: str) -> dict:
    """n claims (every 10th sent twice: the retry must be replayed, not written) or n floor inserts, by `threads`
    threads, each thread on its own vouchers with its provider's token and its own database connection."""
    from django.db import connection
    from django.test import Client

    day = datetime.date.today() - datetime.timedelta(days=1)
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
                key = f"{tag}-{i}"
                # The floor alternates +1/−1 by the day's parity; claims all use yesterday.
                body = {"service_date": (day - datetime.timedelta(days=i % 2) if floor else day).isoformat()}
                body["units"] = "1"
                url = "/bench-floor/entries" if floor else f"/api/v1/vouchers/vouchers/{voucher.pk}/claims"
                for _attempt in range(2 if (i % 10 == 0 and not floor) else 1):
                    started = time.perf_counter()
                    response = client.post(
                        url, data=json.dumps(body), content_type="application/json", headers={"Idempotency-Key": key}
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
        "writes": n,
        "requests": len(statuses),
        "threads": threads,
        "seconds": round(seconds, 3),
        "per_second": round(n / seconds, 1),
        "requests_per_second": round(len(statuses) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "non_201": sum(1 for s in statuses if s != 201),
    }


def claims_and_floor_through_api(world: World, n: int, threads: int, rounds: int = 5) -> dict:
    """Floor and claims in turn, `rounds` times each, same n and threads. Each round's ratio compares the claims with
    the floor measured just before them; the figure is the median round. (The floor alone swung 326–468/s between
    rounds on this shared machine, so the best of each side, as measured before, paired one side's lucky round with the
    other's ordinary one.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    install_floor_endpoint(world)
    tokens = _tokens(world)
    floors, claims = [], []
    for r in range(rounds):
        floors.append(_through_stack(world, tokens, n, threads, floor=True, tag=f"floor{r}"))
        claims.append(_through_stack(world, tokens, n, threads, floor=False, tag=f"api{r}"))
    ratios = [c["per_second"] / f["per_second"] for f, c in zip(floors, claims, strict=True)]
    median = sorted(range(rounds), key=lambda r: ratios[r])[rounds // 2]
    floor, api = floors[median], claims[median]
    # Statements per request, counted on one more of each (the same code path as measured).
    from django.test import Client

    user = _provider_user(world, world.vouchers[0])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}")
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    body = json.dumps({"service_date": day, "units": "1"})
    counts = {}
    for name, url, key in [
        ("floor", "/bench-floor/entries", "count-floor"),
        ("claim", f"/api/v1/vouchers/vouchers/{world.vouchers[0].pk}/claims", "count-claim"),
        ("replay", f"/api/v1/vouchers/vouchers/{world.vouchers[0].pk}/claims", "count-claim"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            client.post(url, data=body, content_type="application/json", headers={"Idempotency-Key": key})
        counts[name] = len(queries.captured_queries)
    return {
        "floor": floor,
        "api": api,
        "rounds": {
            "floor_per_second": [f["per_second"] for f in floors],
            "api_per_second": [c["per_second"] for c in claims],
            "ratios": [round(r, 3) for r in ratios],
            "best_of_each_ratio": round(max(c["per_second"] for c in claims) / max(f["per_second"] for f in floors), 3),
        },
        "statements_per_request": counts,
        "ratio": round(ratios[median], 3),
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
    """`size` claim transactions (voucher −, provider payable +) with their Claim rows, made in the database: three
    INSERT … SELECT over generate_series (ids derived from the series number, so no staging table), foreign-key and
    append-only triggers off for the load, then the vouchers' cached balances set from their entries."""
    from django.db import connection, transaction

    from samverka.vouchers.models import AccountKind, LedgerAccount

    payables = {
        a.organisation_id: a.pk
        for a in LedgerAccount.objects.filter(scheme=world.scheme, kind=AccountKind.PROVIDER_PAYABLE)
    }
    salt = world.scheme.pk.hex
    started = time.perf_counter()
    tables = ("vouchers_ledgertransaction", "vouchers_ledgerentry", "vouchers_claim")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        # Plain indexes (not those of primary keys or unique constraints) are dropped for the load and built again
        # after it, in one sorted pass each, as a bulk load would; same definitions, same names.
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
            "quote_ident(i.indexname))::regclass)",
            [list(tables)],
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(
            "CREATE TEMP TABLE bench_vmap (vi int PRIMARY KEY, voucher uuid, account uuid, acc uuid, payable uuid)"
        )
        for i, v in enumerate(world.vouchers):
            acc = v.provider
            cur.execute(
                "INSERT INTO bench_vmap VALUES (%s, %s, %s, %s, %s)",
                [i, v.pk, v.account_id, acc.pk, payables[acc.organisation_id]],
            )
        series = "FROM generate_series(1, %s) AS g JOIN bench_vmap m ON m.vi = g %% " + str(VOUCHERS)
        tx = "md5(%s || 't' || g)::uuid"
        cur.execute(
            "INSERT INTO vouchers_ledgertransaction (id, created_at, kind, scheme_id, voucher_id, memo) "
            f"SELECT {tx}, now(), 'claim', %s, m.voucher, 'bench' {series}",
            [salt, world.scheme.pk, size],
        )
        cur.execute(
            "INSERT INTO vouchers_ledgerentry (transaction_id, account_id, amount_minor, currency, kind) "
            f"SELECT {tx}, m.account, %s, 'NOK', 'claim' {series} "
            f"UNION ALL SELECT {tx}, m.payable, %s, 'NOK', 'claim' {series}",
            [salt, -CLAIM_MINOR, size, salt, CLAIM_MINOR, size],
        )
        cur.execute(
            "INSERT INTO vouchers_claim (id, created_at, voucher_id, accreditation_id, service_date, units, "
            "unit_price_minor, amount_minor, copayment_minor, note, seq, idempotency_key, request_hash, "
            "transaction_id) "
            "SELECT md5(%s || 'c' || g)::uuid, now(), m.voucher, m.acc, %s::date + (g %% 28), 1, %s, %s, 0, '', "
            f"nextval('vouchers_claim_seq'), 'gen-' || g, '', {tx} {series} ORDER BY g",
            [salt, service_month, CLAIM_MINOR, CLAIM_MINOR, salt, size],
        )
        cur.execute(
            "UPDATE vouchers_ledgeraccount a SET balance_minor = s.total FROM (SELECT account_id, SUM(amount_minor) "
            "AS total FROM vouchers_ledgerentry e JOIN vouchers_ledgeraccount x ON x.id = e.account_id "
            "WHERE x.scheme_id = %s AND x.kind = 'voucher' GROUP BY account_id) s WHERE a.id = s.account_id",
            [world.scheme.pk],
        )
        cur.execute("DROP TABLE bench_vmap")
        for _name, definition in indexes:
            cur.execute(definition)
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM (ANALYZE) {table}")
        cur.execute("ANALYZE")  # the small tables too (vouchers, accounts, accreditations), as autovacuum would
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


def throughput(args) -> dict:
    print(f"claims: {args.claims} through the API and the floor ({args.threads} threads), then the service")
    world = World("Bench throughput")
    through_api = claims_and_floor_through_api(world, args.claims, args.threads)
    api, stack_floor = through_api["api"], through_api["floor"]
    service = claims_through_service(world, args.claims)
    orm = floors_for_entries(world, args.claims * 2)  # every claim without co-payment writes two entries
    orm["bulk_entries_per_second"] = round(orm["entries"] / orm["bulk_create_seconds"], 1)
    orm["single_row_entries_per_second"] = round(orm["entries"] / orm["single_row_seconds"], 1)
    # The definition used before: a claim writes two entries, so bare ORM single-row inserts of two entries each.
    orm_single_claims = orm["single_row_entries_per_second"] / 2
    claims = {
        "api": api,
        "floor_single_row_inserts_through_the_stack": stack_floor,
        "api_ratio_to_floor": through_api["ratio"],
        "rounds": through_api["rounds"],
        "statements_per_request": through_api["statements_per_request"],
        "service": service,
        "orm_without_http": orm,
        "api_ratio_to_orm_single_row_pairs": round(api["per_second"] / orm_single_claims, 3),
        "service_ratio_to_orm_single_row_pairs": round(service["claims_per_second"] / orm_single_claims, 3),
    }
    print(json.dumps(claims, indent=2), flush=True)

    return claims


def claims_summary(claims: dict) -> list[str]:
    api, stack_floor, service = claims["api"], claims["floor_single_row_inserts_through_the_stack"], claims["service"]
    counts, rounds = claims["statements_per_request"], claims["rounds"]
    orm_single_claims = claims["orm_without_http"]["single_row_entries_per_second"] / 2
    return [
        f"Claims through the API with Idempotency-Key ({api['threads']} threads, every 10th claim sent twice): "
        f"{api['per_second']} claims/s ({api['requests_per_second']} requests/s, p50 {api['p50_ms']} ms, "
        f"{api['non_201']} non-201 answers).",
        f"Floor, single-row inserts through the same stack (same client, threads, middleware, token auth, "
        f"django-ninja, ORM; one ledger entry per request, committed on its own): {stack_floor['per_second']}/s → "
        f"ratio {claims['api_ratio_to_floor']:.2f} (target ≥ 0.50), the median of {len(rounds['api_per_second'])} "
        f"rounds, each the claims against the floor measured just before them: ratios {rounds['ratios']}; claims "
        f"{rounds['api_per_second']}/s, floor {rounds['floor_per_second']}/s (the best of each side against the "
        f"other: {rounds['best_of_each_ratio']:.2f}).",
        f"Statements per request: claim {counts['claim']} (BEGIN/COMMIT included), retried claim {counts['replay']}, "
        f"floor {counts['floor']}.",
        f"For comparison, without HTTP: claims through the service one at a time {service['claims_per_second']}/s; "
        f"bare ORM single-row inserts of two entries, each committed, one thread: {orm_single_claims:.0f}/s (the "
        f"floor as defined before; API {claims['api_ratio_to_orm_single_row_pairs']:.2f} of it).",
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--sizes", default="5000000", help="ledger transactions per scheme, comma-separated")
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (JSON)")
    parser.add_argument(
        "--claims-only",
        action="store_true",
        help="measure only the claims (part 1); keep the ledger figures of part 2 from --out, with their date",
    )
    args = parser.parse_args(argv)
    kept = None
    if args.claims_only:
        if not args.claims:
            raise SystemExit("--claims-only with --claims 0 measures nothing.")
        previous = json.loads(args.out.read_text()) if args.out.exists() else {}
        kept = {
            "ledger": previous.get("ledger") or [],
            "measured_at": previous.get("ledger_measured_at") or previous.get("machine", {}).get("date"),
        }
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The vouchers benchmark runs on PostgreSQL (row locks, generate_series): give --database-url.")
    recreate(args.database_url)
    setup_django(args.database_url)

    from django.db import connection

    from bench.machine import machine_info

    claims = throughput(args) if args.claims else None  # --claims 0: the ledger part only

    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    ledgers = kept["ledger"] if kept else []
    for size in [] if kept else [int(s) for s in args.sizes.split(",") if s.strip()]:
        print(f"ledger of {size:,} transactions …", flush=True)
        result = ledger_size(size, month)
        print(json.dumps(result, indent=2), flush=True)
        ledgers.append(result)

    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
    summary = [
        f"Database: {version}; settings config.settings.test (DEBUG off); one process on the same machine, "
        "shared with other work during the measurement."
    ]
    if claims:
        summary += claims_summary(claims)
    for led in ledgers:
        summary.append(
            (f"(Not re-measured: kept from the run of {kept['measured_at']}.) " if kept else "")
            + f"{led['transactions']:,} transactions ({led['entries_in_scheme']:,} entries): SQL aggregate "
            f"{led['sql_aggregate_seconds']} s; reconciliation {led['reconciliation_seconds']} s "
            f"({led['reconciliation_ratio']}×); settlement {led['settlement_seconds']} s ({led['settlement_ratio']}×)"
            f"; target ≤ 3×."
        )
    machine = machine_info()
    result = {
        "title": "Vouchers: claims per second, settlement and reconciliation",
        "machine": machine,
        "database": version,
        "summary": summary,
        "claims": claims,
        "ledger": ledgers,
        "ledger_measured_at": kept["measured_at"] if kept else machine.get("date"),
        "data": {
            "throughput_scheme": f"{VOUCHERS} vouchers, {PROVIDERS} providers, {args.claims} claims per round",
            "ledger_sizes": [led["transactions"] for led in ledgers],
        },
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("\n".join(summary))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
