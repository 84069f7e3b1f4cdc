"""`samverka import-hsds PATH`: upsert an Open Referral HSDS 3 dataset (JSON or tabular data package)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from samverka.areas.models import Area
from samverka.catalogue.hsds_io import HsdsFileError, import_dataset, read_dataset
from samverka.catalogue.models import CONTENT_LANGUAGES


class Command(BaseCommand):
    help = "Import services, organisations, locations, schedules and taxonomy from an HSDS 3 dataset."

    def add_arguments(self, parser):
        parser.add_argument("path", help="services.json (or any HSDS JSON), datapackage.json, or a directory")
        parser.add_argument("--lang", default="nb", choices=CONTENT_LANGUAGES, help="language of the texts")
        parser.add_argument(
            "--area",
            default="",
            help="area (e.g. NO-3201) used as home area of new organisations and owner of services without one",
        )
        parser.add_argument("--format", default="auto", choices=("auto", "json", "csv"))
        parser.add_argument(
            "--background",
            action="store_true",
            help="hand the import to the task worker and return at once (PATH must be readable by the worker)",
        )

    def handle(self, *args, **options):
        area = None
        if options["area"]:
            country, _sep, code = options["area"].partition("-")
            area = Area.objects.filter(country=country.upper(), code=code).first()
            if area is None:
                raise CommandError(f"Unknown area {options['area']} (use e.g. NO-3201).")
        if options["background"]:
            from samverka.catalogue.tasks import import_hsds

            path = Path(options["path"]).resolve()
            if not path.exists():
                raise CommandError(f"{path} does not exist. Nothing was imported.")
            result = import_hsds.enqueue(str(path), options["lang"], str(area.pk) if area else None, options["format"])
            self.stdout.write(f"Import queued as task {result.id}; the task worker runs it.")
            return
        try:
            dataset = read_dataset(Path(options["path"]), options["format"])
        except HsdsFileError as exc:
            raise CommandError(f"Nothing imported: {exc}") from None
        verbose = options["verbosity"] >= 1
        with tqdm(total=len(dataset.services), unit="service", disable=not verbose) as bar:
            report = import_dataset(dataset, language=options["lang"], area=area, progress=bar.update)
        for kind, counts in report.counts.items():
            self.stdout.write(f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items()))
        for kind, record_id, reasons in report.rejected:
            self.stdout.write(f"rejected {kind} {record_id}: {reasons}")
        for kind, record_id, warning in report.warnings:
            self.stdout.write(f"warning {kind} {record_id}: {warning}")
