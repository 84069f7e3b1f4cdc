"""The database options the settings derive from the environment (config/settings/base.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOW = "import json; from config.settings import base; print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"


def _options(**env: str) -> dict:
    environment = {**os.environ, **env}
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_prepares_statements_run_five_times_and_scans_unsynchronized_by_default():
    options = _options(DATABASE_URL="postgres://u@db:5432/samverka")
    assert options == {
        "server_side_binding": True,
        "prepare_threshold": 5,
        # A search's first matches read in table order are the same on every request (no synchronized scans).
        "options": "-c synchronize_seqscans=off",
    }


@pytest.mark.parametrize(("value", "threshold"), [("off", None), ("0", 0), ("20", 20)])
def test_the_prepare_threshold_comes_from_the_environment_and_off_turns_preparing_off(value, threshold):
    options = _options(DATABASE_URL="postgres://u@db:5432/samverka", DATABASE_PREPARE_THRESHOLD=value)
    assert options["prepare_threshold"] == threshold


def test_sqlite_keeps_its_own_options():
    assert _options(DATABASE_URL="sqlite:////tmp/x.sqlite3")["transaction_mode"] == "IMMEDIATE"


def test_a_threshold_that_is_no_number_stops_the_start_with_a_clear_message():
    environment = {**os.environ, "DATABASE_URL": "postgres://u@db/s", "DATABASE_PREPARE_THRESHOLD": "many"}
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert out.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be a whole number or off, not 'many'" in out.stderr


@pytest.mark.django_db
def test_sqlite_connections_read_the_file_memory_mapped():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        assert cursor.fetchone()[0] > 0
