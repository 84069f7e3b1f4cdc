"""The mixed load test: locust (bench/locustfile.py) headless against gunicorn on loopback, bounded in time.

`python -m bench.load_mixed` (called by `make bench`) runs it at several data sizes (`samverka generate`), writes
bench/results/load.json with throughput and p50/p95/p99 per request type next to /healthz, the web workers' peak
RSS, and latency against data size for the finder and the registry; then regenerates docs/benchmarks.md.
tests/load/test_smoke.py runs `run_locust` for ~10 s. Locust runs in its own process (it monkey-patches with gevent).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from . import report
from .machine import machine_info
from .run import BIN, RESULTS, ROOT, bench_env, free_port, samverka, stop, wait_ready, worker_peak_rss_mb

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
FINDER = "/services/?q= (finder search)"
REGISTRY = "/organisations/ (page 2)"


def start_gunicorn(env: dict[str, str], port: int, workers: int = 2, threads: int = 4) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def prepare(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.load_prepare"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_locust(base: str, sessions: dict, *, users: int, duration_s: int, workdir: Path) -> dict:
    """Run locust headless for `duration_s`; return {request name: stats} parsed from its CSV."""
    prefix = workdir / "locust"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        SAMVERKA_LOAD_NGO_SESSION=sessions["ngo_session"],
        SAMVERKA_LOAD_OFFICER_SESSION=sessions["officer_session"],
        SAMVERKA_LOAD_NGO_ORGANISATION=sessions["ngo_organisation"],
        SAMVERKA_LOAD_SESSION_COOKIE=sessions["session_cookie"],
        SAMVERKA_LOAD_CSRF_COOKIE=sessions["csrf_cookie"],
    )
    subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", base, "-u", str(users),
         "-r", str(users), "-t", f"{duration_s}s", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
         "--exit-code-on-error", "0", "--stop-timeout", "5"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=duration_s + 60,
    )  # fmt: skip
    return parse_stats(Path(f"{prefix}_stats.csv"), duration_s)


def parse_stats(path: Path, duration_s: float) -> dict:
    stats = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Name"] != "Aggregated" else "all"
            stats[name] = {
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "throughput_rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _ms(row["50%"]),
                "p95_ms": _ms(row["95%"]),
                "p99_ms": _ms(row["99%"]),
            }
    return stats


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def measure(database_url: str, organisations: int, users: int, duration_s: int) -> dict:
    env = bench_env(database_url)
    sqlite_path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    if sqlite_path is None or not sqlite_path.exists():
        samverka(env, "migrate", "--noinput", "--verbosity", "0")
        samverka(env, "generate", "--organisations", str(organisations), "--seed", "1")
    samverka(env, "collectstatic", "--noinput", "--verbosity", "0")
    sessions = prepare(env)
    port = free_port()
    server = start_gunicorn(env, port)
    try:
        wait_ready(f"http://127.0.0.1:{port}")
        workdir = RESULTS / "locust"
        workdir.mkdir(parents=True, exist_ok=True)
        stats = run_locust(f"http://127.0.0.1:{port}", sessions, users=users, duration_s=duration_s, workdir=workdir)
        rss = worker_peak_rss_mb(server.pid)
    finally:
        stop(server)
    return {"organisations": sessions["organisations"], "database": sessions["database"], "requests": stats,
            "worker_peak_rss_mb": rss}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_LOAD_SIZES", "1000,10000,50000"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_LOAD_DURATION", 30)))
    args = parser.parse_args(argv)
    runs = []
    for size in [int(s) for s in args.sizes.split(",")]:
        path = ROOT / "var" / "bench" / f"load-{size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"mixed load at {size:,} organisations", flush=True)
        runs.append(measure(f"sqlite:///{path}", size, args.users, args.duration))
    record = {
        "title": "Mixed load (locust)",
        "machine": machine_info(),
        "server": {"workers": 2, "threads": 4, "settings": "config.settings.prod"},
        "load": {"users": args.users, "duration_s": args.duration, "tool": "locust, headless, loopback"},
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(record, indent=2) + "\n")
    report.main()
    errors = sum(r["requests"].get("all", {}).get("errors", 0) for r in runs)
    if errors:
        raise SystemExit(f"{errors} requests failed during the mixed load")


if __name__ == "__main__":
    main()
