"""Housekeeping tasks on django.tasks. Each is idempotent: running it twice does no harm."""

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone


@task()
def purge_expired_sessions() -> int:
    """Delete sessions past their expiry date; returns how many were removed (0 on a second run)."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
