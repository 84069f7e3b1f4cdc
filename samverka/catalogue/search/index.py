"""Keeping the search index of published services, on SQLite (FTS5) and on PostgreSQL (tsvector).

Called by the service functions that write services (never by signals) and by `samverka reindex`.
Only published services are indexed; a draft or inactive service is removed from the index.

SQLite: `catalogue_service_fts` (FTS5) holds PyStemmer stems, one name and one body column per language.
PostgreSQL: `catalogue_service_tsv` holds one tsvector per language built with that language's built-in
configuration (names weighted A), with a GIN index each.
"""

import uuid
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Prefetch

from ..models import SearchWord, Service, ServiceStatus, TaxonomyTerm
from . import text

FTS_TABLE = "catalogue_service_fts"
TSV_TABLE = "catalogue_service_tsv"
CHUNK = 1000


def _documents(service: Service) -> dict[str, tuple[str, str]]:
    """Per content language: (name words, body words) as space-separated lower-case words."""
    docs = {}
    org_name = service.organisation.name if service.organisation_id else ""
    for lang in text.LANGUAGES:
        name = getattr(service, f"name_{lang}")
        if not name:
            continue
        body_parts = [
            getattr(service, f"summary_{lang}"),
            getattr(service, f"description_{lang}"),
            getattr(service, f"eligibility_{lang}"),
            org_name,
            *(getattr(t, f"name_{lang}") or t.name for t in service.categories.all()),
            *(getattr(g, f"name_{lang}") or g.name for g in service.target_groups.all()),
        ]
        docs[lang] = (" ".join(text.words(name)), " ".join(text.words(" ".join(p for p in body_parts if p))))
    return docs


def _queryset():
    return Service.objects.select_related("organisation").prefetch_related(
        Prefetch("categories", queryset=TaxonomyTerm.objects.all()), "target_groups"
    )


def _db_id(pk) -> str:
    # Django stores UUIDs on SQLite as 32 hex digits: the FTS table must hold the same text to join on.
    value = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    return value.hex if connection.vendor == "sqlite" else str(value)


def _delete(ids: list) -> None:
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE service_id IN ({marks})", [_db_id(i) for i in ids])  # noqa: S608 (constants and placeholders only)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {TSV_TABLE} WHERE service_id IN ({marks})", [str(i) for i in ids])  # noqa: S608 (constants and placeholders only)


def _insert(rows: list[tuple[Service, dict[str, tuple[str, str]]]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            values = []
            for service, docs in rows:
                row = [_db_id(service.pk)]
                for lang in text.LANGUAGES:
                    name, body = docs.get(lang, ("", ""))
                    row += [" ".join(text.stems(lang, name.split())), " ".join(text.stems(lang, body.split()))]
                values.append(row)
            columns = ", ".join(f"{lang}_name, {lang}_body" for lang in text.LANGUAGES)
            marks = ", ".join(["%s"] * (1 + 2 * len(text.LANGUAGES)))
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (service_id, {columns}) VALUES ({marks})", values)  # noqa: S608 (constants and placeholders only)
        elif connection.vendor == "postgresql":
            vectors = ", ".join(
                f"setweight(to_tsvector('{cfg}', %s), 'A') || to_tsvector('{cfg}', %s)"
                for cfg in text.SNOWBALL.values()
            )
            values = []
            for service, docs in rows:
                row = [str(service.pk)]
                for lang in text.LANGUAGES:
                    row += list(docs.get(lang, ("", "")))
                values.append(row)
            columns = ", ".join(text.LANGUAGES)
            cursor.executemany(f"INSERT INTO {TSV_TABLE} (service_id, {columns}) VALUES (%s, {vectors})", values)  # noqa: S608 (constants and placeholders only)


def _remember_words(rows) -> None:
    seen = set()
    for _service, docs in rows:
        for name, body in docs.values():
            seen.update(name.split())
            seen.update(body.split())
    if seen:
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in seen], ignore_conflicts=True, batch_size=500)


def index_services(ids: Iterable) -> int:
    """Bring the index up to date for these services (call inside the writing transaction). Returns indexed."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    _delete(ids)
    services = _queryset().filter(pk__in=ids, status=ServiceStatus.ACTIVE)
    rows = [(s, _documents(s)) for s in services]
    rows = [(s, d) for s, d in rows if d]
    _insert(rows)
    _remember_words(rows)
    return len(rows)


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every published service again, in chunks. Returns how many were indexed."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 (constants and placeholders only)
        elif connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TSV_TABLE}")
    SearchWord.objects.all().delete()
    ids = Service.objects.public().order_by("pk").values_list("pk", flat=True)
    total = 0
    batch: list = []
    for pk in ids.iterator(chunk_size=CHUNK * 5):
        batch.append(pk)
        if len(batch) >= CHUNK:
            total += _index_batch(batch, progress)
            batch = []
    if batch:
        total += _index_batch(batch, progress)
    return total


def _index_batch(batch: list, progress) -> int:
    rows = [(s, d) for s in _queryset().filter(pk__in=batch) for d in [_documents(s)] if d]
    _insert(rows)
    _remember_words(rows)
    if progress:
        progress(len(batch))
    return len(rows)
