"""`samverka catalogue_reminders`: run daily (cron); e-mails organisations about services not verified for a year."""

from django.core.management.base import BaseCommand

from samverka.catalogue.tasks import send_stale_reminders


class Command(BaseCommand):
    help = "Queue the daily reminder of services not verified for 12 months (safe to run more than once a day)."

    def handle(self, *args, **options):
        result = send_stale_reminders.enqueue()
        self.stdout.write(f"Queued the reminder task ({result.id}).")
