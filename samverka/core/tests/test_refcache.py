"""The reference cache keeps small reference tables in memory and forgets them when they change."""

import pytest

from samverka.areas.models import Area
from samverka.areas.selectors import area_cached, areas_cached
from samverka.core import refcache
from samverka.registry.models import Category
from samverka.registry.reference import categories_cached

pytestmark = pytest.mark.django_db


def test_a_cached_table_is_read_once(django_assert_num_queries):
    expected = sorted(c.code for c in Category.objects.all())
    categories_cached()
    with django_assert_num_queries(0):
        assert [c.code for c in categories_cached()] == expected


def test_saving_a_category_is_seen_at_once():
    before = {c.code for c in categories_cached()}
    Category.objects.create(code="new-field", name="New field")
    assert {c.code for c in categories_cached()} == before | {"new-field"}


def test_renaming_an_area_is_seen_at_once():
    oslo = Area.objects.get(country="NO", code="0301")
    assert area_cached(oslo.pk).name == oslo.name
    oslo.name = "Christiania"
    oslo.save()
    assert area_cached(oslo.pk).name == "Christiania"
    assert any(a.name == "Christiania" for a in areas_cached())


def test_an_entry_is_read_again_after_its_time(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(refcache, "TTL_SECONDS", -1.0)
    categories_cached()  # stored already expired
    with django_assert_num_queries(1):
        categories_cached()


def test_a_malformed_or_unknown_area_id_is_none():
    assert area_cached("not-a-uuid") is None
    assert area_cached("00000000-0000-0000-0000-000000000000") is None


def test_cached_per_key_loads_each_key_once_starts_again_when_full_and_is_cleared_with_the_cache():
    loads = []

    def load(key):
        return lambda: loads.append(key) or f"value {key}"

    assert refcache.cached_per_key("test.table", "a", load("a"), most=2) == "value a"
    assert refcache.cached_per_key("test.table", "a", load("a"), most=2) == "value a"
    refcache.cached_per_key("test.table", "b", load("b"), most=2)
    refcache.cached_per_key("test.table", "c", load("c"), most=2)  # full: starts again with c alone
    refcache.cached_per_key("test.table", "a", load("a"), most=2)
    refcache.clear()
    refcache.cached_per_key("test.table", "a", load("a"), most=2)
    assert loads == ["a", "b", "c", "a", "a"]
