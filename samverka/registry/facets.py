"""Maintenance of OrganisationFacet, the denormalised index behind the registry list's area/category filters.

Every write that changes an organisation's areas, categories, name, status or legal form calls
`facets_rebuild(ids)` in its own transaction (services, importers, `samverka generate`); no signals. The rows are
built by one INSERT … SELECT per batch, so a national rebuild stays in the database (no rows through Python).

An area's ancestors come from its materialised path: area P is an ancestor of A (or A itself) when A's path
starts with P's path. Country-level areas get no facets (nearly every organisation of a country would be a row
there; country filters keep the selector's per-row path).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from samverka.areas.models import PATH_SEGMENT_LENGTH, Area

from .models import Organisation, OrganisationFacet

# Organisations per INSERT … SELECT: small enough to keep parameter lists and each transaction short.
ID_CHUNK = 500
RANGE_BATCH = 20_000


def _insert_sql(where: Callable[[str], str]) -> str:
    """INSERT … SELECT of the facets of the organisations matching `where(column)` (a SQL condition on an id)."""
    facet = OrganisationFacet._meta.db_table
    org = Organisation._meta.db_table
    area = Area._meta.db_table
    served = Organisation.areas.through._meta.db_table
    cats = Organisation.categories.through._meta.db_table
    # The ancestor pairs (about 2,000) are materialised once per statement. Path segments have a fixed width,
    # so the ancestor of depth k is the area whose path is the first (k + 1) segments of the area's path: one
    # lookup in the path index per level, where comparing every path with every area cost ~40 ms per chunk.
    width = PATH_SEGMENT_LENGTH
    sql = f"""
        WITH RECURSIVE levels(k) AS (
            SELECT 1 UNION ALL SELECT k + 1 FROM levels WHERE k < (SELECT MAX(depth) FROM {area})
        ),
        anc AS MATERIALIZED (
            SELECT a.id AS area_id, p.id AS ancestor_id
            FROM {area} a JOIN levels ON levels.k <= a.depth
            JOIN {area} p ON p.path = substr(a.path, 1, 1 + {width} * (levels.k + 1))
        )
        INSERT INTO {facet} (organisation_id, area_id, category_id, name, status, legal_form)
        SELECT DISTINCT o.id, anc.ancestor_id, c.category_id, o.name, o.status, o.legal_form
        FROM {org} o
        JOIN (
            SELECT organisation_id AS org_id, area_id FROM {served} WHERE {where("organisation_id")}
            UNION
            SELECT id, home_area_id FROM {org} WHERE home_area_id IS NOT NULL AND {where("id")}
        ) l ON l.org_id = o.id
        JOIN anc ON anc.area_id = l.area_id
        JOIN (
            SELECT organisation_id AS org_id, category_id FROM {cats} WHERE {where("organisation_id")}
            UNION ALL
            SELECT id, NULL FROM {org} WHERE {where("id")}
        ) c ON c.org_id = o.id
        WHERE {where("o.id")}
    """  # noqa: S608 (table names from the models; values are parameters)  # nosec B608
    return sql


def _in_list(marks: str) -> Callable[[str], str]:
    """The condition "column IN (%s, …)" for `_insert_sql`, with `marks` the parameter placeholders."""

    def condition(column: str) -> str:
        return f"{column} IN ({marks})"

    return condition


def _db_ids(ids: Iterable, connection) -> list:
    pk = Organisation._meta.pk
    return [pk.get_db_prep_value(pk.to_python(i), connection) for i in ids]


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def facets_rebuild(organisation_ids: Iterable, *, using=None) -> None:
    """Replace the facets of these organisations (ids that no longer exist just lose their rows)."""
    connection = using or default_connection
    ids = list(dict.fromkeys(organisation_ids))
    if not ids:
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for chunk in _chunks(_db_ids(ids, connection), ID_CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {OrganisationFacet._meta.db_table} WHERE organisation_id IN ({marks})", chunk)  # noqa: S608 (table names from the models; values are parameters)  # nosec B608
            cursor.execute(_insert_sql(_in_list(marks)), chunk * 5)


def _range_bounds(connection, batch: int) -> Iterator[tuple[Any, Any]]:
    """(low, high) id bounds of the batches of a full rebuild, in id order (high None for the last), read one
    at a time from the primary key index so memory stays flat however many organisations there are."""
    org = Organisation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {org} ORDER BY id LIMIT 1")  # noqa: S608 (table name from the model)  # nosec B608
        row = cursor.fetchone()
    low = row[0] if row else None
    while low is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {org} WHERE id > %s ORDER BY id LIMIT 1 OFFSET %s",  # noqa: S608 (table name from the model)  # nosec B608
                [low, batch - 1],
            )
            row = cursor.fetchone()
        high = row[0] if row else None
        yield low, high
        low = high


def _analyze_sources(connection) -> None:
    """PostgreSQL: statistics for the tables a full rebuild reads. Right after a bulk load (`samverka generate`,
    an import) they have none, and the planner, taking each table for a few rows, re-reads the link tables once
    per organisation: a batch then runs for hours instead of seconds. ANALYZE samples, so it is quick.
    SQLite plans these queries by their indexes alone."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Organisation._meta.db_table,
        Organisation.areas.through._meta.db_table,
        Organisation.categories.through._meta.db_table,
        Area._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")  # noqa: S608 (table names from the models)  # nosec B608


def facets_rebuild_all(*, connection=None, batch: int = RANGE_BATCH, progress: Callable[[int], None] | None = None):
    """Rebuild every organisation's facets in id-range batches, each batch in its own transaction.

    Returns the number of organisations covered. `progress(n)` is called after each batch with its size.
    """
    connection = connection or default_connection
    facet = OrganisationFacet._meta.db_table
    _analyze_sources(connection)
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Organisation._meta.db_table}")  # noqa: S608 (table name from the model)  # nosec B608
        total = cursor.fetchone()[0]
    remaining = total
    batches = 0
    for low, high in _range_bounds(connection, batch):
        batches += 1
        if high is None:
            params, where = [low], (lambda column: f"{column} >= %s")
        else:
            params, where = [low, high], (lambda column: f"{column} >= %s AND {column} < %s")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {facet} WHERE {where('organisation_id')}", params)  # noqa: S608 (table names from the models; values are parameters)  # nosec B608
            cursor.execute(_insert_sql(where), params * 5)
        size = min(batch, remaining)
        remaining -= size
        if progress is not None:
            progress(size)
    if not batches:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {facet}")  # noqa: S608 (table name from the model)  # nosec B608
    return total
