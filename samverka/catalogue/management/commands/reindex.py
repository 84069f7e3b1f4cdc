"""`samverka reindex`: rebuild the catalogue's search index (FTS5 on SQLite, tsvector on PostgreSQL)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from samverka.catalogue.models import Service
from samverka.catalogue.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of published services."

    def handle(self, *args, **options):
        total = Service.objects.public().count()
        started = time.monotonic()
        with tqdm(total=total, unit="service", disable=options["verbosity"] < 1) as bar, transaction.atomic():
            indexed = rebuild(progress=bar.update)
        self.stdout.write(f"Indexed {indexed} published services in {time.monotonic() - started:.1f} s.")
