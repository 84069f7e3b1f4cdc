"""Background work on django.tasks: tasks are idempotent, so running one twice does no harm."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.tasks import TaskResultStatus
from django.utils import timezone

from samverka.accounts.sessions import SessionStore
from samverka.core.tasks import purge_expired_sessions

pytestmark = pytest.mark.django_db


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["probe"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_purge_expired_sessions_removes_only_expired_and_is_safe_to_run_twice():
    expired = [_session(timedelta(days=-1)) for _ in range(3)]
    alive = _session(timedelta(days=1))

    first = purge_expired_sessions.enqueue()
    second = purge_expired_sessions.enqueue()

    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value == 3
    assert second.status == TaskResultStatus.SUCCESSFUL and second.return_value == 0
    assert not Session.objects.filter(session_key__in=expired).exists()
    assert Session.objects.filter(session_key=alive).exists()


def test_production_tasks_backend_is_the_database(settings):
    from config.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_tasks_whose_worker_died_go_back_to_the_queue_and_recent_ones_stay():
    import datetime

    from django.core.management import call_command
    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    def running(minutes_ago: int) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="samverka.core.tasks.purge_expired_sessions",
            queue_name="default",
            backend_name="default",
        )

    stale, busy = running(120), running(5)
    call_command("tasks-requeue-stale", "--older-than", "3600")
    stale.refresh_from_db()
    busy.refresh_from_db()
    assert stale.status == TaskResultStatus.READY and stale.started_at is None
    assert busy.status == TaskResultStatus.RUNNING
