"""`make bench`: the registry list at national scale against /healthz, under concurrent load with gunicorn.

1. Build (or reuse) a database under var/bench/ with `samverka generate --organisations N`.
2. Prepare a coordinator for the whole country: a verified (TOTP) session and an API token.
3. Serve it with gunicorn (production settings, DEBUG off) on a free loopback port.
4. Load /healthz, the filtered registry list (25 rows) and the same list through the API, one after the
   other, in alternating rounds (the best round of each kept), with a separate load-generator process; measure
   bare SQL as a second floor.
5. Write bench/results/registry.json and regenerate docs/benchmarks.md.
6. Run the mixed locust workload at several data sizes (bench/load_mixed.py): bench/results/load.json
   (`--registry-only` stops after step 5).
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from . import report
from .machine import machine_info
from .sqlfloor import floors

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 0.25
WORKERS, THREADS = 2, 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database a benchmark names when it does not exist yet (SQLite creates its own file)."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_env(database_url: str) -> dict[str, str]:
    ensure_database(database_url)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="bench-only-secret-key-" + "b" * 48,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
    )
    return env


def samverka(env: dict[str, str], *args: str) -> None:
    print("$ samverka", " ".join(args), flush=True)
    subprocess.run([str(BIN / "samverka"), *args], cwd=ROOT, env=env, check=True)


def org_count(env: dict[str, str]) -> int:
    """Organisations already in the benchmark database (0 when it is empty or not migrated)."""
    code = (
        "import django; django.setup()\n"
        "from django.db import DatabaseError\n"
        "from samverka.registry.models import Organisation\n"
        "try:\n    print(Organisation.objects.count())\nexcept DatabaseError:\n    print(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    return int(lines[-1]) if out.returncode == 0 and lines and lines[-1].isdigit() else 0


def build(env: dict[str, str], organisations: int, seed: int) -> float | None:
    """Migrate (a reused database gets new indexes too), then generate unless enough organisations are there."""
    samverka(env, "migrate", "--noinput", "--verbosity", "0")
    existing = org_count(env)
    if existing >= organisations:
        print(f"reusing the database ({existing:,} organisations)")
        return None
    start = time.perf_counter()
    samverka(env, "generate", "--organisations", str(organisations), "--seed", str(seed))
    return time.perf_counter() - start


def analyze(env: dict[str, str]) -> None:
    """PostgreSQL: VACUUM ANALYZE now (statistics, and the visibility map that index-only scans need), as
    autovacuum would soon after a bulk load in production, then a CHECKPOINT: otherwise the gigabytes the load and
    the vacuum dirtied are written out during the measurement that follows (where the role may not checkpoint, the
    run goes on without it).
    SQLite is left as it is deployed, without statistics (the queries must plan well without them)."""
    code = (
        "import django; django.setup()\n"
        "from django.db import DatabaseError, connection\n"
        "if connection.vendor == 'postgresql':\n"
        "    connection.cursor().execute('VACUUM ANALYZE')\n"
        "    try:\n"
        "        connection.cursor().execute('CHECKPOINT')\n"
        "    except DatabaseError as exc:\n"
        "        print(f'no checkpoint before the measurement: {exc}')\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.prepare"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310 (loopback)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def get(base: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    req = urllib.request.Request(base + path, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(req, timeout=300) as r:  # noqa: S310
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def with_cookies_set(base: str, path: str, headers: dict[str, str]) -> dict[str, str]:
    """`headers` with the cookies a first visit of `path` sets added to its Cookie header, as a browser keeps them
    (the CSRF cookie: without it, every page would make a new CSRF secret and set it again)."""
    req = urllib.request.Request(base + path, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(req, timeout=300) as r:  # noqa: S310
        set_cookies = r.headers.get_all("Set-Cookie") or []
    jar = dict(c.split("=", 1) for c in headers.get("Cookie", "").split("; ") if "=" in c)
    jar |= dict(c.split(";", 1)[0].split("=", 1) for c in set_cookies)
    return {**headers, "Cookie": "; ".join(f"{name}={value}" for name, value in jar.items())}


def api_list_path(base: str, headers: dict[str, str]) -> str:
    """The registry's organisation list endpoint, found in the OpenAPI document."""
    status, body = get(base, "/api/v1/openapi.json", headers)
    if status != 200:
        raise SystemExit(f"openapi.json answered {status}")
    for path, item in json.loads(body)["paths"].items():
        params = {p["name"] for p in item.get("get", {}).get("parameters", [])}
        if path.startswith("/api/v1/registry/organisations") and "{" not in path and "page_size" in params:
            return path
    raise SystemExit("no paginated registry list endpoint in the OpenAPI document")


def load(url: str, headers: dict[str, str], threads: int, duration: float, warmup: float) -> dict:
    args = [
        sys.executable,
        "-m",
        "bench.load",
        url,
        "--threads",
        str(threads),
        "--duration",
        str(duration),
        "--warmup",
        str(warmup),
    ]
    for name, value in headers.items():
        args += ["--header", f"{name}: {value}"]
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    print(
        f"  {url.split('?')[0]}: {result['throughput_rps']} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, errors {result['errors']}",
        flush=True,
    )
    return result


def worker_peak_rss_mb(master_pid: int) -> float | None:
    peaks = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return round(max(peaks), 1) if peaks else None


def previous_summary(path: Path) -> dict | None:
    """The headline figures of the run a new result replaces (req/s and p50/p95 per request, ratios)."""
    if not path.exists():
        return None
    old = json.loads(path.read_text())
    keep = ("throughput_rps", "p50_ms", "p95_ms")
    return {
        "date": old["machine"]["date"],
        "results": {name: {k: r[k] for k in keep} for name, r in old["results"].items()},
        "ratio_list_to_healthz": old["ratio_list_to_healthz"],
        "ratio_api_to_healthz": old["ratio_api_to_healthz"],
        "unloaded_ms": old.get("unloaded_ms"),
    }


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers; a worker stuck in a slow request gets SIGKILL after 10 s."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=int(os.environ.get("BENCH_ORGANISATIONS", 300_000)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 20)))
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--threads", type=int, default=8, help="concurrent keep-alive connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is kept")
    parser.add_argument(
        "--registry-only",
        action="store_true",
        help="measure the registry list only, without the mixed workload at several data sizes afterwards",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", ""),
        help="default: BENCH_DATABASE_URL, then DATABASE_URL, then SQLite under var/bench/",
    )
    args = parser.parse_args()

    database_url = args.database_url
    if not database_url:
        sqlite_path = ROOT / "var" / "bench" / f"registry-{args.organisations}.sqlite3"
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{sqlite_path}"
    env = bench_env(database_url)

    generate_seconds = build(env, args.organisations, args.seed)
    analyze(env)
    samverka(env, "collectstatic", "--noinput", "--verbosity", "0")
    data = prepare(env)
    session_cookie = data.pop("session_cookie")
    print(
        f"data: {data['organisations']:,} organisations; filter county {data['county_name']}, "
        f"category {data['category']} ({data['rows_matching']:,} matching)",
        flush=True,
    )

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
    try:
        wait_ready(base)
        session = {"Cookie": f"{session_cookie}={data['session_key']}"}
        query = urlencode({"area": data["county_id"], "category": data["category"]})
        list_path = f"/registry/?{query}"
        session = with_cookies_set(base, list_path, session)
        token = {"Authorization": f"Bearer {data['token']}"}
        api_path = f"{api_list_path(base, token)}?{query}&page_size=25"

        unloaded_ms = {}
        start = time.perf_counter()
        status, body = get(base, list_path, session)
        unloaded_ms["registry_list"] = round((time.perf_counter() - start) * 1000, 1)
        if status != 200:
            raise SystemExit(f"registry list answered {status}: {body[:300]!r}")
        start = time.perf_counter()
        status, body = get(base, api_path, token)
        unloaded_ms["registry_api"] = round((time.perf_counter() - start) * 1000, 1)
        if status != 200 or len(json.loads(body)["results"]) != min(25, data["rows_matching"]):
            raise SystemExit(f"API list answered {status}: {body[:300]!r}")
        print(f"one request alone: list {unloaded_ms['registry_list']} ms, API {unloaded_ms['registry_api']} ms")

        print(f"load: {args.threads} connections, {args.duration:.0f} s each, {args.rounds} rounds", flush=True)
        targets = {
            "healthz": ("/healthz", {}),
            "registry_list": (list_path, session),
            "registry_api": (api_path, token),
        }
        rounds: dict[str, list[dict]] = {name: [] for name in targets}
        # Alternating rounds, the best of each kept: on a shared machine a burst of other work then does not fall
        # on one side of a ratio only.
        for _ in range(args.rounds):
            for name, (path, headers) in targets.items():
                rounds[name].append(load(base + path, headers, args.threads, args.duration, args.warmup))
        results = {name: max(runs, key=lambda r: r["throughput_rps"]) for name, runs in rounds.items()}
        rss = worker_peak_rss_mb(server.pid)
    finally:
        stop(server)

    floor = results["healthz"]["throughput_rps"] or 1
    record = {
        "title": "Registry list at national scale",
        "machine": machine_info(),
        "data": data | {"session_key": None, "token": None},
        "server": {"workers": WORKERS, "threads": THREADS, "settings": "config.settings.prod"},
        "load": {"threads": args.threads, "duration_s": args.duration, "warmup_s": args.warmup, "rounds": args.rounds},
        "rounds_rps": {name: [r["throughput_rps"] for r in runs] for name, runs in rounds.items()},
        "results": results,
        "unloaded_ms": unloaded_ms,
        "ratio_list_to_healthz": round(results["registry_list"]["throughput_rps"] / floor, 3),
        "ratio_api_to_healthz": round(results["registry_api"]["throughput_rps"] / floor, 3),
        "target_ratio": TARGET_RATIO,
        "sql_floor": floors(database_url),
        "generate_seconds": generate_seconds,
        "worker_peak_rss_mb": rss,
    }
    record["data"] = {k: v for k, v in record["data"].items() if v is not None}
    RESULTS.mkdir(parents=True, exist_ok=True)
    # One file per database engine; the previous run's headline figures stay for comparison.
    out = RESULTS / ("registry.json" if data["database"] == "sqlite" else f"registry-{data['database']}.json")
    record["previous"] = previous_summary(out)
    out.write_text(json.dumps(record, indent=2) + "\n")
    report.main()
    print(
        f"list/healthz = {record['ratio_list_to_healthz']:.3f} (target ≥ {TARGET_RATIO}); "
        f"api/healthz = {record['ratio_api_to_healthz']:.3f}"
    )
    errors = sum(r["errors"] for runs in rounds.values() for r in runs)

    if not args.registry_only:
        # The mixed workload (locust) at several data sizes: bench/results/load.json, then the report again.
        from . import load_mixed

        load_mixed.main([])
    if errors:
        raise SystemExit(f"{errors} requests failed during the load")


if __name__ == "__main__":
    main()
