from django.core.management.base import BaseCommand
from django.db import transaction

from samverka.areas.loader import load_areas
from samverka.areas.models import Area


class Command(BaseCommand):
    help = "Load or refresh every municipality, county, region and welfare area of Norway, Sweden and Finland."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_areas(Area)
        self.stdout.write(
            f"Areas: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged."
        )
