"""`samverka export-hsds DIR`: the published catalogue as HSDS 3 JSON and a tabular data package."""

from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from samverka.catalogue.hsds_io import export_dataset
from samverka.catalogue.models import CONTENT_LANGUAGES, Service


class Command(BaseCommand):
    help = "Write published services as HSDS 3 (services.json … and datapackage.json with CSV tables)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--lang", default="nb", choices=CONTENT_LANGUAGES, help="language of the texts")
        parser.add_argument("--format", default="both", choices=("both", "json", "csv"))

    def handle(self, *args, **options):
        formats = ("json", "csv") if options["format"] == "both" else (options["format"],)
        total = Service.objects.public().count()
        with tqdm(total=total, unit="service", disable=options["verbosity"] < 1) as bar:
            counts = export_dataset(
                Path(options["directory"]), language=options["lang"], formats=formats, progress=bar.update
            )
        self.stdout.write(
            f"Wrote {counts['services']} services of {counts['organizations']} organisations "
            f"and {counts['taxonomy_terms']} taxonomy terms to {options['directory']}."
        )
