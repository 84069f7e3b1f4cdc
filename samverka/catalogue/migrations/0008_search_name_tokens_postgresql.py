"""PostgreSQL: the search index gains a `names` text array with a GIN index, holding the name tokens of each
service (search/index.pg_name_tokens, read off the name-weighted lexemes of its vectors), so "every word in the
name" reads short index entries instead of testing the weights of every row holding the words anywhere (as on
SQLite since 0007). Filled here from the vectors already stored; SQLite is unchanged."""

from django.db import migrations

TSV = "catalogue_service_tsv"


def add_names(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from samverka.catalogue.search.index import pg_name_tokens

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TSV} ADD COLUMN IF NOT EXISTS names text[] NOT NULL DEFAULT '{{}}'")
        cursor.execute(f"UPDATE {TSV} t SET names = {pg_name_tokens('t')}")  # noqa: S608  # nosec B608 (constants only)
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {TSV}_names_gin ON {TSV} USING gin (names)")
        cursor.execute(f"ANALYZE {TSV}")


def drop_names(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TSV}_names_gin")
            cursor.execute(f"ALTER TABLE {TSV} DROP COLUMN IF EXISTS names")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_search_name_tokens")]

    operations = [migrations.RunPython(add_names, drop_names)]
