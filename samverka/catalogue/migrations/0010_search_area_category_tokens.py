"""The search index gains a token per area and category a service has together (index.area_category_token), so a
search in a county for one category reads one short list instead of intersecting two long ones. The index is
rebuilt here (as 0006 did), after PostgreSQL is told to keep the filter columns in the row (index.PG_STORAGE):
the new tokens took many rows over TOAST's threshold, and their facets out of the row."""

from django.db import migrations

from samverka.catalogue.search.index import keep_filters_in_rows, rebuild_for_migration


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_search_fts_detail_column")]

    operations = [
        migrations.RunPython(keep_filters_in_rows, migrations.RunPython.noop),
        migrations.RunPython(rebuild_for_migration, migrations.RunPython.noop),
    ]
