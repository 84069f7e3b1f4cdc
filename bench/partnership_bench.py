"""Partnership pages under load against /healthz in the same run (issue 6, "Tests and measurements").

`.venv/bin/python -m bench.partnership_bench` (options: --duration, --threads, --agreements, --database-url).

1. Build (or reuse) a database under var/bench/: migrate, `samverka generate` a few thousand organisations,
   then (in a Django process, `--prepare`) an area agreement register (by default 600 agreements in force in the
   busiest Norwegian county, parties included) and a public forum with 10 years of meetings: 500 meetings,
   1,000 decisions and 5,000 action items. A coordinator of the county gets a verified (TOTP) session.
2. Count the SQL queries of each page twice — on a small forum/area and on the big one — to show the count
   does not grow with the rows.
3. Serve with gunicorn (production settings, DEBUG off), load /healthz, the agreement register, the forum page,
   the forum's open actions filtered page and the public agreement register, one after the other, each with a
   separate load-generator process (bench/load.py).
4. Write bench/results/partnership.json (SQLite) or partnership-<database>.json (e.g. PostgreSQL with
   --database-url), picked up by bench/report.py, and regenerate docs/benchmarks.md.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import report
from .machine import machine_info
from .run import (
    RESULTS,
    ROOT,
    THREADS,
    WORKERS,
    bench_env,
    build,
    free_port,
    get,
    load,
    samverka,
    stop,
    wait_ready,
    worker_peak_rss_mb,
)

BIN = Path(sys.executable).parent
ORGANISATIONS = 3000
MEETINGS, DECISIONS_PER_MEETING, ACTIONS_PER_MEETING = 500, 2, 10
FORUM_NAME = "Bench cooperation council"
SMALL_FORUM_NAME = "Bench working group"
TARGET_RATIO = 0.25


# -- inside Django (`--prepare`) ------------------------------------------------------------------------
def _seed(agreements: int) -> dict:
    import random

    from django.db import transaction
    from django.utils import timezone

    from samverka.agreements.models import IN_FORCE, Agreement, AgreementKind, Party
    from samverka.areas.models import Area
    from samverka.dialogue.models import ActionItem, ActionStatus, Decision, Forum, ForumMember, Meeting
    from samverka.registry.models import Organisation

    rng = random.Random(6)
    counties = Area.objects.filter(kind="county", country="NO")
    county = max(counties, key=lambda c: Organisation.objects.filter(home_area__path__startswith=c.path).count())
    municipalities = list(Area.objects.filter(kind="municipality", path__startswith=county.path))
    orgs = list(Organisation.objects.filter(home_area__path__startswith=county.path).order_by("pk")[:500])
    if Forum.objects.filter(name=FORUM_NAME).exists():
        return {"county": county, "created": False}
    today = timezone.localdate()
    kinds = list(AgreementKind.values)
    statuses = [*IN_FORCE, "draft", "ended"]
    with transaction.atomic():
        rows = [
            Agreement(
                kind=rng.choice(kinds),
                title=f"Cooperation agreement {i:04d}",
                area=rng.choice(municipalities),
                status=rng.choice(statuses),
                starts=today - datetime.timedelta(days=rng.randint(100, 1500)),
                ends=today + datetime.timedelta(days=rng.randint(1, 1100)),
                published=rng.random() < 0.7,
            )
            for i in range(agreements)
        ]
        Agreement.objects.bulk_create(rows, batch_size=500)
        parties = []
        for a in rows:
            parties.append(Party(agreement=a, area=a.area))
            for org in rng.sample(orgs, k=min(len(orgs), rng.randint(1, 3))):
                parties.append(Party(agreement=a, organisation=org))
        Party.objects.bulk_create(parties, batch_size=1000)

        forums = {}
        for name, meetings in ((FORUM_NAME, MEETINGS), (SMALL_FORUM_NAME, 5)):
            forum = Forum.objects.create(area=county, name=name, mandate="Benchmark forum.", is_public=True)
            ForumMember.objects.bulk_create(
                [ForumMember(forum=forum, organisation=o, name=o.name[:200]) for o in orgs[:20]]
            )
            start = timezone.now() - datetime.timedelta(days=3650)
            step = datetime.timedelta(days=3650 / meetings)
            meeting_rows = [
                Meeting(
                    forum=forum,
                    title=f"Meeting {i + 1}",
                    starts_at=start + i * step,
                    ends_at=start + i * step + datetime.timedelta(hours=2),
                    place="Town hall",
                )
                for i in range(meetings)
            ]
            Meeting.objects.bulk_create(meeting_rows, batch_size=500)
            decisions = [
                Decision(meeting=m, order=j + 1, text=f"Decision {j + 1} of {m.title}")
                for m in meeting_rows
                for j in range(DECISIONS_PER_MEETING)
            ]
            Decision.objects.bulk_create(decisions, batch_size=1000)
            actions = []
            for m_index, m in enumerate(meeting_rows):
                for j in range(ACTIONS_PER_MEETING):
                    recent = m_index >= meetings - 10
                    actions.append(
                        ActionItem(
                            forum=forum,
                            meeting=m,
                            decision=decisions[m_index * DECISIONS_PER_MEETING + j % DECISIONS_PER_MEETING],
                            title=f"Action {j + 1} from {m.title}",
                            owner_organisation=rng.choice(orgs),
                            due=(m.starts_at + datetime.timedelta(days=60)).date(),
                            status=ActionStatus.OPEN if recent and j % 2 else ActionStatus.DONE,
                        )
                    )
            ActionItem.objects.bulk_create(actions, batch_size=1000)
            forums[name] = forum
    return {"county": county, "created": True}


def _count_queries(client, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, len(ctx.captured_queries)


def prepare(agreements: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverka.accounts.models import AreaRole, User
    from samverka.agreements.models import Agreement
    from samverka.areas.models import Area
    from samverka.core.testing import session_for
    from samverka.dialogue.models import ActionItem, Decision, Forum, Meeting

    seeded = _seed(agreements)
    if connection.vendor == "postgresql":
        # Planner statistics for the bulk-inserted rows, as autovacuum would have them on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    county = seeded["county"]
    user, _ = User.objects.get_or_create(
        email="bench.partnership@samverka.example", defaults={"full_name": "Bench Partnership Coordinator"}
    )
    AreaRole.objects.get_or_create(user=user, area=county, role="coordinator")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session_key = session_for(user, otp_device=device)
    big = Forum.objects.get(name=FORUM_NAME)
    small = Forum.objects.get(name=SMALL_FORUM_NAME)
    small_area = (
        Area.objects.filter(agreements__isnull=False, path__startswith=county.path).order_by("?").first() or county
    )

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    register = reverse("agreements:register")
    pages = {
        "agreement_register": (f"{register}?area={small_area.pk}", register),
        "forum_page": (reverse("dialogue:forum", args=[small.pk]), reverse("dialogue:forum", args=[big.pk])),
        "forum_actions_all": (
            reverse("dialogue:forum", args=[small.pk]) + "?status=&apage=2",
            reverse("dialogue:forum", args=[big.pk]) + "?status=&apage=2",
        ),
        "public_register": (
            reverse("agreements:public_register") + f"?area={small_area.pk}",
            reverse("agreements:public_register"),
        ),
    }
    queries = {}
    for name, (small_path, big_path) in pages.items():
        s_status, s_count = _count_queries(client, small_path)
        b_status, b_count = _count_queries(client, big_path)
        if s_status != 200 or b_status != 200:
            raise SystemExit(f"{name}: answered {s_status}/{b_status} while counting queries")
        queries[name] = {"small": s_count, "big": b_count, "constant": b_count <= s_count}
    print(
        json.dumps(
            {
                "session_key": session_key,
                # "__Host-sessionid" with production settings: the server is sent the name it reads.
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "county_name": county.name,
                "forum_id": str(big.pk),
                "created": seeded["created"],
                "agreements": Agreement.objects.count(),
                "agreements_in_register": Agreement.objects.filter(
                    area__path__startswith=county.path, status__in=["active", "review", "renewed"]
                ).count(),
                "meetings": Meeting.objects.filter(forum=big).count(),
                "decisions": Decision.objects.filter(meeting__forum=big).count(),
                "actions": ActionItem.objects.filter(forum=big).count(),
                "query_counts": queries,
                "database": connection.vendor,
            }
        )
    )


# -- the orchestrator ---------------------------------------------------------------------------------
def _load_average() -> str:
    """The 1-minute load average (the machine is shared: it says how busy it was while measuring)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=600)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 15)))
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--threads", type=int, default=8, help="concurrent keep-alive connections")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.agreements)
        return

    sqlite_path = None
    database_url = args.database_url
    if not database_url:
        sqlite_path = ROOT / "var" / "bench" / "partnership.sqlite3"
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{sqlite_path}"
    env = bench_env(database_url)
    build(env, ORGANISATIONS, 6)  # migrate; generate organisations unless the database has them
    samverka(env, "collectstatic", "--noinput", "--verbosity", "0")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.partnership_bench", "--prepare", "--agreements", str(args.agreements)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    prepare_seconds = round(time.perf_counter() - start, 1)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"data: {data['agreements']:,} agreements ({data['agreements_in_register']:,} in force in "
        f"{data['county_name']}); forum: {data['meetings']} meetings, {data['decisions']} decisions, "
        f"{data['actions']:,} actions",
        flush=True,
    )
    for name, q in data["query_counts"].items():
        print(f"  queries {name}: small {q['small']}, big {q['big']}", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    session = {"Cookie": f"{data['session_cookie']}={data['session_key']}"}
    forum = f"/forums/{data['forum_id']}/"
    targets = {
        "healthz": ("/healthz", {}),
        "agreement_register": ("/agreements/register/", session),
        "forum_page": (forum, {}),
        "forum_actions_all": (forum + "?status=&apage=100", {}),
        "public_register": ("/agreements/public/", {}),
    }
    load_before = _load_average()
    try:
        wait_ready(base)
        unloaded_ms = {}
        for name, (path, headers) in targets.items():
            begin = time.perf_counter()
            status, body = get(base, path, headers)
            unloaded_ms[name] = round((time.perf_counter() - begin) * 1000, 1)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
        print("one request alone (ms): " + ", ".join(f"{k} {v}" for k, v in unloaded_ms.items()), flush=True)
        print(f"load: {args.threads} connections, {args.duration:.0f} s each", flush=True)
        results = {
            name: load(base + path, headers, args.threads, args.duration, args.warmup)
            for name, (path, headers) in targets.items()
        }
        rss = worker_peak_rss_mb(server.pid)
        load_after = _load_average()
    finally:
        stop(server)

    floor = results["healthz"]["throughput_rps"] or 1
    ratios = {name: round(r["throughput_rps"] / floor, 3) for name, r in results.items() if name != "healthz"}
    record = {
        "title": f"Partnership, {data['database']}: agreement register and a forum with 10 years of meetings",
        "machine": machine_info(),
        "summary": [
            f"Data: {data['agreements']:,} agreements ({data['agreements_in_register']:,} in force in "
            f"{data['county_name']}); a public forum with {data['meetings']} meetings, {data['decisions']:,} "
            f"decisions and {data['actions']:,} actions; database {data['database']}",
            f"Server: gunicorn {WORKERS} workers × {THREADS} threads, config.settings.prod; load: {args.threads} "
            f"keep-alive connections for {args.duration:.0f} s each after {args.warmup:.0f} s warm-up",
            f"Floor: /healthz {floor:.1f} requests/s in the same run; throughput ratio to it: "
            + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()),
            "Queries per page, small vs big data: "
            + ", ".join(f"{k} {q['small']}→{q['big']}" for k, q in data["query_counts"].items()),
            f"Load average at the start {load_before}, at the end {load_after}: the machine has "
            f"{os.cpu_count()} cores shared with other engineers' work (tests, other benchmarks), so the figures "
            "are noisy; compare ratios measured in the same run, not absolute rates",
        ],
        "data": {k: v for k, v in data.items() if k not in ("session_key", "session_cookie", "query_counts")},
        "server": {"workers": WORKERS, "threads": THREADS, "settings": "config.settings.prod"},
        "load": {"threads": args.threads, "duration_s": args.duration, "warmup_s": args.warmup},
        "results": results,
        "ratios_to_healthz": ratios,
        "target_ratio": TARGET_RATIO,
        "query_counts": data["query_counts"],
        "unloaded_ms": unloaded_ms,
        "prepare_seconds": prepare_seconds,
        "worker_peak_rss_mb": rss,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "partnership.json" if data["database"] == "sqlite" else f"partnership-{data['database']}.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n")
    report.main()
    print("ratios to /healthz: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    errors = sum(r["errors"] for r in results.values())
    if errors:
        raise SystemExit(f"{errors} requests failed during the load")
    if not all(q["constant"] for q in data["query_counts"].values()):
        raise SystemExit("a page's query count grew with its data")


if __name__ == "__main__":
    main()
