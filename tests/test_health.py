"""/healthz and what users see when the database is unreachable."""

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client

from samverka.accounts.models import User

from .helpers import run_python

pytestmark = pytest.mark.django_db

BROKEN_DATABASES = {
    "broken_sqlite_path": "sqlite:////nonexistent-samverka-dir/missing/samverka.sqlite3",
    "closed_pg_port": "postgres://postgres@127.0.0.1:1/samverka_unreachable",  # port 1: nothing listens
}

# Runs in its own process so the broken DATABASE_URL is the one Django starts with, as after a real outage.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for name, path, cookie in [("healthz", "/healthz", False), ("page", "/", True), ("api", "/api/v1/areas/", True)]:
    if cookie:
        client.cookies["sessionid"] = "s" * 32  # any session cookie makes the page read the database
    r = client.get(path)
    out[name] = {"status": r.status_code, "body": r.content.decode(), "type": r.headers.get("Content-Type", "")}
print("RESULT" + json.dumps(out))
"""


def test_healthz_answers_ok_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers.get("Cache-Control", "") or "max-age=0" in response.headers["Cache-Control"]


@pytest.mark.parametrize("backend", sorted(BROKEN_DATABASES))
def test_unreachable_database_gives_503_health_and_friendly_pages(backend):
    result = run_python(
        PROBE, env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": BROKEN_DATABASES[backend]}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.split("RESULT", 1)[1])

    assert out["healthz"]["status"] == 503
    assert json.loads(out["healthz"]["body"]) == {"status": "error", "database": "error"}

    page = out["page"]
    assert page["status"] == 503, page["body"][:500]
    assert "Temporarily unavailable" in page["body"]
    assert "Traceback" not in page["body"] and "OperationalError" not in page["body"]

    api = out["api"]
    assert api["status"] == 503
    assert json.loads(api["body"]) == {"detail": "Service temporarily unavailable", "errors": {}}


def _refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_database_outage_mid_session_gives_503_and_recovers_by_itself():
    user = User.objects.create_user("reader@samverka.example", "a-long-password-1")
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="samverka.accounts.backends.ModelBackend")

    with connection.execute_wrapper(_refuse_every_query):
        down_page = client.get("/")
        down_health = client.get("/healthz")

    assert down_page.status_code == 503
    assert b"Temporarily unavailable" in down_page.content
    assert b"Traceback" not in down_page.content
    assert down_health.status_code == 503
    assert down_health.json()["database"] == "error"

    assert client.get("/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
