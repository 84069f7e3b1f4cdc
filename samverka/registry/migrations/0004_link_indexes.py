"""Indexes for the registry list at national scale.

The link tables Django creates for the areas, categories and target groups of an organisation have a unique
index leading with organisation_id, which cannot answer "organisations in these areas / with this category".
These composite indexes lead with the other side and cover the organisation id, so the filters read only the
matching index entries. The tables are Django's automatic M2M tables, so the indexes are plain SQL (valid on
SQLite and PostgreSQL) and do not touch the model state.
"""

from django.db import migrations, models

LINK_INDEXES = [
    ("registry_org_areas_area_org_idx", "registry_organisation_areas", "area_id, organisation_id"),
    ("registry_org_cats_cat_org_idx", "registry_organisation_categories", "category_id, organisation_id"),
    ("registry_org_tgs_tg_org_idx", "registry_organisation_target_groups", "targetgroup_id, organisation_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_seed_categories_target_groups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["home_area", "id"], name="organisation_home_id_idx"),
        ),
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX {name} ON {table} ({columns})",
                reverse_sql=f"DROP INDEX {name}",
            )
            for name, table, columns in LINK_INDEXES
        ),
    ]
