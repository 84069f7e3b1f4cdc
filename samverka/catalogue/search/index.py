"""Keeping the search index of published services, on SQLite (FTS5) and on PostgreSQL (tsvector).

Called by the service functions that write services (never by signals) and by `samverka reindex`.
Only published services are indexed; a draft or inactive service is removed from the index.

SQLite: `catalogue_service_fts` (FTS5) holds PyStemmer stems, one name and one body column per language, and a
`facets` column; it keeps which columns hold a token, not where (detail=column: no search asks for a phrase, and
the shorter doclists make a search with filters a quarter faster). Its rowid is derived from the service's UUID
(63 of its bits), so one service's row is found without a scan.
PostgreSQL: `catalogue_service_tsv` holds one tsvector per language built with that language's built-in
configuration (names weighted A), and a `facets` text array, each with a GIN index.

Facets are the finder's filters as tokens (organisation, areas, municipalities of the locations, categories,
target groups, languages offered, cost, vouchers, access mode, weekdays, age limits): the index answers a search
with its filters in one query and stops at the first matches it needs, instead of joining every match.
On SQLite the facets column also holds the stems of the names (see name_token); on PostgreSQL a `names` text
array holds them, in the same form, taken from each vector's name-weighted (A) lexemes (see pg_name_tokens).
Areas also give a token for each area they lie in ("b": an area served, "k": a place's municipality, from the
areas' materialised paths), so "in this county" is one token rather than one per municipality; a change to the
area tree (a data migration) needs `samverka reindex`.
"""

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection

from ..models import (
    Schedule,
    SearchStem,
    SearchWord,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    TaxonomyTerm,
)
from . import text

FTS_TABLE = "catalogue_service_fts"
TSV_TABLE = "catalogue_service_tsv"
CHUNK = 2000
# A full reindex reads, stems and writes this many services at a time (their words are the bulk of its memory).
REBUILD_CHUNK = 1000
# Words remembered per language: their stems (_Stems) and, in a full reindex, those already in SearchWord.
MEMO_WORDS = 20_000
BODY_FIELDS = ("summary", "description", "eligibility")
# Every indexed service carries this token, so a filter made only of exclusions (age) has something to start from.
EVERY = "p1"
# SQLite: each stem of a name is also a token of the facets column, "q" + language + stem (see name_token).
MAX_AGE_TOKEN = 121
AreasServed = Service.areas.through
Categories = Service.categories.through
TargetGroups = Service.target_groups.through

# SQLite's text columns, a name and a body per language, as (language, column).
TEXT_COLUMNS = tuple((lang, f"{lang}_{part}") for lang in text.LANGUAGES for part in ("name", "body"))
SQLITE_COLUMNS = ("service_id", *(column for _lang, column in TEXT_COLUMNS), "facets")
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    + ", ".join(["service_id UNINDEXED", *SQLITE_COLUMNS[1:]])
    + ", tokenize = 'unicode61 remove_diacritics 0', detail = column)"
)
# PostgreSQL: the filter columns stay in the row (STORAGE MAIN): a row near TOAST's 2 kB threshold otherwise has its
# facets moved out of line first, and every row a search tests then costs a TOAST lookup (filters alone, read in
# table order at 1,000,000 services: 12.3 → 5.5 ms). The vectors, read for the few rows ranked, go out first instead.
PG_STORAGE = f"ALTER TABLE {TSV_TABLE} ALTER COLUMN facets SET STORAGE MAIN, ALTER COLUMN names SET STORAGE MAIN"
PG_INDEXES = (
    *(
        f"CREATE INDEX IF NOT EXISTS {TSV_TABLE}_{lang}_gin ON {TSV_TABLE} USING gin ({lang})"
        for lang in text.LANGUAGES
    ),
    f"CREATE INDEX IF NOT EXISTS {TSV_TABLE}_facets_gin ON {TSV_TABLE} USING gin (facets)",
    f"CREATE INDEX IF NOT EXISTS {TSV_TABLE}_names_gin ON {TSV_TABLE} USING gin (names)",
)


def token(prefix: str, value) -> str:
    """A facet token: a one-letter kind and the value in hex (ids, codes), so every token is one word."""
    if isinstance(value, uuid.UUID):
        return prefix + value.hex
    return prefix + str(value).encode().hex()


def name_token(lang: str, stem: str) -> str:
    """SQLite: a stem of a service's name in `lang` as a token of the facets column. "Every word in the name"
    then reads these short doclists, instead of every row holding the word in any column to check its column."""
    return f"q{lang}{stem}"


def area_category_token(area_token: str, category_code: str) -> str:
    """An area token ("a", "b" or "k", see _facets) and a category together, as one facet token ("z" and 16 hex
    digits of a hash: the pair's own token is short whatever its parts).

    A filter on an area and a category then reads one short doclist instead of intersecting a county's and a
    category's, each of which a tenth of all services may hold. An area a service is served in exactly ("a") is
    paired whatever its level (a county search finds services served in the whole country); the areas it and its
    places lie in ("b", "k") are paired below the top of the tree only: a category across a whole country is as long
    as the category alone, so the finder asks for the pairs only below country level."""
    digest = hashlib.blake2b(f"{area_token} {category_code}".encode(), digest_size=8).hexdigest()
    return "z" + digest


def age_token(prefix: str, age: int) -> str:
    return f"{prefix}{min(int(age), MAX_AGE_TOKEN)}"


def sqlite_rowid(pk) -> int:
    """The FTS5 rowid of a service: both halves of its UUID folded into 63 bits."""
    value = pk.int if isinstance(pk, uuid.UUID) else int(str(pk).replace("-", ""), 16)
    return ((value >> 64) ^ value) & 0x7FFF_FFFF_FFFF_FFFF


def db_id(pk) -> str:
    # Django stores UUIDs on SQLite as 32 hex digits: the FTS table holds the same text to join on.
    value = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    return value.hex if connection.vendor == "sqlite" else str(value)


@dataclass
class Document:
    pk: str  # as the database stores it (hex on SQLite, text on PostgreSQL)
    texts: dict[str, tuple[list[str], list[str]]]  # language → (words of the name, words of the body)
    facets: list[str]


def _hex(value: str) -> str:
    return value.replace("-", "")


def _id_sql(column: str) -> str:
    """A UUID column read as text (SQLite already stores 32 hex digits)."""
    return f"{column}::text" if connection.vendor == "postgresql" else column


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _Terms:
    """Names of categories and target groups per language, and the areas' paths, read once (short lists)."""

    def __init__(self) -> None:
        from samverka.areas.models import Area
        from samverka.registry.models import TargetGroup

        fields = ("code", "name", *(f"name_{lang}" for lang in text.LANGUAGES))
        self.categories: dict[str, tuple] = {}
        self.groups: dict[str, tuple] = {}
        with connection.cursor() as cursor:
            for model, into, key in ((TaxonomyTerm, self.categories, _id_sql("id")), (TargetGroup, self.groups, "id")):
                cursor.execute(f"SELECT {key}, {', '.join(fields)} FROM {_table(model)}")  # noqa: S608  # nosec B608 (model metadata)
                into.update({str(row[0]): row[1:] for row in cursor.fetchall()})
            cursor.execute(f"SELECT {_id_sql('id')}, path FROM {_table(Area)}")  # noqa: S608  # nosec B608 (model metadata)
            # area (hex) → the area and those above it (hex), from its materialised path
            self.area_paths: dict[str, list[str]] = {
                _hex(str(pk)): [p for p in path.split("/") if p] for pk, path in cursor.fetchall()
            }

    @staticmethod
    def name(row: tuple, lang: str) -> str:
        return row[2 + text.LANGUAGES.index(lang)] or row[1]


_SERVICE_COLUMNS = (
    "status",
    "fee",
    "accepts_vouchers",
    "access_mode",
    "min_age",
    "max_age",
    *(f"{f}_{lang}" for lang in text.LANGUAGES for f in ("name", *BODY_FIELDS)),
)


def _service_sql(where: str) -> str:
    from samverka.registry.models import Organisation

    columns = ", ".join(f"s.{c}" for c in _SERVICE_COLUMNS)
    return (
        f"SELECT {_id_sql('s.id')}, {_id_sql('s.organisation_id')}, {_id_sql('s.area_id')}, o.name, {columns} "  # noqa: S608  # nosec B608 (model metadata and constants)
        f"FROM {_table(Service)} s LEFT JOIN {_table(Organisation)} o ON o.id = s.organisation_id "
        f"WHERE {where} ORDER BY s.id"
    )


def _related(where: str, params: list, terms: _Terms) -> dict[str, dict]:
    """Every related value of the services `where` selects (on column service_id), one query per relation."""
    from samverka.catalogue.models import Location

    related: dict[str, dict] = {name: defaultdict(list) for name in ("cat", "tg", "area", "mun", "lang", "day")}
    sid = _id_sql("r.service_id")
    # Only table and column names from the models and this module's own conditions go into the SQL text.
    located = f"{_table(ServiceAtLocation)} r JOIN {_table(Location)} l ON l.id = r.location_id"
    sources = {
        "cat": (_id_sql("r.taxonomyterm_id"), f"{_table(Categories)} r", ""),
        "tg": ("r.targetgroup_id", f"{_table(TargetGroups)} r", ""),
        "area": (_id_sql("r.area_id"), f"{_table(AreasServed)} r", ""),
        "mun": (_id_sql("l.municipality_id"), located, " AND l.municipality_id IS NOT NULL"),
        "lang": ("r.code", f"{_table(ServiceLanguage)} r", ""),
        "day": ("r.weekdays", f"{_table(Schedule)} r", ""),
    }
    queries = {
        name: f"SELECT {sid}, {value} FROM {source} WHERE {where}{extra}"  # noqa: S608  # nosec B608
        for name, (value, source, extra) in sources.items()
    }
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, params)
            into = related[name]
            for service_id, value in cursor.fetchall():
                into[service_id].append(value)
    related["cat"] = {k: [terms.categories[str(t)] for t in v] for k, v in related["cat"].items()}
    related["tg"] = {k: [terms.groups[str(g)] for g in v] for k, v in related["tg"].items()}
    related["day"] = {k: [d for days in v for d in days.split(",") if d] for k, v in related["day"].items()}
    related["paths"] = terms.area_paths
    return related


def _facets(row: tuple, related: dict[str, dict]) -> list[str]:
    pk, organisation_id, area_id = row[0], row[1], row[2]
    status, fee, vouchers, access, min_age, max_age = row[4:10]
    tokens = {EVERY, token("f", fee), token("x", access)}
    if organisation_id:
        tokens.add("o" + _hex(organisation_id))
    paths = related["paths"]
    # Area tokens paired with each category (area_category_token): every "a", and "b" and "k" below the top.
    paired: set[str] = set()
    # The owner area (a public body's own service) counts as an area served.
    for a in filter(None, (area_id, *related["area"].get(pk, ()))):
        area_hex = _hex(a)
        served = "a" + area_hex
        path = paths.get(area_hex, ())
        tokens.add(served)
        tokens.update("b" + p for p in path)
        paired.update([served, *("b" + p for p in path[1:])])
    if vouchers:
        tokens.add("v1")
    if min_age is not None:
        tokens.add(age_token("n", min_age))
    if max_age is not None:
        tokens.add(age_token("y", max_age))
    for m in related["mun"].get(pk, ()):
        path = paths.get(_hex(m), ())
        tokens.add("m" + _hex(m))
        tokens.update("k" + p for p in path)
        paired.update("k" + p for p in path[1:])
    codes = [c[0] for c in related["cat"].get(pk, ())]
    tokens.update(token("c", code) for code in codes)
    tokens.update(area_category_token(place, code) for place in paired for code in codes)
    tokens.update(token("t", g[0]) for g in related["tg"].get(pk, ()))
    tokens.update(token("l", code) for code in related["lang"].get(pk, ()))
    tokens.update(token("w", day) for day in related["day"].get(pk, ()))
    return sorted(tokens)


_TEXT_AT = {lang: 10 + i * (1 + len(BODY_FIELDS)) for i, lang in enumerate(text.LANGUAGES)}


def _document(row: tuple, related: dict[str, dict]) -> Document | None:
    pk = row[0]
    texts = {}
    org_name = row[3] or ""
    cats, groups = related["cat"].get(pk, ()), related["tg"].get(pk, ())
    for lang, at in _TEXT_AT.items():
        name = row[at]
        if not name:
            continue
        body_parts = [*row[at + 1 : at + 1 + len(BODY_FIELDS)], org_name]
        body_parts += [_Terms.name(c, lang) for c in cats]
        body_parts += [_Terms.name(g, lang) for g in groups]
        texts[lang] = (text.words(name), text.words(" ".join(p for p in body_parts if p)))
    if not texts:
        return None
    return Document(pk=pk, texts=texts, facets=_facets(row, related))


def documents(ids: list | None = None, chunk: int = CHUNK) -> Iterator[list[Document]]:
    """Documents of published services (these `ids`, or all of them), in chunks of the primary key's order, read
    with plain SQL (no model instances): memory stays constant and a million services take minutes."""
    terms = _Terms()
    if ids is not None:
        keys = [db_id(i) for i in ids]
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            marks = ", ".join(["%s"] * len(part))
            yield _chunk(f"s.id IN ({marks})", part, f"r.service_id IN ({marks})", part, terms)
        return
    last = None
    while True:
        where, params = ("s.id > %s", [last]) if last is not None else ("1 = 1", list[str]())
        with connection.cursor() as cursor:
            cursor.execute(_service_sql(where) + " LIMIT %s", [*params, chunk])
            rows = cursor.fetchall()
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        related = _related("r.service_id >= %s AND r.service_id <= %s", [first, last], terms)
        active = [r for r in rows if r[4] == ServiceStatus.ACTIVE]
        yield [d for d in (_document(r, related) for r in active) if d is not None]
        if len(rows) < chunk:
            return


def _chunk(where: str, params: list, related_where: str, related_params: list, terms: _Terms) -> list[Document]:
    with connection.cursor() as cursor:
        cursor.execute(_service_sql(where), params)
        rows = [r for r in cursor.fetchall() if r[4] == ServiceStatus.ACTIVE]
    related = _related(related_where, related_params, terms)
    return [d for d in (_document(r, related) for r in rows) if d is not None]


class _Stems:
    """Stems of words per language, remembered: a catalogue uses a small vocabulary over and over.

    At most MEMO_WORDS words per language are remembered (then the memo starts afresh), so a large vocabulary does
    not grow the memory of a full reindex with the data."""

    def __init__(self) -> None:
        self.cache: dict[str, dict[str, str]] = {lang: {} for lang in text.LANGUAGES}

    def join(self, lang: str, words: list[str]) -> str:
        cache = self.cache[lang]
        try:
            return " ".join(filter(None, [cache[w] for w in words]))
        except KeyError:
            pass
        if len(cache) > MEMO_WORDS:
            cache.clear()
        stop = text.stop_words(lang)
        missing = {w for w in words if w not in cache}
        kept = [w for w in missing if w not in stop]
        cache.update(dict.fromkeys(missing, ""))
        cache.update(zip(kept, text.stems(lang, kept), strict=True))
        return " ".join(filter(None, [cache[w] for w in words]))


def _sqlite_rows(docs: list[Document], stems: _Stems) -> list[list]:
    rows = []
    for doc in docs:
        row: list = [sqlite_rowid(doc.pk), doc.pk]
        names: list[str] = []
        for lang in text.LANGUAGES:
            name, body = doc.texts.get(lang, ([], []))
            name_stems = stems.join(lang, name)
            row += [name_stems, stems.join(lang, body)]
            names += [name_token(lang, stem) for stem in name_stems.split()]
        row.append(" ".join([*doc.facets, *names]))
        rows.append(row)
    return rows


def _pg_rows(docs: list[Document]) -> list[list]:
    rows = []
    for doc in docs:
        row: list = [doc.pk]
        for lang in text.LANGUAGES:
            name, body = doc.texts.get(lang, ([], []))
            row += [" ".join(name), " ".join(body)]
        row.append(doc.facets)
        rows.append(row)
    return rows


def pg_name_tokens(alias: str) -> str:
    """SQL: the name tokens of a row of the tsvector table (`alias`): name_token(language, lexeme) of each lexeme
    weighted A (a word of the name) in each language's vector. Also used by migration 0008."""
    return " || ".join(
        f"ARRAY(SELECT 'q{lang}' || lexeme FROM unnest({alias}.{lang}) WHERE 'A' = ANY(weights))"  # noqa: S608  # nosec B608 (constants only)
        for lang in text.LANGUAGES
    )


# One row of the tsvector table from the words of a document: each language's vector from its name (weight A) and
# body, the facets, and the names column read off the vectors just built (so it holds PostgreSQL's own stems).
_PG_VECTORS = ", ".join(
    f"setweight(to_tsvector('{cfg}', %s), 'A') || to_tsvector('{cfg}', %s) AS {lang}"
    for lang, cfg in text.SNOWBALL.items()
)
PG_INSERT = (
    f"INSERT INTO {TSV_TABLE} (service_id, {', '.join(text.LANGUAGES)}, facets, names) "  # noqa: S608  # nosec B608 (constants only)
    f"SELECT v.service_id, {', '.join(f'v.{lang}' for lang in text.LANGUAGES)}, v.facets, {pg_name_tokens('v')} "
    f"FROM (SELECT %s::uuid AS service_id, {_PG_VECTORS}, %s::text[] AS facets) v"
)


def _insert(
    docs: list[Document],
    stems: _Stems | None = None,
    seen_stems: set[tuple[str, str]] | None = None,
    vocabulary: bool = True,
) -> None:
    if not docs:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            columns = ", ".join(["rowid", *SQLITE_COLUMNS])
            marks = ", ".join(["%s"] * (1 + len(SQLITE_COLUMNS)))
            sql = f"INSERT INTO {FTS_TABLE} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608 (constants only)
            rows = _sqlite_rows(docs, stems or _Stems())
            cursor.executemany(sql, rows)
            if vocabulary:
                _remember_stems(rows, seen_stems)
        elif connection.vendor == "postgresql":
            cursor.executemany(PG_INSERT, _pg_rows(docs))


# Where each language's texts lie in a row of _sqlite_rows (rowid, then SQLITE_COLUMNS).
_ROW_TEXTS = tuple((lang, 1 + SQLITE_COLUMNS.index(column)) for lang, column in TEXT_COLUMNS)


def _remember_stems(rows: list[list], seen: set[tuple[str, str]] | None = None) -> None:
    """SQLite: add the stems of these index rows to SearchStem, per language (`seen`: see _unseen)."""
    new = _unseen(
        {(lang, stem) for row in rows for lang, at in _ROW_TEXTS for stem in row[at].split()},
        seen,
        MEMO_WORDS * len(text.LANGUAGES),
    )
    if new:
        SearchStem.objects.bulk_create(
            [SearchStem(language=lang, stem=stem) for lang, stem in new], ignore_conflicts=True, batch_size=500
        )


def _delete(ids: list) -> None:
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})"  # noqa: S608  # nosec B608 (constants and placeholders only)
            cursor.execute(sql, [sqlite_rowid(i) for i in ids])
        elif connection.vendor == "postgresql":
            sql = f"DELETE FROM {TSV_TABLE} WHERE service_id IN ({marks})"  # noqa: S608  # nosec B608 (constants and placeholders only)
            cursor.execute(sql, [str(i) for i in ids])


def _unseen[T](new: set[T], seen: set[T] | None, limit: int) -> set[T]:
    """`new` less the values `seen` holds (known to be stored already), added to `seen`; past `limit` values `seen`
    starts afresh so its memory stays bounded (a value written twice is ignored by the database)."""
    if seen is None:
        return new
    new = new - seen
    if len(seen) + len(new) > limit:
        seen.clear()
    seen |= new
    return new


def _remember_words(docs: list[Document], seen: set[str] | None = None) -> None:
    """Add the documents' words to SearchWord (the typo fallback's vocabulary). `seen`: words known to be there
    already, forgotten past MEMO_WORDS so its memory stays bounded (a word written twice is ignored)."""
    new: set[str] = set()
    for doc in docs:
        for name, body in doc.texts.values():
            new.update(name)
            new.update(body)
    new = _unseen(new, seen, MEMO_WORDS)
    if new:
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in new], ignore_conflicts=True, batch_size=500)


def index_services(ids: Iterable) -> int:
    """Bring the index up to date for these services (call inside the writing transaction). Returns indexed."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    _delete(ids)
    total = 0
    for docs in documents(ids):
        _insert(docs)
        _remember_words(docs)
        total += len(docs)
    return total


def _empty(vocabulary: bool = True) -> None:
    """Drop the index and its search structures (a bulk load is faster into an unindexed table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            cursor.execute(SQLITE_CREATE)
        elif connection.vendor == "postgresql":
            for lang in (*text.LANGUAGES, "facets", "names"):
                cursor.execute(f"DROP INDEX IF EXISTS {TSV_TABLE}_{lang}_gin")
            cursor.execute(f"TRUNCATE {TSV_TABLE}")
            # A rebuild run by a migration older than 0008 (which adds the column) writes the names too.
            cursor.execute(f"ALTER TABLE {TSV_TABLE} ADD COLUMN IF NOT EXISTS names text[] NOT NULL DEFAULT '{{}}'")
            cursor.execute(PG_STORAGE)
    SearchWord.objects.all().delete()
    if vocabulary:
        SearchStem.objects.all().delete()


def _finish() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One segment per term: a search reads one doclist instead of merging many.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608  # nosec B608 (constants only)
        elif connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for sql in PG_INDEXES:
                cursor.execute(sql)
            cursor.execute(f"ANALYZE {TSV_TABLE}")


def keep_filters_in_rows(apps, schema_editor) -> None:
    """A migration's RunPython step: PG_STORAGE on PostgreSQL (rows written from then on; a rebuild rewrites all)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_STORAGE)


def fill_stems_for_migration(apps, schema_editor) -> None:
    """A migration's RunPython step: SearchStem filled from the SQLite index as it is (its vocabulary per column)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"CREATE VIRTUAL TABLE temp.catalogue_fts_vocab USING fts5vocab(main, {FTS_TABLE}, col)")
        table = apps.get_model("catalogue", "SearchStem")._meta.db_table
        for lang, column in TEXT_COLUMNS:
            cursor.execute(
                f"INSERT OR IGNORE INTO {table} (language, stem) "  # noqa: S608  # nosec B608 (model metadata and constants)
                "SELECT %s, term FROM temp.catalogue_fts_vocab WHERE col = %s",
                [lang, column],
            )
        cursor.execute("DROP TABLE temp.catalogue_fts_vocab")


def rebuild_for_migration(apps, schema_editor) -> None:
    """A migration's RunPython step for a change to what the index holds: rebuild it when there are services."""
    if apps.get_model("catalogue", "Service").objects.exists():
        # Before migration 0011 there is no SearchStem table; 0011 fills it from the index.
        rebuild(vocabulary=SearchStem._meta.db_table in connection.introspection.table_names())


def rebuild(progress: Callable[[int], None] | None = None, vocabulary: bool = True) -> int:
    """Empty the index and index every published service again, REBUILD_CHUNK at a time in id order (each chunk
    written before the next is read: memory does not grow with the catalogue). Returns how many were indexed."""
    _empty(vocabulary)
    stems = _Stems()
    seen: set[str] = set()
    seen_stems: set[tuple[str, str]] = set()
    total = 0
    for docs in documents(chunk=REBUILD_CHUNK):
        _insert(docs, stems, seen_stems, vocabulary)
        _remember_words(docs, seen)
        total += len(docs)
        if progress:
            progress(len(docs))
    _finish()
    return total
