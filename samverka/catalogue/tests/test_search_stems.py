"""SQLite: the index's stems per language (SearchStem) let a search read only the texts of languages holding its
stems — with the same hits in the same order, ranks included, as reading every language."""

import pytest
from django.apps import apps
from django.db import connection

from samverka.catalogue.finder import search_ids
from samverka.catalogue.models import SearchStem
from samverka.catalogue.search import index
from samverka.catalogue.search import query as search_query
from samverka.catalogue.search.query import Facets

from .factories import make_service

pytestmark = pytest.mark.django_db

QUERIES = ["frivillige", "kafé", "kafeen", "samtaler sorg", "föreningarna", "vertaistukea", "debts", "och", "zzzqx"]


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the stems per language serve SQLite's search (PostgreSQL's planner reads its own index)")


@pytest.fixture
def corpus():
    return [
        make_service(name_nb="Frivillig kafé", summary_nb="Samtaler om sorg, frivillig hver uke."),
        make_service(name_nb="Sorggruppe", summary_nb="Samtale og sorg.", name_sv="Sorggrupp", summary_sv="Kafé."),
        make_service(name_sv="Kafé för föreningar", summary_sv="Föreningen bjuder på kafé och samtal."),
        make_service(name_fi="Vertaistuki", summary_fi="Kahvila ja vertaistuki.", name_en="Peer café"),
        make_service(name_en="Debt advice", summary_en="Help with debts, frivillige welcome."),
    ]


def _stems() -> set[tuple[str, str]]:
    return set(SearchStem.objects.values_list("language", "stem"))


def _every_language(monkeypatch) -> None:
    monkeypatch.setattr(search_query, "_present_stems", lambda cursor, groups: None)


@pytest.mark.parametrize("names_only", [True, False])
def test_reading_only_the_languages_holding_a_stem_gives_the_same_candidates_and_ranks(corpus, monkeypatch, names_only):
    def ranked(q: str):
        found = search_query.candidates([[w] for w in q.split()], Facets(), 50, names_only=names_only)
        return None if found is None else [(c.service_id, round(c.rank, 9)) for c in found]

    with_stems = {q: ranked(q) for q in QUERIES}
    _every_language(monkeypatch)
    assert with_stems == {q: ranked(q) for q in QUERIES}
    assert any(with_stems[q] for q in QUERIES), "the corpus must give hits for the comparison to mean anything"


def test_a_word_no_language_holds_matches_nothing_but_is_still_a_query(corpus):
    # An empty list (no hits), not None (no usable words): the finder then tries one-typo corrections.
    assert search_query.candidates([["zzzqx"]], Facets(), 50) == []
    assert search_query.candidates([["zzzqx"]], Facets(), 50, names_only=True) == []
    assert search_ids("zzzqx") == []
    assert search_ids("frivilige") == [corpus[0].pk, corpus[4].pk]


def test_indexing_a_service_adds_its_stems_per_language_and_rebuild_keeps_the_same_set(corpus):
    stems = _stems()
    assert {("nb", "frivil"), ("sv", "förening"), ("fi", "vertaistuk"), ("en", "debt")} <= stems
    assert ("en", "förening") not in stems
    make_service(name_fi="Kuorolaulu")
    assert ("fi", "kuorolaulu") in _stems()
    before = _stems()
    assert index.rebuild() == len(corpus) + 1
    assert _stems() == before


def test_the_migration_fills_the_stems_from_the_index_as_rebuild_does(corpus):
    expected = _stems()
    SearchStem.objects.all().delete()
    index.fill_stems_for_migration(apps, connection.schema_editor())
    assert _stems() == expected
    assert search_ids("föreningarna") == [corpus[2].pk]


def test_a_rebuild_run_by_an_older_migration_without_the_stems_table_leaves_it_alone(corpus, monkeypatch):
    stems = _stems()
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])
    index.rebuild_for_migration(apps, None)
    assert _stems() == stems
