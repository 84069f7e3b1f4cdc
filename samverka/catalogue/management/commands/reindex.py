"""`samverka reindex`: rebuild the catalogue's search index (FTS5 on SQLite, tsvector on PostgreSQL)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from samverka.catalogue.models import Service
from samverka.catalogue.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of published services."

    def add_arguments(self, parser):
        parser.add_argument(
            "--background", action="store_true", help="hand the rebuild to the task worker and return at once"
        )

    def handle(self, *args, **options):
        if options["background"]:
            from samverka.catalogue.tasks import reindex

            result = reindex.enqueue()
            self.stdout.write(f"Reindex queued as task {result.id}; the task worker runs it.")
            return
        total = Service.objects.public().count()
        started = time.monotonic()
        with tqdm(total=total, unit="service", disable=options["verbosity"] < 1) as bar, transaction.atomic():
            indexed = rebuild(progress=bar.update)
        self.stdout.write(f"Indexed {indexed} published services in {time.monotonic() - started:.1f} s.")
