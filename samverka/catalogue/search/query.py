"""Full-text matching of published services, the same on SQLite and PostgreSQL.

A query is a list of word groups: every group must match (AND), any word of a group may (OR; the
one-typo fallback adds corrections to a group). A service matches when, in at least one of its content
languages, all groups match that language's text after stemming with that language's stemmer.
`match_sql()` returns a sub-select of (service_id, rank) with higher ranks for better matches.
"""

from django.db import connection, transaction
from django.db.models.functions import Length

from ..models import SearchWord
from . import text
from .index import FTS_TABLE, TSV_TABLE

NAME_WEIGHT = 10.0


def _fts_term(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_match(groups: list[list[str]]) -> str | None:
    clauses = []
    for lang in text.LANGUAGES:
        parts = []
        for group in groups:
            alternatives = sorted({s for w in group for s in text.stems(lang, [w])})
            if alternatives:
                parts.append("(" + " OR ".join(_fts_term(a) for a in alternatives) + ")")
        if parts:
            clauses.append(f"{{{lang}_name {lang}_body}} : (" + " AND ".join(parts) + ")")
    return " OR ".join(clauses) or None


def _pg_tsquery(lang: str, groups: list[list[str]]) -> tuple[str, list[str]] | None:
    stop = text.stop_words(lang)
    cfg = text.SNOWBALL[lang]
    parts, params = [], []
    for group in groups:
        kept = [w for w in group if w not in stop]
        if kept:
            parts.append("(" + " || ".join(f"plainto_tsquery('{cfg}', %s)" for _ in kept) + ")")
            params += kept
    if not parts:
        return None
    return " && ".join(parts), params


def match_sql(groups: list[list[str]]) -> tuple[str, list] | None:
    """SQL selecting (service_id, rank) of matching services, or None when the query has no usable words."""
    groups = [g for g in groups if g]
    if not groups:
        return None
    if connection.vendor == "sqlite":
        match = _sqlite_match(groups)
        if match is None:
            return None
        weights = ", ".join(["0"] + [f"{NAME_WEIGHT}, 1.0"] * len(text.LANGUAGES))
        sql = f"SELECT service_id, -bm25({FTS_TABLE}, {weights}) AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 (constants and placeholders only)
        return sql, [match]
    conditions, ranks, params_where, params_rank = [], [], [], []
    for lang in text.LANGUAGES:
        built = _pg_tsquery(lang, groups)
        if built is None:
            continue
        tsquery, params = built
        conditions.append(f"{lang} @@ ({tsquery})")
        ranks.append(f"CASE WHEN {lang} @@ ({tsquery}) THEN ts_rank({lang}, ({tsquery})) ELSE 0 END")
        params_where += params
        params_rank += params * 2
    if not conditions:
        return None
    sql = f"SELECT service_id, ({' + '.join(ranks)}) AS rank FROM {TSV_TABLE} WHERE " + " OR ".join(conditions)  # noqa: S608 (constants and placeholders only)
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
        qs = SearchWord.objects.annotate(length=Length("word")).filter(length__range=(n - 1, n + 1))
        found = list(qs.filter(word__startswith=word[0]).values_list("word", flat=True)) + list(
            qs.filter(word__endswith=word[-1]).values_list("word", flat=True)
        )
    return sorted({w for w in found if w != word and text.within_one_edit(word, w)})
