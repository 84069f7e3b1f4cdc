"""The search index gains a token per area and category a service has together (index.area_category_token), so a
search in a county for one category reads one short list instead of intersecting two long ones. The index is
rebuilt here (as 0006 did)."""

from django.db import migrations

from samverka.catalogue.search.index import rebuild_for_migration


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_search_fts_detail_column")]

    operations = [migrations.RunPython(rebuild_for_migration, migrations.RunPython.noop)]
