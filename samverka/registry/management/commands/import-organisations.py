"""`samverka import-organisations --format brreg|prh|se FILE`: upsert organisations from a national register file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from samverka.registry.importers import DEFAULT_BATCH_SIZE, FORMATS, ImportFileError, organisations_import


class Command(BaseCommand):
    help = (
        "Import organisations from a national register file: brreg (Norway, Enhetsregisteret CSV/JSON), "
        "prh (Finland, PRH/YTJ v3 JSON), se (Sweden, SCB or Bolagsverket bulk file). Upserts by organisation "
        "number; rejected rows go to a CSV file with their line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register file (plain or .gz)")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="register format")
        parser.add_argument("--rejects", help="where to write rejected rows (default: <name>.rejects.csv beside FILE)")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per transaction")
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
        parser.add_argument(
            "--background",
            action="store_true",
            help="hand the import to the task worker and return at once (FILE must be readable by the worker)",
        )

    def handle(self, *args, **options):
        if options["background"]:
            from samverka.registry.tasks import import_organisations

            path = Path(options["file"]).resolve()
            if not path.is_file():
                raise CommandError(f"{path} is not a readable file. Nothing was imported.")
            result = import_organisations.enqueue(str(path), options["format"], options["rejects"])
            self.stdout.write(f"Import queued as task {result.id}; the task worker runs it.")
            return
        bar = None
        if not options["no_progress"]:
            bar = tqdm(
                total=0,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc="Importing",
                file=sys.stderr,
                dynamic_ncols=True,
                leave=False,
                disable=None,
            )

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)
                if done >= total:
                    bar.refresh()  # draw the finished bar even when the import was quicker than tqdm's redraw interval

        try:
            result = organisations_import(
                actor=None,
                path=options["file"],
                format=options["format"],
                rejects_path=options["rejects"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(f"{exc.detail} Nothing was imported.") from None
        finally:
            if bar is not None:
                bar.close()

        c = result.counts
        self.stdout.write(
            f"Imported {result.path.name} ({result.format}) in {result.seconds:.1f} s: "
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['rejected']} rejected, {c['skipped']} skipped (not non-profit organisations)."
        )
        for reason, count in result.details.items():
            self.stdout.write(f"  {reason}: {count}")
        self.stdout.write(f"Rejected rows: {result.rejects_path}")
