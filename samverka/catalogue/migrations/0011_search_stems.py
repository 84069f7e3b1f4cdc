"""The search index's stems per content language (models.SearchStem), filled on SQLite from the index as it is: a
search then reads the texts of the languages holding its stems only. PostgreSQL does not use it."""

from django.db import migrations, models

from samverka.catalogue.search.index import fill_stems_for_migration


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0010_search_area_category_tokens")]

    operations = [
        migrations.CreateModel(
            name="SearchStem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=2)),
                ("stem", models.CharField(max_length=100)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("stem", "language"), name="searchstem_unique")],
            },
        ),
        migrations.RunPython(fill_stems_for_migration, migrations.RunPython.noop),
    ]
