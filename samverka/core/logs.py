"""Structured logs: one JSON object per line, each with the request id of the request that wrote it.

Configured in settings.LOGGING (formatter "json": `samverka.core.logs.JSONFormatter`). Lines written outside a
request (commands, task workers) carry an empty request_id.
"""

import json
import logging
from datetime import UTC, datetime

from . import request_context

# The formatters of settings.LOGGING and of config/gunicorn.conf.py (which reads them without Django's settings):
# "json" for the app's lines, "access_json" for gunicorn's access lines, "plain" (LOG_FORMAT=plain) for reading by eye.
FORMATTERS: dict[str, dict[str, str]] = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {"()": "samverka.core.logs.JSONFormatter"},
    "access_json": {"()": "samverka.core.logs.AccessJSONFormatter"},
}

# Attributes every LogRecord has; anything else on a record came from `extra=` and is written as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _request_id(record: logging.LogRecord) -> str:
    # django.request logs 4xx/5xx after the middleware has returned, with the request attached to the record.
    request = getattr(record, "request", None)
    return (
        getattr(record, "request_id", None)
        or getattr(request, "request_id", "")
        or request_context.current().request_id
    )


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class AccessJSONFormatter(JSONFormatter):
    """gunicorn's access lines as JSON fields, with the request id the app answered in X-Request-ID.

    gunicorn logs each request with its "atoms" (a dict) as the record's args, after the response is sent, so the id
    is read from the response header rather than from the request context. The query string is left out: residents'
    search words are not logged.
    """

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, dict) else {}
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": "request",
            "request_id": dict.get(atoms, "{x-request-id}o") or dict.get(atoms, "{x-request-id}i") or "",
            "method": dict.get(atoms, "m"),
            "path": dict.get(atoms, "U"),
            "status": _int(dict.get(atoms, "s")),
            "duration_ms": round(dict.get(atoms, "D", 0) / 1000, 3),
            "bytes": dict.get(atoms, "B"),
            "remote_addr": dict.get(atoms, "h"),
            "user_agent": dict.get(atoms, "a"),
        }
        return json.dumps(entry, ensure_ascii=False, default=str)


def _int(value: object) -> object:
    try:
        return int(str(value))
    except ValueError:
        return value
