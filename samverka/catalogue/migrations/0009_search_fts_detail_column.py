"""SQLite: the search index keeps which columns hold a token but not where (FTS5 detail=column): no search asks
for a phrase, and the shorter doclists make a search with filters a quarter faster. The rows are copied into the
new table in SQL (no model is read here), then the old table is dropped. PostgreSQL is unchanged."""

from django.db import migrations

COLUMNS = ("service_id", *(f"{lang}_{part}" for lang in ("nb", "sv", "fi", "en") for part in ("name", "body")), "facets")


def _recreate(detail: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        columns = ", ".join(COLUMNS)
        declared = ", ".join(["service_id UNINDEXED", *COLUMNS[1:]])
        for sql in (
            "DROP TABLE IF EXISTS catalogue_service_fts_next",
            f"CREATE VIRTUAL TABLE catalogue_service_fts_next USING fts5({declared}, "
            f"tokenize = 'unicode61 remove_diacritics 0', detail = {detail})",
            f"INSERT INTO catalogue_service_fts_next(rowid, {columns}) SELECT rowid, {columns} FROM catalogue_service_fts",
            "INSERT INTO catalogue_service_fts_next(catalogue_service_fts_next) VALUES ('optimize')",
            "DROP TABLE catalogue_service_fts",
            "ALTER TABLE catalogue_service_fts_next RENAME TO catalogue_service_fts",
        ):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_search_name_tokens_postgresql")]

    operations = [migrations.RunPython(_recreate("column"), _recreate("full"))]
