"""Background work of the agreements app (idempotent; schedule daily)."""

from django.tasks import task

from .reminders import send_due_reminders


@task
def send_agreement_reminders() -> int:
    return send_due_reminders()
