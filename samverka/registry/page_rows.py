"""What a list page (staff, public, API) shows of each organisation, read for the page's rows only: the fields of
PAGE_FIELDS, the municipality and the categories, these two the shared objects of the reference cache (read-only).
"""

from collections.abc import Mapping
from typing import Any

from samverka.areas.selectors import areas_by_id
from samverka.core import refcache
from samverka.core.rows import fetch_by_ids_with_links, fetch_links

from .models import Organisation
from .reference import categories_cached

PAGE_FIELDS = (
    *("name", "name_nb", "name_sv", "name_fi", "name_en", "country", "org_number", "legal_form", "status"),
    *("home_area", "updated_at"),
)


def page_items(ids: list) -> list[Organisation]:
    """The organisations of `ids` in that order, with `home_area` and `listed_categories` (PAGE_FIELDS only),
    their category links read in the same statement as the rows."""
    if not ids:
        return []
    links = Organisation.categories.through
    fetched = fetch_by_ids_with_links(Organisation, PAGE_FIELDS, ids, links, "organisation", "category")
    category_ids = {o.pk: linked for o, linked in fetched}
    by_pk = {o.pk: o for o, _linked in fetched}
    organisations = [by_pk[pk] for pk in ids if pk in by_pk]
    areas = areas_by_id()
    if any(o.home_area_id and o.home_area_id not in areas for o in organisations):
        refcache.clear()  # an area created since the cache was filled (ids from the database, not from input)
        areas = areas_by_id()
    home_area = Organisation.home_area.field
    for org in organisations:
        home_area.set_cached_value(org, areas.get(org.home_area_id) if org.home_area_id else None)
    return _set_categories(organisations, category_ids)


def with_categories(organisations: list[Organisation]) -> list[Organisation]:
    """Set `listed_categories` (sorted by code) on each organisation of a page, from one query of the link table.

    A plain list of the cached categories, not a prefetch of `categories`: a prefetch builds a related manager,
    a queryset and model objects for every row, which cost a page more than the query itself.
    """
    links = Organisation.categories.through
    pairs = fetch_links(links, "organisation", "category", [o.pk for o in organisations]) if organisations else []
    category_ids: dict[Any, list] = {}
    for organisation_id, category_id in pairs:
        category_ids.setdefault(organisation_id, []).append(category_id)
    return _set_categories(organisations, category_ids)


def _set_categories(organisations: list[Organisation], category_ids: Mapping[Any, list]) -> list[Organisation]:
    """Set `listed_categories`: each organisation's categories (by id in `category_ids`) sorted by code."""
    linked = any(category_ids.values())
    by_id = {c.pk: c for c in categories_cached()} if linked else {}
    if linked and any(c not in by_id for ids in category_ids.values() for c in ids):
        refcache.clear()  # a category created since the cache was filled
        by_id = {c.pk: c for c in categories_cached()}
    for organisation in organisations:
        categories = [by_id[c] for c in category_ids.get(organisation.pk, ())]
        organisation.listed_categories = sorted(categories, key=lambda c: c.code)
    return organisations
