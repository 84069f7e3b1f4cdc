"""Structured logs: one JSON object per line, each with the request id of the request that wrote it.

Configured in settings.LOGGING (formatter "json": `samverka.core.logs.JSONFormatter`). Lines written outside a
request (commands, task workers) carry an empty request_id.
"""

import json
import logging
from datetime import UTC, datetime

from . import request_context

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
