"""`samverka vouchers-lapse`: run daily (cron); lapses expired vouchers and returns their remainder to the scheme.

Runs the lapse in this process rather than queueing it, so the day's lapse does not wait for a task worker and
the exit status tells cron whether it ran. Safe to run more than once a day: a voucher lapses only once.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from samverka.vouchers.tasks import lapse_expired


class Command(BaseCommand):
    help = "Lapse every active voucher whose validity has ended and return its remainder (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to lapse for, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        lapsed = lapse_expired(today=today)
        self.stdout.write(f"Lapsed {lapsed} voucher(s).")
