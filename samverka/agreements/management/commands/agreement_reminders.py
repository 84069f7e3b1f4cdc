"""`samverka agreement_reminders`: send due review and end-date reminders (safe to run daily)."""

from django.core.management.base import BaseCommand

from samverka.agreements.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send reminders before review dates and end dates without a renewal decision. Each is sent once."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"Agreement reminders sent: {sent}.")
