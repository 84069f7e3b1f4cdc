"""`samverka generate`: national-scale test data (organisations in the database, or a register CSV file)."""

import time

from django.core.management.base import BaseCommand, CommandError

from samverka.registry.generate import generate_organisations, write_brreg_csv


class Command(BaseCommand):
    help = (
        "Generate test data fast with bulk inserts: --organisations N valid Nordic organisations spread over the "
        "real municipalities, or --brreg-csv PATH --rows N for an Enhetsregisteret-format file (import benchmark)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, help="how many organisations to insert")
        parser.add_argument("--years", action="store_true", help="add yearly figures for the last two years")
        parser.add_argument("--brreg-csv", metavar="PATH", help="write an Enhetsregisteret CSV file instead")
        parser.add_argument("--rows", type=int, default=1000, help="rows in the --brreg-csv file")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["brreg_csv"]:
            if options["rows"] < 0:
                raise CommandError("--rows must be zero or more.")
            written = write_brreg_csv(options["brreg_csv"], options["rows"], seed=options["seed"])
            self.stdout.write(f"Wrote {written} rows to {options['brreg_csv']} in {time.monotonic() - started:.1f} s.")
            return
        count = options["organisations"]
        if count is None or count < 0:
            raise CommandError("Give --organisations N (N ≥ 0) or --brreg-csv PATH --rows N.")
        try:
            totals = generate_organisations(count, seed=options["seed"], years=options["years"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Generated {totals['organisations']} organisations in {time.monotonic() - started:.1f} s "
            f"({totals['areas']} area links, {totals['categories']} category links, "
            f"{totals['target_groups']} target group links, {totals['years']} yearly figures)."
        )
