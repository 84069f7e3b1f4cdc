"""Stemmed search in four languages and the one-typo fallback: the same hits on SQLite and PostgreSQL."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverka.catalogue.finder import FinderFilters, find_services, search_ids
from samverka.catalogue.models import SearchWord
from samverka.catalogue.search import index
from samverka.catalogue.search import query as search_query
from samverka.catalogue.search.index import rebuild
from samverka.catalogue.search.text import highlight, within_one_edit

from .factories import make_service, platform_admin

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


def test_rebuild_in_small_chunks_with_a_small_memo_gives_the_same_hits_and_words(corpus, monkeypatch):
    before = {q: search_ids(q) for q in ("frivillige", "föreningarna", "vertaistukea", "debts", "besøkstjenste")}
    words = set(SearchWord.objects.values_list("word", flat=True))
    # One service per chunk and a memo of two words: the chunk boundaries and forgetting must lose nothing.
    monkeypatch.setattr(index, "REBUILD_CHUNK", 1)
    monkeypatch.setattr(index, "MEMO_WORDS", 2)
    assert index.rebuild() == 4
    assert {q: search_ids(q) for q in before} == before
    assert set(SearchWord.objects.values_list("word", flat=True)) == words


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


@pytest.mark.postgres
def test_postgres_names_column_holds_the_name_lexemes_and_the_migration_fills_it_alike(corpus):
    from django.db import connection

    from samverka.catalogue.search.index import pg_name_tokens

    def names(service):
        with connection.cursor() as cursor:
            cursor.execute("SELECT names FROM catalogue_service_tsv WHERE service_id = %s", [str(service.pk)])
            return sorted(cursor.fetchone()[0])

    written = names(corpus["nb"])
    # The name's words, not the summary's ("eldre"), in PostgreSQL's own stems.
    assert "qnbfrivil" in written and "qnbeldr" not in written and not any(t.startswith("qnbeldre") for t in written)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalogue_service_tsv SET names = '{}'")
        cursor.execute(f"UPDATE catalogue_service_tsv t SET names = {pg_name_tokens('t')}")  # noqa: S608 (as migration 0008)
    assert names(corpus["nb"]) == written
    # Every word of the name in one language: both words of the Norwegian name, not one of it and one other.
    assert search_ids("frivillige besøkstjenester") == [corpus["nb"].pk]
    assert corpus["nb"].pk not in search_ids("frivillig stöd")


@pytest.mark.parametrize(
    ("params", "hit"),
    [
        ({"category": "peer-support"}, True),
        ({"category": "grief"}, False),
        ({"language": "ar"}, True),
        ({"language": "so"}, False),
        ({"age": "15"}, True),
        ({"age": "12"}, False),
        ({"age": "40"}, False),
        ({"free": "1"}, True),
        ({"vouchers": "1"}, False),
        ({"access": "drop_in"}, True),
        ({"access": "referral"}, False),
        ({"weekday": "tu"}, True),
        ({"weekday": "fr"}, False),
        ({"area": "county 32"}, True),
        ({"area": "municipality 0301"}, False),
        ({"organisation": "own"}, True),
        ({"organisation": "other"}, False),
        ({"target_group": "youth"}, True),
        ({"target_group": "adults"}, False),
    ],
)
@pytest.mark.parametrize(
    ("narrow_below", "dense_share"),
    [(0, 2.0), (10**9, -1.0)],
    ids=["words-and-filters-together", "filtered-rows-first"],
)
def test_filters_narrow_a_search_inside_the_index(params, hit, narrow_below, dense_share, monkeypatch):
    from samverka.registry.tests.factories import OrganisationFactory, area

    # Both PostgreSQL plans (search_query._facets_are_narrow) give the same hits; so do both ways of applying the
    # filters on each database (every filter intersected in the index, or every filter tested on the rows the words
    # find: _sqlite_row_checks, _pg_row_checks).
    monkeypatch.setattr(search_query, "NARROW_FACETS", narrow_below)
    monkeypatch.setattr(search_query, "_narrow", {})
    monkeypatch.setattr(search_query, "DENSE_SHARE", dense_share)

    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag F")
    service = make_service(
        org,
        name_nb="Ungdomstreff",
        categories=["peer-support"],
        target_groups=["youth"],
        languages=["ar", "nb"],
        min_age=13,
        max_age=19,
        areas=[str(area("NO", "3201").pk)],
        schedules=[
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": "2025-01-07", "opens_at": "18:00", "closes_at": "20:00"}
        ],
    )
    other_org = OrganisationFactory(home_area=area("NO", "0301"), name="Lag G")
    values = {
        "county 32": str(area("NO", "32", kind="county").pk),
        "municipality 0301": str(area("NO", "0301").pk),
        "own": str(org.pk),
        "other": str(other_org.pk),
    }
    params = {k: values.get(v, v) for k, v in params.items()}
    for query in ("ungdomstreffene", ""):
        found = find_services(FinderFilters.from_mapping({**params, "q": query}))
        assert (service.pk in {s.pk for s in found.page.items}) is hit, query


def test_an_area_and_a_category_together_find_what_the_database_filter_finds_at_every_level_of_the_area_tree():
    from samverka.catalogue import finder
    from samverka.catalogue.services import location_create
    from samverka.registry.tests.factories import OrganisationFactory, area

    # Area and category are paired in one index token below the top of the area tree: the services found must
    # be those the plain database filter finds, for services served at each level and for places.
    norway = area("NO", "NO", kind="country")
    baerum, oslo, akershus = area("NO", "3201"), area("NO", "0301"), area("NO", "32", kind="county")
    org = OrganisationFactory(home_area=baerum, name="Lag P")
    place = location_create(
        actor=platform_admin(), organisation=org, data={"name": "Huset", "municipality": str(baerum.pk)}
    )
    made = [
        make_service(org, name_nb="Treff a", categories=["loneliness"], areas=[str(baerum.pk)]),
        make_service(org, name_nb="Treff b", categories=["loneliness", "grief"], areas=[str(akershus.pk)]),
        make_service(org, name_nb="Treff c", categories=["grief"], areas=[str(baerum.pk)]),
        make_service(org, name_nb="Treff d", categories=["loneliness"], areas=[str(oslo.pk)]),
        make_service(org, name_nb="Treff e", categories=["loneliness"], locations=[str(place.pk)]),
        make_service(org, name_nb="Treff f", categories=["loneliness"], areas=[str(norway.pk)]),
    ]
    areas = (baerum, oslo, akershus, norway)
    checked = 0
    for where in areas:
        for category in ("loneliness", "grief", "peer-support"):
            filters = FinderFilters.from_mapping({"area": str(where.pk), "category": category})
            expected = set(finder.filtered(filters).filter(pk__in=[s.pk for s in made]).values_list("pk", flat=True))
            for query in ("treff", ""):
                found = find_services(
                    FinderFilters.from_mapping({"area": str(where.pk), "category": category, "q": query})
                )
                assert {s.pk for s in found.page.items} == expected, (where.code, category, query)
            checked += bool(expected)
    assert checked >= 5  # the cases are not all empty
    akershus_loneliness = FinderFilters.from_mapping({"area": str(akershus.pk), "category": "loneliness"})
    assert not finder.facets_for(akershus_loneliness).all_of  # the pair, not the category's own token


def test_a_service_with_every_word_in_its_name_ranks_before_text_matches():
    body = make_service(name_nb="Kaffe", summary_nb="Frivillig kaffe for alle, frivillig hver uke.")
    name = make_service(name_nb="Frivillig kaffe", summary_nb="Kom innom.")
    assert search_ids("frivillige") == [name.pk, body.pk]


def test_among_text_matches_more_occurrences_and_on_sqlite_shorter_texts_rank_higher():
    from django.db import connection

    once = make_service(name_nb="Kaffe", summary_nb="Frivillig hjelp og mye annet hver eneste uke.")
    twice = make_service(name_nb="Te", summary_nb="Frivillig hjelp, frivillig arbeid hver uke.")
    assert search_ids("frivillige") == [twice.pk, once.pk]
    if connection.vendor == "sqlite":  # PostgreSQL's ts_rank leaves the length of a text out
        short = make_service(name_nb="Saft", summary_nb="Fotball frivillig.")
        long = make_service(name_nb="Brus", summary_nb="Fotball frivillig og mye annet hver eneste uke hele året.")
        assert search_ids("fotball") == [short.pk, long.pk]


def test_past_the_candidate_limit_the_count_is_a_lower_bound(monkeypatch):
    from samverka.catalogue import finder

    for i in range(4):
        make_service(name_nb=f"Turgruppe {i}")
    monkeypatch.setattr(finder, "CANDIDATES", 3)
    result = find_services(FinderFilters(q="turgruppe"), page_size=2)
    assert result.capped and result.page.count == 3 and result.page.num_pages == 2
    monkeypatch.setattr(finder, "CANDIDATES", 10)
    result = find_services(FinderFilters(q="turgruppe"), page_size=2)
    assert not result.capped and result.page.count == 4


def test_browsing_without_a_query_past_the_limit_says_more_than(monkeypatch, client):
    from django.urls import reverse

    from samverka.catalogue import finder

    for i in range(3):
        make_service(name_nb=f"Treff {i}", languages=["ar"])
    monkeypatch.setattr(finder, "CANDIDATES", 2)
    for params in ({}, {"language": "ar"}):
        response = client.get(reverse("catalogue:index"), params)
        assert response.context["result"].capped and "More than 2 services" in response.content.decode()


def test_editing_a_service_moves_it_between_filters(corpus):
    from samverka.catalogue.services import service_state, service_update
    from samverka.catalogue.tests.factories import platform_admin

    service = corpus["nb"]
    filters = FinderFilters.from_mapping({"q": "frivillige", "category": "grief"})
    assert find_services(filters).page.items == []
    service_update(actor=platform_admin(), service=service, data={**service_state(service), "categories": ["grief"]})
    assert [s.pk for s in find_services(filters).page.items] == [service.pk]
    assert rebuild() == 4
    assert [s.pk for s in find_services(filters).page.items] == [service.pk]


def test_the_vouchers_filter_keeps_the_services_that_accept_them():
    accepting = make_service(name_nb="Avlastning hjemme", accepts_vouchers=True)
    other = make_service(name_nb="Avlastning i parken")
    for query in ("avlastning", ""):
        found = {s.pk for s in find_services(FinderFilters.from_mapping({"q": query, "vouchers": "1"})).page.items}
        assert accepting.pk in found and other.pk not in found, query


def test_sort_by_recently_updated_puts_the_last_edited_service_first():
    from samverka.catalogue import services

    first = make_service(name_nb="Aaa turgruppe")
    second = make_service(name_nb="Bbb turgruppe")
    services.service_update(actor=platform_admin(), service=first, data={"summary_nb": "Ny tekst."})
    for query in ("turgruppe", ""):
        items = find_services(FinderFilters.from_mapping({"q": query, "sort": "updated"})).page.items
        ids = [s.pk for s in items if s.pk in (first.pk, second.pk)]
        assert ids == [first.pk, second.pk], query


@pytest.mark.postgres
def test_on_postgres_a_search_with_few_filtered_services_reads_them_first_and_counts_once(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(search_query, "_narrow", {})
    kept = make_service(name_nb="Sorggruppe", summary_nb="Samtaler om sorg.", categories=["grief"])
    make_service(name_nb="Sorg og mat", summary_nb="Samtaler om sorg.", categories=["peer-support"])

    def grief(q):
        return [s.pk for s in find_services(FinderFilters(q=q, category="grief")).page.items]

    with CaptureQueriesContext(connection) as first:
        assert grief("sorg") == [kept.pk]
    with CaptureQueriesContext(connection) as again:
        assert grief("sorg") == [kept.pk]
    sql = [q["sql"] for q in first.captured_queries]
    assert any("OFFSET 0" in q for q in sql)  # the filtered rows first
    counts = [q for q in sql if q.startswith("SELECT count(*)")]
    assert len(counts) == 1  # the filter set counted once for both tiers of the search
    assert not [q for q in again.captured_queries if q["sql"].startswith("SELECT count(*)")]  # and remembered


@pytest.mark.parametrize(
    ("blob", "sizes"),
    [
        (bytes([0, 3, 41, 0, 127]), [0, 3, 41, 0, 127]),  # every column under 128 words: a byte each
        (bytes([3, 0x81, 0x05, 7]), [3, 133, 7]),  # 133 words take two bytes: 1 << 7 | 5
        (bytes([0x82, 0x80, 0x01, 2]), [32769, 2]),
        (b"", []),
    ],
)
def test_the_words_per_column_are_read_from_the_index_size_record(blob, sizes):
    assert search_query._sizes(blob) == sizes


@pytest.mark.django_db
def test_sqlite_index_keeps_which_columns_hold_a_word_but_not_where():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [index.FTS_TABLE])
        assert "detail = column" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_filter_every_service_has_is_estimated_dense_and_one_few_have_rare(monkeypatch):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    from samverka.registry.tests.factories import OrganisationFactory

    monkeypatch.setattr(search_query, "DENSITY_SAMPLE", 5)
    monkeypatch.setattr(search_query, "_density", {})
    org = OrganisationFactory(name="Lag H")
    for i in range(12):
        make_service(org, name_nb=f"Tjeneste {i}", fee="free", categories=["peer-support"] if i < 3 else [])
    with connection.cursor() as cursor:
        free = search_query._sqlite_density(cursor, index.token("f", "free"))
        few = search_query._sqlite_density(cursor, index.token("c", "peer-support"))
        none = search_query._sqlite_density(cursor, index.token("f", "cost"))
    assert free == 1.0 and free > search_query.DENSE_SHARE
    assert few == 0.0 and none == 0.0  # fewer entries than the sample: rare


@pytest.mark.postgres
def test_on_postgres_a_filter_most_services_have_is_dense_by_the_statistics_and_one_few_have_rare(monkeypatch):
    from django.db import connection

    from samverka.registry.tests.factories import OrganisationFactory

    monkeypatch.setattr(search_query, "_pg_shares", {})
    org = OrganisationFactory(name="Lag H")
    for i in range(12):
        make_service(org, name_nb=f"Tjeneste {i}", fee="free", categories=["peer-support"] if i < 3 else [])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {index.TSV_TABLE}")
        free = search_query._pg_density(cursor, index.token("f", "free"))
        few = search_query._pg_density(cursor, index.token("c", "peer-support"))
        none = search_query._pg_density(cursor, index.token("f", "cost"))
        indexed, checks, params = search_query._pg_row_checks(
            cursor, search_query.Facets(all_of=(index.token("f", "free"), index.token("c", "peer-support")))
        )
    assert free == 1.0 and free > search_query.DENSE_SHARE
    assert few < search_query.DENSE_SHARE and none == 0.0
    # "Free" is tested on the rows; the category stays in the index's condition.
    assert indexed.all_of == (index.token("c", "peer-support"),)
    assert (checks, params) == (["%s = ANY(facets)"], [index.token("f", "free")])
    assert (
        search_ids("tjeneste")
        and len(find_services(FinderFilters(q="tjeneste", free=True, category="peer-support")).page.items) == 3
    )


def test_every_matching_word_of_a_text_is_marked_also_after_another_text_matched_one_of_them():
    from samverka.catalogue.search.text import Highlighter

    marker = Highlighter([["samtaler"], ["sorg"]])
    assert marker.mark("Sorg")[1]
    marked, hit = marker.mark("Samtale & veiledning <sorg>")
    assert hit and str(marked) == "<mark>Samtale</mark> &amp; veiledning &lt;<mark>sorg</mark>&gt;"
    assert marker.has_hit("Veiledning SORG") and not marker.has_hit("veiledning og trening")
    assert str(marker.mark("trening")[0]) == "trening" and not Highlighter([]).has_hit("sorg")


WORDS_OF_TEXTS = [
    "Sorg",
    "sorgen",
    "samtaler",
    "Samtale",
    "frivillig",
    "Frivillige",
    "trening",
    "föreningarna",
    "vertaistukea",
    "x",
    "9",
    "&",
    "<b>",
    "'",
    "_",
    "-",
    " ",
    ", ",
    "\n",
    "é",
]


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(WORDS_OF_TEXTS), max_size=12).map("".join), max_size=6),
    query=st.lists(st.sampled_from(["sorg", "samtaler", "frivillige", "förening", "vertaistuki", "og"]), max_size=3),
)
def test_a_page_marker_marks_every_text_it_was_given_as_the_word_by_word_highlighter_does(texts, query):
    from samverka.catalogue.search.text import Highlighter, PageMarker

    groups = [[w] for w in query]
    page, single = PageMarker(groups, texts), Highlighter(groups)
    for text in texts:
        assert page.mark(text) == single.mark(text)
        assert page.has_hit(text) == single.has_hit(text)


def test_the_results_say_how_many_what_was_corrected_and_when_nothing_matches_in_the_readers_language(client, corpus):
    body = client.get("/services/", {"q": "besøkstjenste"}).content.decode()  # one letter missing
    assert '<h2 id="results-heading" aria-live="polite">1 service</h2>' in body
    assert '<p class="muted">Also showing results for: besøkstjeneste</p>' in body
    assert '<ul class="card-list">' in body and "Frivillig <mark>besøkstjeneste</mark>" in body
    body = client.get("/services/", {"q": "zzzqqq"}).content.decode()
    assert "No service matches your search. Try other words or fewer filters." in body
    assert '<ul class="card-list">' not in body
    response = client.get("/services/", {"q": "frivillig", "age": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Please correct the search." in response.content.decode()
    body = client.get("/services/", {"q": "frivillige"}, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "1 tjeneste</h2>" in body


def test_the_migrations_that_change_the_index_rebuild_it_when_there_are_services():
    from django.apps import apps

    from samverka.catalogue.search.index import rebuild_for_migration

    service = make_service(name_nb="Sjakkbrett", categories=["loneliness"])
    index._empty()
    assert service.pk not in search_ids("sjakkbrett")
    rebuild_for_migration(apps, None)
    assert search_ids("sjakkbrett") == [service.pk]


@pytest.mark.postgres
def test_on_postgres_the_filter_columns_stay_in_the_row_after_the_migrations_and_after_a_rebuild():
    from django.db import connection

    def storage() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'catalogue_service_tsv'::regclass "
                "AND attname IN ('facets', 'names', 'nb')"
            )
            return dict(cursor.fetchall())

    assert storage() == {"facets": "m", "names": "m", "nb": "x"}  # main, main; the vectors extended
    make_service(name_nb="Sjakk")
    rebuild()
    assert storage() == {"facets": "m", "names": "m", "nb": "x"}


@pytest.mark.postgres
def test_on_postgres_a_search_of_a_large_index_finds_the_same_services_on_every_request():
    """A search reads its first matches in table order and stops. PostgreSQL's synchronized scans would start each
    scan of a large table where the last one stopped: the same search then found other services every time."""
    from django.db import connection

    from samverka.catalogue.search.query import Facets

    service = make_service(name_en="Loneliness café")
    with connection.cursor() as cursor:
        # Synchronized scans apply to tables larger than a quarter of shared_buffers (in 8 kB pages).
        cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'shared_buffers'")
        pages = cursor.fetchone()[0] // 4 * 3 // 2
        if pages > 12_800:  # more than 100 MB of rows to write: too slow for the suite
            pytest.skip("this server's shared_buffers makes the table needed too large")
        # Rows of about 1 kB (8 a page), one in a hundred with the service's name words; the names index is dropped
        # (rolled back with the test) so that the search reads the table in order, as it does for a common word.
        cursor.execute(f"DROP INDEX {index.TSV_TABLE}_names_gin")
        cursor.execute(
            f"INSERT INTO {index.TSV_TABLE} (service_id, nb, sv, fi, en, facets, names) "  # noqa: S608  # nosec B608 (constants only)
            "SELECT gen_random_uuid(), '', '', '', '', "
            "ARRAY[(SELECT string_agg(md5(g::text || '-' || j::text), '') FROM generate_series(1, 28) j)], "
            f"CASE WHEN g %% 100 = 0 THEN (SELECT names FROM {index.TSV_TABLE} WHERE service_id = %s) "
            "ELSE '{}'::text[] END FROM generate_series(1, %s) g",
            [service.pk, pages * 8],
        )
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"

    def found() -> list[str]:
        return [c.service_id for c in search_query.candidates([["loneliness"]], Facets(), 50, names_only=True)]

    first = found()
    assert len(first) == 50
    assert found() == first
    assert found() == first
