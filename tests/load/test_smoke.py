"""A short mixed load (locust, ~10 s) against gunicorn on loopback: every request type answers, 0 errors.

The database holds the demo (on SQLite a copy made with `samverka backup`, on PostgreSQL this test's own); gunicorn
serves it with the test settings (no collectstatic needed). The long run is `make bench` (bench/load_mixed.py).
Locust runs in its own process: importing it here would monkey-patch this process with gevent.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connection

from bench import load_mixed
from bench.run import stop, wait_ready, worker_peak_rss_mb

pytestmark = pytest.mark.django_db(transaction=True)

DURATION_S = 10


def _served_database(tmp_path) -> str:
    """SQLite: a snapshot made with `samverka backup`. PostgreSQL: this test's own database (its data is committed)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "load.sqlite3"
    call_command("backup", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return f"sqlite:///{path}"


def test_mixed_load_smoke_has_no_errors(tmp_path):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=_served_database(tmp_path),
        ALLOWED_HOSTS="127.0.0.1",
    )
    sessions = load_mixed.prepare(env)

    port = load_mixed.free_port()
    server = load_mixed.start_gunicorn(env, port)
    try:
        wait_ready(f"http://127.0.0.1:{port}")
        stats = load_mixed.run_locust(
            f"http://127.0.0.1:{port}", sessions, users=6, duration_s=DURATION_S, workdir=tmp_path
        )
        rss = worker_peak_rss_mb(server.pid)
    finally:
        stop(server)

    assert stats["all"]["requests"] > 50, stats["all"]
    failures = tmp_path / "locust_failures.csv"
    assert stats["all"]["errors"] == 0, failures.read_text()[:3000] if failures.exists() else stats
    writes = ("/registry/[id]/edit/ POST", "/vouchers/residents/[id]/edit/ POST")
    for name in (load_mixed.FINDER, "/healthz (floor)", *writes, "/vouchers/schemes/"):
        assert stats.get(name, {}).get("requests", 0) > 0, (name, sorted(stats))
    assert rss is None or rss < 1024
