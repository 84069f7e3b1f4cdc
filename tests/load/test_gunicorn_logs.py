"""gunicorn started with config/gunicorn.conf.py writes only JSON lines, each with a request_id.

Its own lines (start, workers, stop), the access lines and the app's lines all go through the app's JSON formatter;
an access line carries the id the app answered in X-Request-ID (the caller's, or one the app made up).
"""

import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest

from bench.run import BIN, free_port, stop, wait_ready

from ..helpers import ROOT, subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers["X-Request-ID"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Request-ID"]


def test_every_gunicorn_line_is_json_with_a_request_id(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=subprocess_database_url(),
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_COUNT="1",  # as behind the proxy, whose X-Request-ID the app keeps
    )
    port = free_port()
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "config/gunicorn.conf.py", "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--access-logfile", "-"],
            cwd=ROOT, env=env, start_new_session=True, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            wait_ready(f"http://127.0.0.1:{port}")
            assert _get(f"http://127.0.0.1:{port}/healthz", {"X-Request-ID": "trace-healthz"}) == (200, "trace-healthz")
            status, made_up_id = _get(f"http://127.0.0.1:{port}/no-such-page/", {})
            assert status == 404 and made_up_id
        finally:
            stop(server)

    lines = [line for path in (out, err) for line in path.read_text().splitlines()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line: {line!r}")
    assert all("request_id" in entry for entry in entries), entries
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert {"method": "GET", "path": "/healthz", "status": 200, "request_id": "trace-healthz"}.items() <= next(
        e for e in access if e["request_id"] == "trace-healthz"
    ).items()
    assert any(e["path"] == "/no-such-page/" and e["status"] == 404 and e["request_id"] == made_up_id for e in access)
    # The app's own warning for the 404 carries the same id as gunicorn's access line for it.
    assert any(e["logger"] == "django.request" and e["request_id"] == made_up_id for e in entries), entries
    assert any(e["logger"] == "gunicorn.error" and e["request_id"] == "" for e in entries), "gunicorn's own lines"
