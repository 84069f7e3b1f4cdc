"""Prometheus metrics: requests (count, latency by URL name) and background tasks (by outcome).

Served at /metrics when `METRICS_ENABLED` is true, to platform admins or to `Authorization: Bearer <METRICS_TOKEN>`;
404 otherwise, so the endpoint does not reveal itself.

Several processes (gunicorn workers, `samverka db_worker`): set PROMETHEUS_MULTIPROC_DIR to one empty, writable
directory for all of them, before they start. Each process then writes its counters there (prometheus_client's
multi-process mode) and /metrics, in whichever worker answers, sums them all, the task worker's included.
Without it, each process counts for itself and /metrics shows only the process that answers.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("samverka_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=REGISTRY)
LATENCY = Histogram(
    "samverka_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
TASKS = Counter("samverka_tasks", "Background tasks by event", ["task", "event"], registry=REGISTRY)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(request: HttpRequest, status: int, started: float) -> None:
    """Count one answered request. The route is the URL name (bounded), never the raw path."""
    match = getattr(request, "resolver_match", None)
    route = (match.view_name if match else "") or "unmatched"
    method = request.method if request.method in METHODS else "OTHER"
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(time.perf_counter() - started)


def _task_event(event: str):
    def receiver(sender, task_result, **kwargs):
        name = getattr(task_result.task, "name", "") or str(task_result.task)
        label = event if event != "finished" else str(getattr(task_result.status, "value", task_result.status))
        TASKS.labels(name[:100], label.lower()).inc()

    return receiver


_RECEIVERS = {name: _task_event(name) for name in ("enqueued", "started", "finished")}


def connect_task_signals() -> None:
    from django.tasks import signals

    signals.task_enqueued.connect(_RECEIVERS["enqueued"], dispatch_uid="samverka-metrics-enqueued")
    signals.task_started.connect(_RECEIVERS["started"], dispatch_uid="samverka-metrics-started")
    signals.task_finished.connect(_RECEIVERS["finished"], dispatch_uid="samverka-metrics-finished")


def _authorised(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not getattr(settings, "METRICS_ENABLED", False) or not _authorised(request):
        raise Http404
    return HttpResponse(generate_latest(_registry_to_serve()), content_type=CONTENT_TYPE_LATEST)


def _registry_to_serve() -> CollectorRegistry:
    """Multi-process mode: a fresh registry that reads every process's files (summed); else this process's own."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return registry
