"""`samverka tasks-requeue-stale [--older-than SECONDS]`: give tasks whose worker died back to the queue.

A task worker stopped hard (killed, machine lost) leaves the task it ran marked RUNNING, and no worker takes it up
again. Every Samverka task is safe to run twice, so a task RUNNING for longer than any task takes can go back to
READY for the next worker. Run it from cron beside the workers (docs/deploy.md).
"""

import datetime

from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Put tasks RUNNING for longer than --older-than seconds (their worker died) back in the queue."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=3600, help="seconds (default 3600)")

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=max(60, options["older_than"]))
        requeued = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).update(
            status=TaskResultStatus.READY, started_at=None
        )
        self.stdout.write(f"{requeued} stale task(s) put back in the queue.")
