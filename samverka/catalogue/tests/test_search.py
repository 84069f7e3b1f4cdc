"""Stemmed search in four languages and the one-typo fallback: the same hits on SQLite and PostgreSQL."""

import pytest

from samverka.catalogue.finder import FinderFilters, find_services, search_ids
from samverka.catalogue.search.index import rebuild
from samverka.catalogue.search.text import highlight, within_one_edit

from .factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "nb": make_service(name_nb="Frivillig besøkstjeneste", summary_nb="Besøk til eldre som er ensomme."),
        "sv": make_service(name_sv="Stöd för förening", summary_sv="Råd till en förening om stöd."),
        "fi": make_service(name_fi="Vertaistuki nuorille", summary_fi="Vertaistuki ryhmä joka viikko."),
        "en": make_service(name_en="Debt advice", summary_en="Help with money and debts."),
        "draft": make_service(name_nb="Frivillig utkast", status="draft"),
    }


def test_norwegian_inflected_query_finds_base_form(corpus):
    assert search_ids("frivillige") == [corpus["nb"].pk]


def test_swedish_definite_plural_finds_singular(corpus):
    assert search_ids("föreningarna") == [corpus["sv"].pk]


def test_finnish_partitive_finds_nominative(corpus):
    assert search_ids("vertaistukea") == [corpus["fi"].pk]


def test_english_plural_finds_singular(corpus):
    assert search_ids("debt") == [corpus["en"].pk]


def test_every_word_must_match_in_one_language(corpus):
    assert search_ids("frivillig eldre") == [corpus["nb"].pk]
    assert search_ids("frivillig vertaistuki") == []


def test_one_typo_in_a_longer_word_still_finds_it(corpus):
    result = find_services(FinderFilters(q="besøkstjenste"))
    assert [s.pk for s in result.page.items] == [corpus["nb"].pk]
    assert result.corrected == ["besøkstjeneste"]


def test_two_typos_find_nothing(corpus):
    assert search_ids("bsøkstjenste") == []


def test_drafts_are_not_found(corpus):
    assert corpus["draft"].pk not in search_ids("utkast")


def test_stop_words_alone_find_nothing(corpus):
    assert search_ids("og i til") == []


def test_rebuild_gives_the_same_hits(corpus):
    before = {q: search_ids(q) for q in ("frivillige", "föreningarna", "vertaistukea", "debts")}
    assert rebuild() == 4
    assert {q: search_ids(q) for q in before} == before


def test_highlight_escapes_before_marking():
    html = highlight("<b>Frivillige</b> & venner", [["frivillig"]])
    assert html == "&lt;b&gt;<mark>Frivillige</mark>&lt;/b&gt; &amp; venner"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("frivillig", "frivilig", True), ("frivillig", "frivillgi", False), ("abc", "abd", True), ("abc", "abcde", False)],
)
def test_within_one_edit(a, b, expected):
    assert within_one_edit(a, b) is expected


@pytest.mark.postgres
def test_postgres_index_holds_a_tsvector_per_language(corpus):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nb::text FROM catalogue_service_tsv WHERE service_id = %s", [str(corpus["nb"].pk)])
        assert "'frivil'" in cursor.fetchone()[0]
