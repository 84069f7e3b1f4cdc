"""URL patterns grouped by first segment (core/routing.py) match, name and reverse exactly as the flat list."""

import pytest
from django.urls import NoReverseMatch, Resolver404, URLResolver, path, re_path
from django.urls.resolvers import RegexPattern

from samverka.core.routing import grouped_by_prefix


def view(request, **kwargs):  # pragma: no cover - never called, only resolved
    return None


FLAT = [
    path("a/", view, name="a"),
    path("a/<int:n>/", view, name="a_n"),
    path("a/x/", view, {"extra": 1}, name="a_x"),
    path("<slug:s>/", view, name="slug"),
    path("b/", view, name="b"),
    re_path(r"^b/(?P<y>\d{4})/$", view, name="b_year"),
    path("b/<uuid:pk>/edit/", view, name="b_edit"),
    path("a/y/", view, name="a_y"),  # a second run of "a/" after others
    path("c", view, name="c"),
]
PATHS = ["a/", "a/7/", "a/x/", "a/y/", "a/z/", "zz/", "b/", "b/2024/", "b/0c8c0b8e-6a43-4e56-8f76-2a3c3a0d4a1e/edit/"]
PATHS += ["c", "c/", "b/abc/", "", "a"]


def _resolver(patterns) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), patterns)


def _outcome(resolver: URLResolver, url: str):
    try:
        match = resolver.resolve("/" + url)
    except Resolver404:
        return None
    return match.url_name, match.args, match.kwargs


@pytest.mark.parametrize("url", PATHS)
def test_each_path_resolves_to_the_same_name_and_arguments(url):
    assert _outcome(_resolver(grouped_by_prefix(FLAT)), url) == _outcome(_resolver(FLAT), url)


def test_names_reverse_to_the_same_urls_and_runs_become_one_include_each():
    flat, grouped = _resolver(FLAT), _resolver(grouped_by_prefix(FLAT))
    cases = [("a", {}), ("a_n", {"n": 3}), ("a_x", {}), ("slug", {"s": "q"}), ("b_year", {"y": "2024"}), ("a_y", {})]
    for name, kwargs in cases:
        assert grouped.reverse(name, **kwargs) == flat.reverse(name, **kwargs)
    with pytest.raises(NoReverseMatch):
        grouped.reverse("a_n", n="x")
    kinds = [type(p).__name__ for p in grouped_by_prefix(FLAT)]
    # a/ ×3 grouped, the slug, b/ alone (the regex breaks the run), the regex, b/ edit, a/y/ alone, c.
    assert kinds == ["URLResolver", "URLPattern", "URLPattern", "URLPattern", "URLPattern", "URLPattern", "URLPattern"]
