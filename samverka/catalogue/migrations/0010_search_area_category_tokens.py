"""The search index gains a token per area and category a service has together (index.area_category_token), so a
search in a county for one category reads one short list instead of intersecting two long ones. The index is
rebuilt here (as 0006 did)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if apps.get_model("catalogue", "Service").objects.exists():
        from samverka.catalogue.search.index import rebuild as rebuild_index

        rebuild_index()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_search_fts_detail_column")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
