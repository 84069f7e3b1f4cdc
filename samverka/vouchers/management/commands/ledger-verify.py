"""`samverka ledger-verify`: prove the voucher ledger. Exit status 1 when anything does not add up."""

from django.core.management.base import BaseCommand, CommandError

from samverka.vouchers import ledger
from samverka.vouchers.models import VoucherScheme
from samverka.vouchers.selectors import reconciliation


class Command(BaseCommand):
    help = (
        "Check every cached balance against its entries, that every transaction sums to zero per currency, "
        "and that each scheme reconciles (issued − redeemed − lapsed − cancelled = outstanding)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scheme", help="UUID of one scheme (default: all)")

    def handle(self, *args, **options):
        schemes = VoucherScheme.objects.all()
        if options.get("scheme"):
            schemes = schemes.filter(pk=options["scheme"])
            if not schemes.exists():
                raise CommandError(f"No scheme {options['scheme']}")
        report = ledger.verify(scheme=schemes.first() if options.get("scheme") else None)
        problems = list(report.problems)
        for scheme in schemes.order_by("name"):
            rec = reconciliation(scheme=scheme)
            if not rec.balanced:
                problems.append(
                    f"scheme {scheme.pk} ({scheme.name}): issued − redeemed − lapsed − cancelled = "
                    f"{rec.expected_outstanding} but outstanding = {rec.outstanding} (minor units)"
                )
        for line in problems:
            self.stderr.write(line)
        summary = (
            f"Checked {report.accounts} accounts, {report.transactions} transactions, "
            f"{schemes.count()} schemes: {len(problems)} problem(s)."
        )
        if problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
