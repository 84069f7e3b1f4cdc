"""Search structures that only one database has: FTS5 on SQLite; tsvector + GIN and pg_trgm on PostgreSQL."""

from django.db import migrations

LANGS = ("nb", "sv", "fi", "en")

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE catalogue_service_fts USING fts5("
    "service_id UNINDEXED, " + ", ".join(f"{l}_name, {l}_body" for l in LANGS) + ", "
    "tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS catalogue_service_fts"]

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE catalogue_service_tsv ("
    "service_id uuid PRIMARY KEY, "
    + ", ".join(f"{l} tsvector NOT NULL" for l in LANGS) + ")",
    *(f"CREATE INDEX catalogue_service_tsv_{l}_gin ON catalogue_service_tsv USING gin ({l})" for l in LANGS),
    "CREATE INDEX catalogue_searchword_trgm ON catalogue_searchword USING gin (word gin_trgm_ops)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS catalogue_searchword_trgm",
    "DROP TABLE IF EXISTS catalogue_service_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_seed_taxonomy")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
        ),
    ]
