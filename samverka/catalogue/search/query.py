"""Full-text matching of published services, the same on SQLite and PostgreSQL.

A query is a list of word groups: every group must match (AND), any word of a group may (OR; the
one-typo fallback adds corrections to a group). A service matches when, in at least one of its content
languages, all groups match that language's text after stemming with that language's stemmer.

`candidates()` asks the index for at most `limit` matching services with their rank, filters included (as
facet tokens, see index.py), and lets the index stop as soon as it has them: the work of a search is bounded
by `limit`, not by how many services match. With `names_only`, only services whose name (in one language)
holds every group match — the finder's first tier of relevance.
`match_sql()` returns a sub-select of (service_id, rank) over every match (for narrowing by other querysets).
"""

import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.functions import Length

from ..models import SearchStem, SearchWord
from . import text
from .index import EVERY, FTS_TABLE, SQLITE_COLUMNS, TSV_TABLE, name_token, sqlite_rowid

NAME_WEIGHT = 10.0
# bm25 weights of the FTS5 columns: service_id, then name and body per language, then facets.
BM25_WEIGHTS = ", ".join(["0"] + [f"{NAME_WEIGHT}, 1.0"] * len(text.LANGUAGES) + ["0"])


@dataclass(frozen=True)
class Facets:
    """Filters as index tokens: every token of `all_of`, one of each group of `any_of`, none of `none_of`."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    none_of: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.all_of or self.any_of or self.none_of)


@dataclass
class Candidate:
    service_id: str
    rank: float = 0.0
    extra: dict = field(default_factory=dict)


def _fts_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_match(
    groups: list[list[str]], names_only: bool = False, present: set[tuple[str, str]] | None = None
) -> str | None:
    """The FTS5 match of every group in one language's columns, in any language. With `present` (the index's
    (language, stem) pairs, see _present_stems) a language lacking every stem of some group is left out: it cannot
    match. A group without stems in a language (stop words only) asks nothing of it."""
    clauses = []
    for lang in text.LANGUAGES:
        parts = []
        for group in groups:
            alternatives = sorted({s for w in group for s in text.stems(lang, [w])})
            if present is not None and alternatives:
                alternatives = [a for a in alternatives if (lang, a) in present]
                if not alternatives:
                    break
            if names_only:
                alternatives = [name_token(lang, a) for a in alternatives]
            if alternatives:
                parts.append("(" + " OR ".join(_fts_term(a) for a in alternatives) + ")")
        else:
            if parts:
                # Names alone: their stems as tokens of the facets column (index.name_token), the same match as the
                # name column's words but read from short doclists.
                columns = "facets" if names_only else f"{lang}_name {lang}_body"
                clauses.append(f"{{{columns}}} : (" + " AND ".join(parts) + ")")
    return " OR ".join(clauses) or None


def _present_stems(cursor, groups: list[list[str]]) -> set[tuple[str, str]]:
    """The (language, stem) pairs of the query's stems that the index holds (models.SearchStem)."""
    wanted = sorted({s for lang in text.LANGUAGES for g in groups for w in g for s in text.stems(lang, [w])})
    if not wanted:
        return set()
    marks = ", ".join(["%s"] * len(wanted))
    cursor.execute(f"SELECT language, stem FROM {SearchStem._meta.db_table} WHERE stem IN ({marks})", wanted)  # noqa: S608  # nosec B608 (model metadata and placeholders)
    return {(lang, stem) for lang, stem in cursor.fetchall()}


def _sqlite_expression(match: str | None, facets: Facets) -> str:
    parts = [f"({match})"] if match else []
    parts += [f"{{facets}} : {_fts_term(t)}" for t in facets.all_of]
    parts += ["{facets} : (" + " OR ".join(_fts_term(t) for t in group) + ")" for group in facets.any_of]
    if not parts:
        parts.append(f"{{facets}} : {_fts_term(EVERY)}")
    expression = " AND ".join(parts)
    if facets.none_of:
        expression = f"({expression}) NOT {{facets}} : (" + " OR ".join(_fts_term(t) for t in facets.none_of) + ")"
    return expression


def _pg_tsquery(lang: str, groups: list[list[str]], names_only: bool = False) -> tuple[str, list[str]] | None:
    stop = text.stop_words(lang)
    cfg = text.SNOWBALL[lang]
    parts, params = [], []
    for group in groups:
        kept = [w for w in group if w not in stop]
        if not kept:
            continue
        if names_only:
            # to_tsquery reads "word:A" as the word restricted to weight A (names); words are letters and digits.
            parts.append("(" + " || ".join(f"to_tsquery('{cfg}', %s)" for _ in kept) + ")")
            params += [f"{w}:A" for w in kept]
        else:
            parts.append("(" + " || ".join(f"plainto_tsquery('{cfg}', %s)" for _ in kept) + ")")
            params += kept
    if not parts:
        return None
    return " && ".join(parts), params


def _pg_text(groups: list[list[str]], names_only: bool) -> tuple[list[str], list, list[str], list] | None:
    conditions, ranks, params_where, params_rank = [], [], [], []
    for lang in text.LANGUAGES:
        built = _pg_tsquery(lang, groups, names_only)
        if built is None:
            continue
        tsquery, params = built
        conditions.append(f"{lang} @@ ({tsquery})")
        ranks.append(f"CASE WHEN {lang} @@ ({tsquery}) THEN ts_rank({lang}, ({tsquery})) ELSE 0 END")
        params_where += params
        params_rank += params * 2
    if not conditions:
        return None
    return conditions, params_where, ranks, params_rank


def _pg_facets(facets: Facets) -> tuple[list[str], list]:
    conditions: list[str] = []
    params: list = []
    if facets.all_of:
        conditions.append("facets @> %s::text[]")
        params.append(list(facets.all_of))
    for group in facets.any_of:
        conditions.append("facets && %s::text[]")
        params.append(list(group))
    if facets.none_of:
        conditions.append("NOT (facets && %s::text[])")
        params.append(list(facets.none_of))
    return conditions, params


def has_words(groups: list[list[str]]) -> bool:
    """True when some group keeps a word that is not a stop word in some language (else nothing can match)."""
    return any(w not in text.stop_words(lang) for g in groups for w in g for lang in text.LANGUAGES)


def candidates(groups: list[list[str]], facets: Facets, limit: int, names_only: bool = False) -> list[Candidate] | None:
    """Up to `limit` matching services (ids as the database stores them) with their rank, in index order.

    Without `groups`, every service with the facets matches (rank 0). None when the query has no usable words."""
    groups = [g for g in groups if g]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            present = _present_stems(cursor, groups) if groups else None
            match = _sqlite_match(groups, names_only, present) if groups else None
            if groups and match is None:
                # No language holds every group's stems: no match, unless the words were stop words only.
                return [] if has_words(groups) else None
            indexed, checks, check_params = _sqlite_row_checks(cursor, facets)
            fts_where = f"{FTS_ROWS} WHERE {FTS_TABLE} MATCH %s{checks} LIMIT %s"
            if not groups:
                sql = f"SELECT {_stored('service_id')} FROM {fts_where}"  # noqa: S608  # nosec B608 (constants only)
                cursor.execute(sql, [_sqlite_expression(match, indexed), *check_params, limit])
                return [Candidate(row[0]) for row in cursor.fetchall()]
            # FTS5's bm25() would first read every match of every term to count them (the whole index for a
            # common word), so the matches are ranked here, from the few texts that hold a query stem (see _texts_sql).
            texts, text_params, plan = _texts_sql(groups, present)
            sql = (
                f"SELECT {_stored('service_id')}, (SELECT sz FROM {FTS_TABLE}_docsize d WHERE d.id = f.rowid){texts} "  # noqa: S608  # nosec B608 (constants and placeholders only)
                f"FROM {fts_where}"
            )
            cursor.execute(sql, [*text_params, _sqlite_expression(match, indexed), *check_params, limit])
            return _scored(cursor.fetchall(), plan)
        where: list[str] = []
        params: list = []
        rank_params: list = []
        rank_sql = "0"
        if groups:
            built = _pg_text(groups, names_only)
            if built is None:
                return None
            conditions, params_where, ranks, rank_params = built
            names = _pg_names_condition(cursor, groups) if names_only else None
            if names is not None:
                # The names column's short entries, not the weights of every row holding the words anywhere.
                where.append(names[0])
                params += names[1]
            else:
                where.append("(" + " OR ".join(conditions) + ")")
                params += params_where
            rank_sql = " + ".join(ranks)
        indexed_facets, row_checks, row_params = _pg_row_checks(cursor, facets)
        facet_conditions, facet_params = _pg_facets(indexed_facets)
        facet_condition = " AND ".join(facet_conditions)
        # The facets too when some are tested on the rows (read from the narrow filters' subquery below).
        columns = f"service_id, {', '.join(text.LANGUAGES)}, names" + (", facets" if row_checks else "")
        if where and facet_condition and _facets_are_narrow(cursor, facet_condition, facet_params):
            # The filters keep few services: read those (the facet index) and test the words on each, instead of
            # letting the planner AND the facet bitmap with the bitmap of every service holding a common stem
            # (hundreds of thousands of rows at national scale). OFFSET 0 keeps the filtered rows a subquery of
            # their own.
            source = f"(SELECT {columns} FROM {TSV_TABLE} WHERE {facet_condition} OFFSET 0) f"  # noqa: S608  # nosec B608 (constants and placeholders only)
            params = [*facet_params, *params]
        else:
            source = TSV_TABLE
            where += facet_conditions
            params += facet_params
        where += row_checks
        params += row_params
        condition = " AND ".join(where) or "TRUE"
        # Rank only the rows kept: the inner query stops at `limit` matches.
        sql = (
            f"SELECT m.service_id::text, {rank_sql} FROM ("  # noqa: S608  # nosec B608 (constants and placeholders only)
            f"SELECT {columns} FROM {source} WHERE {condition} LIMIT %s) m"
        )
        # Filters alone that many services have: reading the table in order finds `limit` of them within a few
        # thousand rows, where the planner would first build the facet index's bitmap of every one of them (tens of
        # thousands of rows at national scale, three times slower).
        in_order = not groups and facet_condition and not _facets_are_narrow(cursor, facet_condition, facet_params)
        with _without_bitmap_scans(cursor) if in_order else nullcontext():
            cursor.execute(sql, [*rank_params, *params, limit])
            rows = cursor.fetchall()
        return [Candidate(sid, float(score)) for sid, score in rows]


# SQLite: the matches' columns are read from the FTS table's own store of them, its %_content table (id = rowid,
# then c0, c1, … in SQLITE_COLUMNS order), joined by rowid: SQLite reads a row there directly, where each column
# asked of the FTS table goes through a lookup statement of its own per row (a third of a plain search's reading).
FTS_ROWS = f"{FTS_TABLE} f JOIN {FTS_TABLE}_content c ON c.id = f.rowid"


def _stored(column: str) -> str:
    """A column of the FTS table as read from its %_content table in FTS_ROWS."""
    return f"c.c{SQLITE_COLUMNS.index(column)}"


@contextmanager
def _without_bitmap_scans(cursor) -> Iterator[None]:
    """PostgreSQL plans the queries inside without bitmap scans."""
    with transaction.atomic():
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        yield
        # Inside a caller's transaction SET LOCAL would last until it ends: these queries only.
        cursor.execute("SET LOCAL enable_bitmapscan = on")


# Plan choices remembered per process (a search's tiers and its next pages ask again): at most this many each.
PLAN_MEMO_SIZE = 2_000


def _remembered[T](memo: dict, key: Hashable, ttl: float, compute: Callable[[], T]) -> T:
    """`compute()`, remembered in `memo` under `key` for `ttl` seconds (a full memo starts afresh)."""
    now = time.monotonic()
    known = memo.get(key)
    if known is not None and now - known[0] < ttl:
        return known[1]
    value = compute()
    if len(memo) >= PLAN_MEMO_SIZE:
        memo.clear()
    memo[key] = (now, value)
    return value


# A filter most services have (say "free of charge") is tested on each row the rest of the search finds rather than
# intersected in the index, where FTS5 would step through its long doclist entry by entry and PostgreSQL's GIN index
# search its long posting tree again for every row.
DENSE_SHARE = 0.5
# How far into the index a token's density is sampled, and how long a sample is trusted (filters change slowly).
DENSITY_SAMPLE = 500
DENSITY_TTL_S = 600.0
_density: dict[str, tuple[float, float]] = {}


def _sqlite_density(cursor, token: str) -> float:
    """The share of indexed services holding a facet token, estimated from where its DENSITY_SAMPLE-th entry lies
    (rowids are spread evenly: they come from the services' random UUIDs) against that of the token every service
    has; a token with fewer entries than the sample counts as rare (0)."""

    def reach(term: str) -> int | None:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1 OFFSET %s",  # noqa: S608  # nosec B608 (constants only)
            ["{facets} : " + _fts_term(term), DENSITY_SAMPLE - 1],
        )
        row = cursor.fetchone()
        return row[0] if row else None

    def share() -> float:
        at = reach(token)
        every = reach(EVERY) if at is not None else None
        return 0.0 if at is None or every is None else min(1.0, max(every, 1) / max(at, 1))

    return _remembered(_density, token, DENSITY_TTL_S, share)


def _split_dense(facets: Facets, density: Callable[[str], float]) -> tuple[Facets, list[str], list[tuple[str, ...]]]:
    """Facets split into those the index intersects and the dense ones (DENSE_SHARE) tested on each row found: (the
    index's facets, dense tokens every row must hold, dense groups of which every row must hold one)."""
    if not (facets.all_of or facets.any_of):
        return facets, [], []
    all_of: list[str] = []
    dense: list[str] = []
    for token in facets.all_of:
        (dense if density(token) > DENSE_SHARE else all_of).append(token)
    any_of: list[tuple[str, ...]] = []
    dense_groups: list[tuple[str, ...]] = []
    for group in facets.any_of:
        (dense_groups if sum(density(t) for t in group) > DENSE_SHARE else any_of).append(group)
    return Facets(tuple(all_of), tuple(any_of), facets.none_of), dense, dense_groups


def _row_conditions(
    dense: list[str], dense_groups: list[tuple[str, ...]], condition: str, value: Callable[[str], str]
) -> tuple[list[str], list[str]]:
    """The row conditions of _split_dense's dense tokens: `condition` (one placeholder) per token, an OR of them per
    group; `value` makes a token its parameter."""
    checks = [condition for _t in dense]
    params = [value(t) for t in dense]
    for group in dense_groups:
        checks.append("(" + " OR ".join([condition] * len(group)) + ")")
        params += [value(t) for t in group]
    return checks, params


def _sqlite_row_checks(cursor, facets: Facets) -> tuple[Facets, str, list[str]]:
    """Facets split by _split_dense: (the index's facets, SQL conditions on the row's facets column, their
    parameters)."""
    indexed, dense, dense_groups = _split_dense(facets, lambda t: _sqlite_density(cursor, t))
    column = f"(' ' || {_stored('facets')} || ' ')"
    checks, params = _row_conditions(dense, dense_groups, f"instr({column}, %s)", lambda t: f" {t} ")
    return indexed, "".join(f" AND {check}" for check in checks), params


# PostgreSQL: the shares of the commonest facet tokens, from the statistics ANALYZE keeps of the facets column (the
# planner's own; autovacuum and every rebuild gather them). A token missing from them counts as rare.
_pg_shares: dict[str, tuple[float, dict[str, float]]] = {}


def _pg_density(cursor, token: str) -> float:
    """The share of indexed services holding a facet token, as ANALYZE last sampled it (0 for a token it did not
    find common)."""

    def shares() -> dict[str, float]:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'facets'",
            [TSV_TABLE],
        )
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return {}
        # The frequencies end with three summary values past the elements': zip stops at the elements.
        return dict(zip(row[0], row[1], strict=False))

    return _remembered(_pg_shares, "facets", DENSITY_TTL_S, shares).get(token, 0.0)


def _pg_row_checks(cursor, facets: Facets) -> tuple[Facets, list[str], list[str]]:
    """Facets split by _split_dense: (the index's facets, conditions on the row's facets that the GIN index does not
    answer, their parameters). The index would intersect a dense token's long list with the other conditions by
    searching it again for every row they find (at 1,000,000 services an area and a category with "free of charge":
    2.5 ms and 239 index pages against 0.2 ms and 10 pages with "free" tested on the rows)."""
    indexed, dense, dense_groups = _split_dense(facets, lambda t: _pg_density(cursor, t))
    checks, params = _row_conditions(dense, dense_groups, "%s = ANY(facets)", str)
    return indexed, checks, params


# PostgreSQL's stems of query words, per (configuration, word): asked once per process (bounded).
_lexemes: dict[tuple[str, str], tuple[str, ...]] = {}
LEXEME_MEMO_SIZE = 20_000


def _pg_lexemes(cursor, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """The lexemes PostgreSQL makes of each (configuration, word), as to_tsvector does when indexing."""
    known = {pair: _lexemes[pair] for pair in pairs if pair in _lexemes}
    missing = sorted(pairs - known.keys())
    if missing:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM unnest(to_tsvector(l.cfg::regconfig, l.word))) "
            "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS l(cfg, word, n) ORDER BY l.n",
            [[cfg for cfg, _w in missing], [w for _cfg, w in missing]],
        )
        found = {pair: tuple(row[0]) for pair, row in zip(missing, cursor.fetchall(), strict=True)}
        # Another thread may clear the memo meanwhile: this search answers from its own copies.
        if len(_lexemes) + len(found) > LEXEME_MEMO_SIZE:
            _lexemes.clear()
        _lexemes.update(found)
        known |= found
    return known


def _pg_names_condition(cursor, groups: list[list[str]]) -> tuple[str, list] | None:
    """Every group in the name, in one language, as conditions on the names column (index.pg_name_tokens): the
    same services as the name-weighted tsqueries of _pg_tsquery. None when no group keeps a word."""
    kept = {lang: [[w for w in g if w not in text.stop_words(lang)] for g in groups] for lang in text.LANGUAGES}
    lexemes = _pg_lexemes(cursor, {(text.SNOWBALL[lang], w) for lang, gs in kept.items() for g in gs for w in g})
    clauses, params = [], []
    for lang, lang_groups in kept.items():
        parts = []
        for group in lang_groups:
            tokens = sorted({f"q{lang}{x}" for w in group for x in lexemes[(text.SNOWBALL[lang], w)]})
            if tokens:  # a group without lexemes is left out, as an empty tsquery is
                parts.append("names && %s::text[]")
                params.append(tokens)
        if parts:
            clauses.append("(" + " AND ".join(parts) + ")")
    if not clauses:
        return None
    return "(" + " OR ".join(clauses) + ")", params


# Filters that keep fewer services than this are read first and the words tested on each (PostgreSQL).
NARROW_FACETS = 20_000
# How long a count of the services behind a set of filters is trusted (they change with publishing, slowly).
NARROW_TTL_S = 300.0
_narrow: dict[tuple, tuple[float, bool]] = {}


def _facets_are_narrow(cursor, condition: str, params: list) -> bool:
    """Whether fewer than NARROW_FACETS indexed services have these filters: counted up to that bound (one facet
    index scan), remembered per filter set for a few minutes so a search's two queries and the next pages count
    once."""
    key = (condition, tuple(tuple(p) if isinstance(p, list) else p for p in params))

    def narrow() -> bool:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TSV_TABLE} WHERE {condition} LIMIT %s) f",  # noqa: S608  # nosec B608 (constants and placeholders only)
            [*params, NARROW_FACETS],
        )
        return cursor.fetchone()[0] < NARROW_FACETS

    return _remembered(_narrow, key, NARROW_TTL_S, narrow)


# BM25's term-frequency saturation and length normalisation (the usual constants).
K1, B = 1.2, 0.75


def _texts_sql(
    groups: list[list[str]], present: set[tuple[str, str]] | None = None
) -> tuple[str, list[str], list[tuple]]:
    """Columns giving, for each FTS column of a language some query stem is wanted in, its stored stems when one of
    the query's stems is in them (else NULL: most texts of a candidate hold none, and are not read into Python);
    and per such column (its place in the FTS table, its stems padded with spaces, weight × (K1 + 1)) for _scored.
    With `present`, only the stems the index holds in that language: the others count nothing in any text of it,
    so the ranks are the same without reading those texts."""
    sql: list[str] = []
    params: list[str] = []
    plan = []
    for i, lang in enumerate(text.LANGUAGES):
        stems = sorted({s for g in groups for w in g for s in text.stems(lang, [w])})
        if present is not None:
            stems = [s for s in stems if (lang, s) in present]
        if not stems:
            continue
        for part, weight in (("name", NAME_WEIGHT), ("body", 1.0)):
            column = _stored(f"{lang}_{part}")
            found = " OR ".join([f"instr({column}, %s)"] * len(stems))
            sql.append(f", CASE WHEN {found} THEN {column} END")
            params += stems
            # place: 1 + the column's index among the text columns (the docsize blob counts service_id first)
            plan.append((1 + 2 * i + (part == "body"), tuple(f" {s} " for s in stems), weight * (K1 + 1)))
    return "".join(sql), params, plan


def _sizes(blob: bytes) -> list[int]:
    """The words of each FTS column of a row: FTS5's docsize record, one varint per column (7 bits a byte, the
    high bit set on every byte but the last; sizes stay far below the 9-byte form)."""
    if max(blob, default=0) < 0x80:
        return list(blob)  # every column under 128 words: a byte each
    sizes, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            sizes.append(value)
            value = 0
    return sizes


def _scored(rows: list[tuple], plan: list[tuple]) -> list[Candidate]:
    """BM25-style rank of FTS rows (service_id, docsize record, then the texts of _texts_sql): per language, names
    weigh NAME_WEIGHT times the text, more occurrences and shorter texts rank higher; lengths are compared with the
    candidates' average (of the texts that are not empty). A text's words are its stems, as FTS5 counted them."""
    sizes = [_sizes(row[1]) for row in rows]
    columns = []
    for at, (place, stems, weight) in enumerate(plan, start=2):
        lengths = [size[place] for size in sizes if size[place]]
        average = max(1.0, sum(lengths) / len(lengths)) if lengths else 1.0
        columns.append((at, place, stems, weight, K1 * B / average))
    fixed = K1 * (1 - B)
    out = []
    for row, size in zip(rows, sizes, strict=True):
        score = 0.0
        for at, place, stems, weight, per_word in columns:
            value = row[at]
            if value is None:
                continue
            padded = f" {value} "
            # Whole words: " stem " in " text " (counted without overlap).
            tf = padded.count(stems[0]) if len(stems) == 1 else sum(padded.count(s) for s in stems)
            if tf:
                score += weight * tf / (tf + fixed + per_word * size[place])
        out.append(Candidate(row[0], score))
    return out


def match_sql(groups: list[list[str]]) -> tuple[str, list] | None:
    """SQL selecting (service_id, rank) of every matching service, or None when the query has no usable words."""
    groups = [g for g in groups if g]
    if not groups:
        return None
    if connection.vendor == "sqlite":
        match = _sqlite_match(groups)
        if match is None:
            return None
        sql = (
            f"SELECT service_id, -bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608  # nosec B608 (constants only)
        )
        return sql, [match]
    built = _pg_text(groups, names_only=False)
    if built is None:
        return None
    conditions, params_where, ranks, params_rank = built
    sql = f"SELECT service_id, ({' + '.join(ranks)}) AS rank FROM {TSV_TABLE} WHERE " + " OR ".join(conditions)  # noqa: S608  # nosec B608 (constants and placeholders only)
    return sql, params_rank + params_where


def typo_candidates(word: str) -> list[str]:
    """Indexed words one edit away from `word` (for words of TYPO_MIN_LENGTH letters or more)."""
    if len(word) < text.TYPO_MIN_LENGTH:
        return []
    n = len(word)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # pg_trgm's GIN index finds words sharing trigrams; the threshold is low enough for one edit in 5+.
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
            cursor.execute(
                "SELECT word FROM catalogue_searchword WHERE word %% %s AND length(word) BETWEEN %s AND %s",
                [word, n - 1, n + 1],
            )
            found = [row[0] for row in cursor.fetchall()]
    else:
        # One edit keeps either the first or the last letter, so those narrow the vocabulary first.
        qs = SearchWord.objects.annotate(length=Length("word")).filter(length__gte=n - 1, length__lte=n + 1)
        found = list(qs.filter(word__startswith=word[0]).values_list("word", flat=True)) + list(
            qs.filter(word__endswith=word[-1]).values_list("word", flat=True)
        )
    return sorted({w for w in found if w != word and text.within_one_edit(word, w)})


__all__ = ["Candidate", "Facets", "candidates", "has_words", "match_sql", "sqlite_rowid", "typo_candidates"]
