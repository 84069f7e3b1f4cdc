"""Structured JSON logs with the request id, and the restricted Prometheus /metrics endpoint."""

import json
import logging

import pytest
from django.test import Client

from samverka.accounts.tests.factories import make_user, plain_login, staff_login
from samverka.core import request_context
from samverka.core.logs import JSONFormatter
from samverka.core.tasks import purge_expired_sessions

pytestmark = pytest.mark.django_db


def _line(record_logger: str, message: str, **extra) -> dict:
    record = logging.getLogger(record_logger).makeRecord(
        record_logger, logging.WARNING, __file__, 1, message, (), None, extra=extra or None
    )
    return json.loads(JSONFormatter().format(record))


def test_json_line_carries_the_current_request_id_and_extra_fields():
    token = request_context.set_current(request_context.RequestContext(request_id="req-42", ip="127.0.0.1"))
    try:
        line = _line("samverka.test", "hello %s", status=503)
    finally:
        request_context.reset(token)
    assert line["message"] == "hello %s"
    assert line["request_id"] == "req-42"
    assert line["level"] == "WARNING" and line["logger"] == "samverka.test"
    assert line["status"] == 503
    assert line["time"].endswith("+00:00")


def test_json_line_outside_a_request_has_an_empty_request_id_and_keeps_tracebacks():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == ""
    assert "ValueError: boom" in line["exception"]


def test_settings_use_the_json_formatter_by_default(settings):
    assert settings.LOGGING["formatters"]["json"]["()"] == "samverka.core.logs.JSONFormatter"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_log_lines_written_during_a_request_carry_its_id(client, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # the proxy's request id is kept
    handler_records = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_records.append(JSONFormatter().format(record))

    keep = Keep()
    logging.getLogger("django.request").addHandler(keep)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "trace-me"})
    finally:
        logging.getLogger("django.request").removeHandler(keep)
    assert handler_records, "Django logs a warning for a 404"
    assert all(json.loads(r)["request_id"] == "trace-me" for r in handler_records)


def test_metrics_is_404_when_disabled(settings, client):
    settings.METRICS_ENABLED = False
    admin = make_user(is_superuser=True)
    staff_login(client, admin)
    assert client.get("/metrics").status_code == 404


def test_metrics_refuses_anonymous_and_ordinary_users_with_404(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = "metrics-secret-token"
    assert Client().get("/metrics").status_code == 404
    member = Client()
    plain_login(member, make_user())
    assert member.get("/metrics").status_code == 404
    assert Client().get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404


def test_metrics_for_the_token_count_requests_latency_and_tasks(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = "metrics-secret-token"
    client = Client()
    client.get("/healthz")
    purge_expired_sessions.enqueue()
    response = client.get("/metrics", headers={"Authorization": "Bearer metrics-secret-token"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'samverka_http_requests_total{method="GET",route="healthz",status="200"}' in body
    assert 'samverka_http_request_duration_seconds_bucket{le="0.005",method="GET",route="healthz"}' in body
    assert 'samverka_tasks_total{event="enqueued"' in body
    assert "purge_expired_sessions" in body


def test_metrics_for_a_platform_admin_with_mfa(settings, client):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = ""
    staff_login(client, make_user(is_superuser=True))
    assert client.get("/metrics").status_code == 200
