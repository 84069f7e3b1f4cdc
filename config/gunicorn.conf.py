"""gunicorn settings shared by `make run` and production: its own log lines through the app's JSON formatter.

Use with `gunicorn --config config/gunicorn.conf.py config.wsgi:application ...`; options on the command line
still win. Error lines (start, stop, worker timeouts) and access lines are one JSON object per line, like the
app's own (samverka/core/logs.py); access lines carry the request id the app answered in X-Request-ID.
LOG_FORMAT=plain gives readable text instead, as it does for the app.
"""

import os

from samverka.core.logs import FORMATTERS  # the app's formatters; a plain module, not Django's settings

_FORMAT = "plain" if os.environ.get("LOG_FORMAT", "json") == "plain" else "json"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": _FORMAT, "stream": "ext://sys.stderr"},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access_json" if _FORMAT == "json" else "plain",
            "stream": "ext://sys.stdout",
        },
    },
    # Not propagated: the root logger would write each line a second time.
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["error"]},
}
