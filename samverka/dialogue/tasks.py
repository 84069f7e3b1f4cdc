"""Background work of the dialogue app (idempotent; schedule daily)."""

from django.tasks import task

from .reminders import send_overdue_reminders


@task
def send_action_reminders() -> int:
    return send_overdue_reminders()
