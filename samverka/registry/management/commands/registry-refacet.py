"""`samverka registry-refacet`: rebuild every organisation's facets (the registry list's filter index)."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from samverka.registry.facets import RANGE_BATCH, facets_rebuild_all
from samverka.registry.models import Organisation


class Command(BaseCommand):
    help = "Rebuild the registry list's facet index for all organisations, in batches (each its own transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=RANGE_BATCH, help="organisations per batch")

    def handle(self, *args, **options):
        batch = max(1, options["batch"])
        with tqdm(total=Organisation.objects.count(), unit="org", disable=options["verbosity"] == 0) as bar:
            total = facets_rebuild_all(batch=batch, progress=bar.update)
        self.stdout.write(f"Rebuilt the facets of {total} organisations.")
