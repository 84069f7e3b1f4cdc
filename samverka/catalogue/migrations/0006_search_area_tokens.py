"""The search index gains a token per area a service's areas and places lie in (see search/index.py), so the
finder's area filter is one token instead of one per municipality. The index is rebuilt here."""

from django.db import migrations

from samverka.catalogue.search.index import rebuild_for_migration


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_facets")]

    operations = [migrations.RunPython(rebuild_for_migration, migrations.RunPython.noop)]
