"""The list pages' previous/next links (includes/pagination.html)."""

from django.template.loader import render_to_string
from django.utils import translation

from samverka.core.pagination import Page


def _links(number: int, count: int, query: str = "") -> str:
    page = Page(items=[], number=number, size=25, count=count)
    return render_to_string("includes/pagination.html", {"page": page, "query_without_page": query})


def test_one_page_has_no_links():
    assert _links(1, 25).strip() == "" and _links(1, 0).strip() == ""


def test_first_middle_and_last_page_link_where_there_is_somewhere_to_go():
    first, middle, last = _links(1, 80), _links(2, 80), _links(4, 80)
    assert 'rel="next"' in first and 'rel="prev"' not in first and "Page 1 of 4" in first
    assert '<a href="?page=1" rel="prev">' in middle and '<a href="?page=3" rel="next">' in middle
    assert 'rel="next"' not in last and "Page 4 of 4" in last


def test_the_links_keep_the_filters_escaped_and_the_words_are_translated():
    with translation.override("nb"):
        html = _links(2, 80, "q=a&b=<c>&")
    assert '<a href="?q=a&amp;b=&lt;c&gt;&amp;page=3" rel="next">' in html
    assert 'aria-label="Sider"' in html and "Side 2 av 4" in html
