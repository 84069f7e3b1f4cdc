"""/metrics with PROMETHEUS_MULTIPROC_DIR sums every process: two web processes and the task worker."""

import re

import pytest
from django.db import connection
from django.test import Client

from tests.helpers import run_python

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "metrics-secret-token"
ONE_WEB_REQUEST = """
import django
django.setup()
from django.test import Client
assert Client().get("/healthz").status_code == 200
"""
# The test settings run tasks at once; the worker process uses the database queue, as in production.
ONE_TASK_THROUGH_THE_WORKER = """
import django
django.setup()
from django.core.management import call_command
from samverka.core.tasks import purge_expired_sessions
purge_expired_sessions.enqueue()
call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
"""


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _count(body: str, pattern: str) -> float:
    return sum(float(v) for v in re.findall(pattern + r" ([0-9.e+]+)", body))


def test_metrics_sum_the_web_processes_and_the_task_worker(tmp_path, settings, monkeypatch):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    for _web_process in range(2):
        result = run_python(ONE_WEB_REQUEST, env)
        assert result.returncode == 0, result.stderr[-2000:]
    worker = run_python(ONE_TASK_THROUGH_THE_WORKER, {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    assert worker.returncode == 0, worker.stderr[-2000:]

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    body = response.content.decode()
    healthz = r'samverka_http_requests_total\{method="GET",route="healthz",status="200"\}'
    assert _count(body, healthz) == 2, body
    finished = r'samverka_tasks_total\{event="successful",task="[^"]*purge_expired_sessions"\}'
    assert _count(body, finished) == 1, body


def test_metrics_without_the_directory_show_this_process_only(settings, monkeypatch):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    client = Client()
    client.get("/healthz")
    body = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    assert 'samverka_http_requests_total{method="GET",route="healthz",status="200"}' in body
