"""SQLite: the search index's facets column gains the stems of the services' names (search/index.name_token),
so "every word in the name" reads short doclists. The SQLite index is rebuilt here (PostgreSQL is unchanged)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite" and apps.get_model("catalogue", "Service").objects.exists():
        from samverka.catalogue.search.index import rebuild as rebuild_index

        rebuild_index()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_search_area_tokens")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
