"""The catalogue finder at scale against /healthz, under concurrent load with gunicorn, and the full reindex time.

`python -m bench.catalogue_bench [--services 100000] [--database-url postgres://…]`

1. Build (or reuse) a database under var/bench/: organisations with `samverka generate`, then services in four
   languages with bulk inserts (categories, areas served, languages offered, weekly schedules) — no index yet.
2. Time `samverka reindex` (the full index build: FTS5 stems on SQLite, tsvectors on PostgreSQL).
3. Serve with gunicorn (production settings) and load /healthz, then the finder with varied real-word queries in
   nb, sv, fi and en, with and without filters (bench.load, one URL after the other; their requests are summed), in
   alternating rounds (`--rounds`, default 2), the best round of each side kept.
4. Write bench/results/catalogue.json (catalogue-postgresql.json on PostgreSQL) and regenerate docs/benchmarks.md.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlencode

from . import report
from .machine import machine_info
from .run import BIN, ROOT, analyze, bench_env, free_port, get, load, samverka, stop, wait_ready, worker_peak_rss_mb

RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 0.20
WORKERS, THREADS = 2, 4
# Real words per language: names and texts are built from them, queries use inflected forms of them.
WORDS = {
    "nb": "frivillig besøk samtale sorg ensomhet trening leksehjelp middag turgruppe likeperson pårørende "
    "rusfri kafé gjeld bolig familie ungdom eldre språkkafé veiledning",
    "sv": "förening frivillig samtal sorg ensamhet träning läxhjälp middag promenad kamratstöd anhöriga "
    "drogfri kafé skulder boende familj ungdom äldre språkkafé vägledning",
    "fi": "vertaistuki vapaaehtoinen keskustelu suru yksinäisyys liikunta läksyapu ateria kävely omainen "
    "päihteetön kahvila velka asuminen perhe nuoret ikääntyneet kielikahvila ohjaus",
    "en": "volunteer visit conversation grief loneliness exercise homework dinner walking peer carers "
    "sober cafe debt housing family youth older language guidance",
}
QUERIES = [
    ("nb", "frivillige"),
    ("nb", "samtaler sorg"),
    ("sv", "föreningarna"),
    ("sv", "ensamheten"),
    ("fi", "vertaistukea"),
    ("fi", "kahvilassa"),
    ("en", "volunteers visiting"),
    ("en", "loneliness"),
]
KINDS = ("low_threshold", "advice", "peer_support", "prevention", "activity", "contracted")
ACCESS = ("drop_in", "booking", "referral")

GENERATE = r"""
import random, sys, time, uuid, datetime
import django
django.setup()
from django.db import connection, transaction
from samverka.areas.models import Area
from samverka.catalogue.models import Service, ServiceLanguage, Schedule, TaxonomyTerm
from samverka.registry.models import Organisation
from bench.catalogue_bench import WORDS, KINDS, ACCESS

n = int(sys.argv[1]); rng = random.Random(int(sys.argv[2]))
have = Service.objects.count()
if have >= n:
    print(f"reusing {have} services"); sys.exit(0)
orgs = list(Organisation.objects.values_list("pk", flat=True))
municipalities = list(Area.objects.filter(kind="municipality", country="NO").values_list("pk", flat=True))
terms = list(TaxonomyTerm.objects.values_list("pk", flat=True))
words = {k: v.split() for k, v in WORDS.items()}
Areas, Cats = Service.areas.through, Service.categories.through
today = datetime.date.today()
start = time.perf_counter()
batch = 5000
for offset in range(have, n, batch):
    services, areas, cats, langs, scheds = [], [], [], [], []
    for i in range(offset, min(n, offset + batch)):
        langs_here = [l for l in ("nb", "sv", "fi", "en") if l == "nb" or rng.random() < 0.5]
        texts = {}
        for lang in langs_here:
            w = words[lang]
            name = " ".join(rng.sample(w, 3)).capitalize()
            texts[f"name_{lang}"] = name
            texts[f"summary_{lang}"] = " ".join(rng.choices(w, k=10)).capitalize() + "."
            texts[f"description_{lang}"] = " ".join(rng.choices(w, k=40)).capitalize() + "."
        sid = uuid.uuid4()
        services.append(Service(
            id=sid, organisation_id=rng.choice(orgs), sort_name=texts["name_nb"], kind=rng.choice(KINDS),
            access_mode=rng.choice(ACCESS), fee="free" if rng.random() < 0.7 else "cost",
            accepts_vouchers=rng.random() < 0.1, status="active", last_verified=today,
            min_age=rng.choice([None, None, 12, 18]), **texts))
        areas.append(Areas(service_id=sid, area_id=rng.choice(municipalities)))
        for t in rng.sample(terms, 2):
            cats.append(Cats(service_id=sid, taxonomyterm_id=t))
        for code in set(langs_here) | ({"ar"} if rng.random() < 0.2 else set()):
            langs.append(ServiceLanguage(service_id=sid, code=code))
        day = rng.choice(["MO", "TU", "WE", "TH", "FR", "SA"])
        scheds.append(Schedule(service_id=sid, rrule=f"FREQ=WEEKLY;BYDAY={day}", dtstart=today,
                               opens_at=datetime.time(10), closes_at=datetime.time(14), weekdays=f",{day.lower()},"))
    with transaction.atomic():
        Service.objects.bulk_create(services, batch_size=1000)
        Areas.objects.bulk_create(areas, batch_size=2000)
        Cats.objects.bulk_create(cats, batch_size=2000)
        ServiceLanguage.objects.bulk_create(langs, batch_size=2000)
        Schedule.objects.bulk_create(scheds, batch_size=2000)
    print(f"  {min(n, offset + batch):,} services, {time.perf_counter() - start:.0f} s", flush=True)
print(f"generated {n - have} services in {time.perf_counter() - start:.1f} s")
"""

INFO = r"""
import json, django
django.setup()
from django.db import connection
from samverka.areas.models import Area
from samverka.catalogue.models import Service
from samverka.registry.models import Organisation
county = Area.objects.get(country="NO", kind="county", code="32")
print(json.dumps({"services": Service.objects.count(), "organisations": Organisation.objects.count(),
    "county_id": str(county.pk), "county_name": county.name, "database": connection.vendor,
    "database_version": ".".join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == "sqlite"
    else str(connection.cursor().connection.info.server_version)}))
"""


def python(env: dict[str, str], code: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout


def build(env: dict[str, str], services: int, organisations: int, seed: int) -> dict:
    samverka(env, "migrate", "--noinput", "--verbosity", "0")
    timings: dict = {}
    start = time.perf_counter()
    have = json.loads(python(env, INFO).strip().splitlines()[-1])
    if have["organisations"] < organisations:
        samverka(env, "generate", "--organisations", str(organisations), "--seed", str(seed))
        timings["organisations_s"] = round(time.perf_counter() - start, 1)
    else:
        timings["organisations_s"] = None  # built by an earlier run: reused
    start = time.perf_counter()
    print(python(env, GENERATE, str(services), str(seed)).strip().splitlines()[-1], flush=True)
    timings["services_s"] = round(time.perf_counter() - start, 1) if have["services"] < services else None
    return timings


def _seconds(value: float | None, unknown: str) -> str:
    return f"{value} s" if value is not None else unknown


def finder_urls(county_id: str) -> list[tuple[str, str]]:
    urls = []
    for lang, q in QUERIES:
        urls.append((f"{lang} '{q}'", "/services/?" + urlencode({"q": q})))
    for lang, q in QUERIES[::2]:
        params = {"q": q, "area": county_id, "category": "loneliness", "free": "on"}
        urls.append((f"{lang} '{q}' + area, category, free", "/services/?" + urlencode(params)))
    urls.append(("no query, filters only (weekday, language)", "/services/?weekday=tu&language=ar"))
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=int(os.environ.get("BENCH_SERVICES", 1_000_000)))
    parser.add_argument("--organisations", type=int, default=0, help="default: 30%% of --services")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 20)))
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each side is kept")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--reuse-index", action="store_true", help="skip the timed reindex (index already built)")
    args = parser.parse_args()
    organisations = args.organisations or max(1, args.services * 3 // 10)
    database_url = args.database_url
    if not database_url:
        path = ROOT / "var" / "bench" / f"catalogue-{args.services}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{path}"
    env = bench_env(database_url)

    timings = build(env, args.services, organisations, args.seed)
    if args.reuse_index:
        timings["reindex_s"] = None  # not timed in this run: the index was built before
    else:
        start = time.perf_counter()
        samverka(env, "reindex", "--verbosity", "0")
        timings["reindex_s"] = round(time.perf_counter() - start, 1)
    print(f"reindex: {timings['reindex_s']} s", flush=True)
    analyze(env)  # PostgreSQL: statistics after the bulk load, as autovacuum would soon gather them
    samverka(env, "collectstatic", "--noinput", "--verbosity", "0")
    data = json.loads(python(env, INFO).strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
         str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread", "--keep-alive", "10",
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    urls = finder_urls(data["county_id"])
    per_url = max(2.0, args.duration * 2 / len(urls))
    try:
        wait_ready(base)
        unloaded = {}
        for label, path in urls:
            start = time.perf_counter()
            status, body = get(base, path, {})
            unloaded[label] = round((time.perf_counter() - start) * 1000, 1)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
        # Alternating rounds, the best of each side kept: on a shared machine a burst of other work then does not
        # fall on one side of the ratio only.
        healthz_rounds, finder_rounds = [], []
        for _ in range(args.rounds):
            healthz_rounds.append(load(base + "/healthz", {}, args.threads, args.duration, args.warmup))
            finder_rounds.append(
                {label: load(base + path, {}, args.threads, per_url, args.warmup) for label, path in urls}
            )
        healthz = max(healthz_rounds, key=lambda r: r["throughput_rps"])
        finder = max(finder_rounds, key=lambda f: sum(r["requests"] for r in f.values()))
        rss = worker_peak_rss_mb(server.pid)
    finally:
        stop(server)

    requests = sum(r["requests"] for r in finder.values())
    finder_rps = round(requests / (per_url * len(urls)), 1)
    floor = healthz["throughput_rps"] or 1
    ratio = round(finder_rps / floor, 3)
    record = {
        "title": f"Catalogue finder at {data['services']:,} services, {data['database']}",
        "machine": machine_info(),
        "summary": [
            f"Data: {data['services']:,} services of {data['organisations']:,} organisations, texts in nb (all) "
            f"and sv/fi/en (half each); database {data['database']} {data['database_version']}",
            f"Build: organisations {_seconds(timings['organisations_s'], 'reused')}, services (bulk inserts) "
            f"{_seconds(timings['services_s'], 'reused')}; full reindex (`samverka reindex`) "
            + _seconds(timings["reindex_s"], "not timed in this run"),
            f"/healthz {healthz['throughput_rps']} req/s; finder {finder_rps} req/s over {len(urls)} URLs "
            f"(8 queries in nb/sv/fi/en, 4 of them with area+category+free filters, 1 filters only)",
            f"Finder/healthz ratio {ratio:.2f} (target ≥ {TARGET_RATIO})",
        ],
        "data": data,
        "server": {"workers": WORKERS, "threads": THREADS, "settings": "config.settings.prod"},
        "load": {
            "threads": args.threads,
            "healthz_s": args.duration,
            "per_finder_url_s": per_url,
            "rounds": args.rounds,
        },
        "rounds_rps": {
            "healthz": [r["throughput_rps"] for r in healthz_rounds],
            "finder": [round(sum(r["requests"] for r in f.values()) / (per_url * len(urls)), 1) for f in finder_rounds],
        },
        "timings_s": timings,
        "results": {"healthz": healthz, "finder": finder},
        "finder_rps": finder_rps,
        "ratio_finder_to_healthz": ratio,
        "target_ratio": TARGET_RATIO,
        "unloaded_ms": unloaded,
        "worker_peak_rss_mb": rss,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("catalogue.json" if data["database"] == "sqlite" else f"catalogue-{data['database']}.json")
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    report.main()
    print("\n".join(record["summary"]))


if __name__ == "__main__":
    main()
