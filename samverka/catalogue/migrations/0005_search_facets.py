"""The search index gains a facets column (the finder's filters as tokens) and SQLite rows keyed by service.

The index is rebuilt here from the published services, so search keeps working right after migrating.
"""

from django.db import migrations

LANGS = ("nb", "sv", "fi", "en")
FTS = "catalogue_service_fts"
TSV = "catalogue_service_tsv"

SQLITE_FORWARD = [
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(service_id UNINDEXED, "
    + ", ".join(f"{lang}_name, {lang}_body" for lang in LANGS)
    + ", facets, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACKWARD = [
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(service_id UNINDEXED, "
    + ", ".join(f"{lang}_name, {lang}_body" for lang in LANGS)
    + ", tokenize = 'unicode61 remove_diacritics 0')",
]
PG_FORWARD = [
    f"ALTER TABLE {TSV} ADD COLUMN facets text[] NOT NULL DEFAULT '{{}}'",
    f"CREATE INDEX {TSV}_facets_gin ON {TSV} USING gin (facets)",
]
PG_BACKWARD = [f"DROP INDEX IF EXISTS {TSV}_facets_gin", f"ALTER TABLE {TSV} DROP COLUMN facets"]


def _run(statements_by_vendor, rebuild):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
        if rebuild and apps.get_model("catalogue", "Service").objects.exists():
            from samverka.catalogue.search.index import rebuild as rebuild_index

            rebuild_index()

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_taxonomy_external_codes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}, rebuild=True),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}, rebuild=False),
        ),
    ]
