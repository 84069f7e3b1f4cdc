"""OrganisationFacet: the denormalised index of the registry list's area and category filters.

The table is created bare, filled for the existing organisations with one INSERT … SELECT per id range (all in
the database, a national register in seconds), and only then indexed, so the index is built once from sorted
data instead of growing row by row.
"""

import django.db.models.deletion
from django.db import migrations, models


def build_facets(apps, schema_editor):
    from samverka.registry.facets import facets_rebuild_all

    facets_rebuild_all(connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_load_official_areas"),
        ("registry", "0004_link_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationFacet",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=300)),
                ("status", models.CharField(max_length=12)),
                ("legal_form", models.CharField(max_length=30)),
                (
                    "area",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="areas.area",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.category",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="registry.organisation"
                    ),
                ),
            ],
        ),
        migrations.RunPython(build_facets, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="organisationfacet",
            index=models.Index(
                fields=["area", "category", "name", "organisation", "status", "legal_form"],
                name="registry_facet_area_cat_idx",
            ),
        ),
    ]
