"""The public finder: published services filtered, searched and sorted — one selector for pages and APIs."""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from samverka.areas.models import Area
from samverka.areas.selectors import area_cached
from samverka.core import refcache
from samverka.core.errors import ValidationError
from samverka.core.pagination import MAX_PAGE_SIZE, Page, clamp_page
from samverka.registry.reference import target_groups_cached

from .models import (
    CONTENT_LANGUAGES as LANGS,
)
from .models import (
    OFFERED_LANGUAGES,
    AccessMode,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    TaxonomyTerm,
)
from .schedules import WEEKDAY_CODES
from .search import query as search_query
from .search import text
from .search.index import MAX_AGE_TOKEN, age_token, area_category_token, token
from .search.query import Candidate, Facets

SORTS = ("relevance", "name", "updated")
MAX_QUERY = 200
# The most matches a search ranks and counts; past it the finder says "more than" this many.
CANDIDATES = 200
AreasServed = Service.areas.through
Categories = Service.categories.through
TargetGroups = Service.target_groups.through


@dataclass(frozen=True)
class FinderFilters:
    q: str = ""
    area: str = ""
    category: str = ""
    target_group: str = ""
    language: str = ""
    age: int | None = None
    free: bool = False
    vouchers: bool = False
    access: str = ""
    weekday: str = ""
    organisation: str = ""
    sort: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "FinderFilters":
        """Validated filters from a query string; a bad value is a ValidationError naming the field (400/422)."""
        raw = {f.name: str(data.get(f.name) or "").strip() for f in fields(cls)}
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        if len(raw["q"]) > MAX_QUERY:
            errors["q"] = [_("At most %(n)s characters.") % {"n": MAX_QUERY}]
        values["q"] = raw["q"][:MAX_QUERY]
        for name in ("area", "organisation"):
            try:
                values[name] = str(uuid.UUID(raw[name])) if raw[name] else ""
            except ValueError:
                errors[name] = [_("Choose from the list.")]
        # Checked against the reference cache (core.refcache), not with a query per filter.
        if raw["area"] and "area" not in errors and area_cached(values["area"]) is None:
            errors["area"] = [_("Choose from the list.")]
        if raw["category"] and raw["category"] not in _term_codes():
            errors["category"] = [_("Unknown category.")]
        if raw["target_group"] and raw["target_group"] not in {g.code for g in target_groups_cached()}:
            errors["target_group"] = [_("Unknown target group.")]
        values["category"], values["target_group"] = raw["category"], raw["target_group"]
        if raw["language"] and raw["language"] not in {c for c, _l in OFFERED_LANGUAGES}:
            errors["language"] = [_("Choose a language from the list.")]
        values["language"] = raw["language"]
        if raw["age"]:
            try:
                values["age"] = int(raw["age"])
                if not 0 <= values["age"] <= 120:
                    raise ValueError
            except ValueError:
                errors["age"] = [_("Enter an age between 0 and 120.")]
        values["free"] = raw["free"] in ("1", "true", "on")
        values["vouchers"] = raw["vouchers"] in ("1", "true", "on")
        if raw["access"] and raw["access"] not in AccessMode.values:
            errors["access"] = [_("Choose one of the options.")]
        values["access"] = raw["access"]
        if raw["weekday"] and raw["weekday"] not in WEEKDAY_CODES:
            errors["weekday"] = [_("Choose a weekday.")]
        values["weekday"] = raw["weekday"]
        if raw["sort"] and raw["sort"] not in SORTS:
            errors["sort"] = [_("Choose one of the options.")]
        values["sort"] = raw["sort"]
        if errors:
            raise ValidationError(_("Please correct the search."), errors)
        return cls(**values)

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "name")


@dataclass
class FinderResult:
    page: Page
    groups: list[list[str]] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    # True when more services match than were counted: page.count is then a lower bound ("more than").
    capped: bool = False


def _term_codes() -> frozenset[str]:
    """The codes of the service categories, from the reference cache."""
    return refcache.cached(
        "catalogue.term_codes", lambda: frozenset(TaxonomyTerm.objects.values_list("code", flat=True))
    )


def _area(area_pk: str) -> Area:
    """A filter's area (checked by FinderFilters) from the reference cache; read from the database when it is not
    there yet (created in another process within the cache's lifetime)."""
    return area_cached(area_pk) or Area.objects.only("path").get(pk=area_pk)


def _area_ids(area_pk: str) -> tuple[list, list]:
    """(ids of the area and those below it, ids of it and its ancestors)."""
    area = _area(area_pk)
    within = list(Area.objects.within(area).values_list("id", flat=True))
    parts = [p for p in area.path.split("/") if p]
    prefixes = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    above = list(Area.objects.filter(path__in=prefixes).values_list("id", flat=True))
    return within, above


def filtered(filters: FinderFilters, base: QuerySet | None = None) -> QuerySet:
    qs = Service.objects.public() if base is None else base
    if filters.area:
        within, above = _area_ids(filters.area)
        wide = list({*within, *above})
        qs = qs.filter(
            Exists(AreasServed.objects.filter(service_id=OuterRef("pk"), area_id__in=wide))
            | Exists(ServiceAtLocation.objects.filter(service_id=OuterRef("pk"), location__municipality_id__in=within))
            | Q(area_id__in=wide)
        )
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.category:
        qs = qs.filter(
            Exists(Categories.objects.filter(service_id=OuterRef("pk"), taxonomyterm__code=filters.category))
        )
    if filters.target_group:
        qs = qs.filter(
            Exists(TargetGroups.objects.filter(service_id=OuterRef("pk"), targetgroup__code=filters.target_group))
        )
    if filters.language:
        qs = qs.filter(Exists(ServiceLanguage.objects.filter(service_id=OuterRef("pk"), code=filters.language)))
    if filters.age is not None:
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age)
        )
    if filters.free:
        qs = qs.filter(fee="free")
    if filters.vouchers:
        qs = qs.filter(accepts_vouchers=True)
    if filters.access:
        qs = qs.filter(access_mode=filters.access)
    if filters.weekday:
        qs = qs.filter(
            Exists(Schedule.objects.filter(service_id=OuterRef("pk"), weekdays__contains=f",{filters.weekday},"))
        )
    return qs


# Long texts a result row never shows: left in the database when reading a page of results.
LONG_TEXTS = tuple(
    f"{f}_{code}" for f in ("description", "eligibility", "fees_description", "how_to_access") for code in LANGS
)


def with_list_related(qs: QuerySet) -> QuerySet:
    return (
        qs.defer(*LONG_TEXTS)
        .select_related("organisation", "area")
        .prefetch_related(
            Prefetch("categories", queryset=TaxonomyTerm.objects.order_by("code")),
            Prefetch("languages", queryset=ServiceLanguage.objects.order_by("code")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__municipality").order_by("location__name"),
            ),
        )
    )


def _ranked_page(qs: QuerySet, match: tuple[str, list], number: int, size: int) -> Page:
    """Relevance-ranked page of every match inside `qs` (the HSDS API's own querysets): exact, not bounded."""
    match_sql, match_params = match
    ids_sql, ids_params = qs.order_by().values("pk").query.sql_with_params()
    where = f"FROM ({match_sql}) m WHERE m.service_id IN ({ids_sql})"  # noqa: S608  # nosec B608 (SQL built by this module and the ORM, values as placeholders)
    params = [*match_params, *ids_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        count = cursor.fetchone()[0]
        last = max(1, -(-count // size))
        number = min(number, last)
        cursor.execute(
            f"SELECT m.service_id {where} ORDER BY m.rank DESC, m.service_id LIMIT %s OFFSET %s",
            [*params, size, (number - 1) * size],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return Page(items=_services_in_order([str(i) for i in ids]), number=number, size=size, count=count)


# Reads the rows of a page, as items with `pk` and `status`: given a queryset, its services in its order (the
# slice `window` of them); given primary keys, those services in any order. The default gives Service instances
# (the APIs); the finder page reads only what its cards show (cards.load_cards).
Loader = Callable[[QuerySet | list[uuid.UUID], slice | None], list]


def load_services(source: QuerySet | list[uuid.UUID], window: slice | None = None) -> list[Service]:
    if not isinstance(source, QuerySet):
        return list(with_list_related(Service.objects.filter(pk__in=source).order_by()))
    qs = with_list_related(source)
    return list(qs[window] if window is not None else qs)


def _services_in_order(ids: list[str], load: Loader = load_services) -> list:
    """The published services with these ids (as the index stores them), in that order, with what a row shows."""
    pks = [uuid.UUID(i) for i in ids]
    if not pks:
        return []
    # By primary key alone: with the status in the WHERE too, SQLite may walk the status index instead.
    rows = load(pks, None)
    by_id = {s.pk: s for s in rows if s.status == ServiceStatus.ACTIVE}
    return [by_id[pk] for pk in pks if pk in by_id]


def _indexed(pks: list) -> QuerySet:
    """Services the index found (it holds published services only, kept in the writing transaction)."""
    return Service.objects.filter(pk__in=pks)


def _page(qs: QuerySet, number: int, size: int, count: int | None = None, load: Loader = load_services) -> Page:
    count = qs.count() if count is None else count
    last = max(1, -(-count // size))
    number = min(number, last)
    offset = (number - 1) * size
    return Page(items=load(qs, slice(offset, offset + size)), number=number, size=size, count=count)


def _order(qs: QuerySet, sort: str) -> QuerySet:
    return qs.order_by("-updated_at", "id") if sort == "updated" else qs.order_by("sort_name", "id")


def facets_for(filters: FinderFilters) -> Facets:
    """The filters as index tokens (see search/index.py), so the index applies them while it searches."""
    all_of: list[str] = []
    any_of: list[tuple[str, ...]] = []
    none_of: list[str] = []
    paired = False
    if filters.area:
        # Served in the area or below it ("b"), a place in it ("k"), or served in an area above it ("a").
        area = _area(filters.area)
        above = [p for p in area.path.split("/") if p][:-1]
        places = (token("b", uuid.UUID(filters.area)), token("k", uuid.UUID(filters.area)), *("a" + p for p in above))
        # Below the top of the tree, with a category: the pairs of both (index.area_category_token).
        paired = bool(filters.category and above)
        any_of.append(tuple(area_category_token(p, filters.category) for p in places) if paired else places)
    if filters.organisation:
        all_of.append(token("o", uuid.UUID(filters.organisation)))
    if filters.category and not paired:
        all_of.append(token("c", filters.category))
    if filters.target_group:
        all_of.append(token("t", filters.target_group))
    if filters.language:
        all_of.append(token("l", filters.language))
    if filters.age is not None:
        none_of += [age_token("n", v) for v in range(filters.age + 1, MAX_AGE_TOKEN + 1)]
        none_of += [age_token("y", v) for v in range(filters.age)]
    if filters.free:
        all_of.append(token("f", "free"))
    if filters.vouchers:
        all_of.append("v1")
    if filters.access:
        all_of.append(token("x", filters.access))
    if filters.weekday:
        all_of.append(token("w", filters.weekday))
    return Facets(tuple(all_of), tuple(any_of), tuple(none_of))


def _browse(filters: FinderFilters, facets: Facets, number: int, size: int, load: Loader) -> tuple[Page, bool]:
    """Published services with these filters, sorted by name or date, without a query."""
    ordered = _order(filtered(filters), filters.effective_sort)
    if facets:
        found = search_query.candidates([], facets, CANDIDATES + 1)
        if found is not None and len(found) <= CANDIDATES:
            # Few enough to sort them all: the index found every one.
            pks = [uuid.UUID(c.service_id) for c in found]
            return _page(_order(_indexed(pks), filters.effective_sort), number, size,
                         count=len(pks), load=load), False  # fmt: skip
    else:
        # Without filters the count is only "more than CANDIDATES" once there are that many: no full count.
        shown = ordered.order_by().values("pk")[: CANDIDATES + 1]
        total = Service.objects.filter(pk__in=shown).count()
        if total <= CANDIDATES:
            return _page(ordered, number, size, count=total, load=load), False
    # Many match: walk the sorted index and stop after the page; the count is a lower bound.
    number = min(number, -(-CANDIDATES // size))
    return _page(ordered, number, size, count=CANDIDATES, load=load), True


def _ranked(groups: list[list[str]], facets: Facets) -> tuple[list[Candidate], bool] | None:
    """Up to CANDIDATES matches, best first: services with every word in the name, then the rest, each tier by
    rank. The second value is True when more services match than were ranked."""
    named = search_query.candidates(groups, facets, CANDIDATES + 1, names_only=True)
    if named is None:
        return None

    def best_first(found: list[Candidate]) -> list[Candidate]:
        return sorted(found, key=lambda c: (-c.rank, c.service_id))

    if len(named) > CANDIDATES:
        return best_first(named)[:CANDIDATES], True
    every = search_query.candidates(groups, facets, CANDIDATES + 1) or []
    seen = {c.service_id for c in named}
    merged = best_first(named) + best_first([c for c in every if c.service_id not in seen])
    return merged[:CANDIDATES], len(every) > CANDIDATES


def _search(
    groups: list[list[str]], facets: Facets, sort: str, number: int, size: int, load: Loader
) -> tuple[Page, bool] | None:
    ranked = _ranked(groups, facets)
    if ranked is None:
        return None
    found, capped = ranked
    total = len(found)
    number = min(number, max(1, -(-total // size)))
    offset = (number - 1) * size
    if sort == "relevance":
        return Page(
            _services_in_order([c.service_id for c in found[offset : offset + size]], load), number, size, total
        ), capped
    pks = [uuid.UUID(c.service_id) for c in found]
    return _page(_order(_indexed(pks), sort), number, size, count=total, load=load), capped


def find_services(
    filters: FinderFilters,
    page: Any = 1,
    page_size: int = 20,
    base: QuerySet | None = None,
    load: Loader = load_services,
) -> FinderResult:
    """Published services matching the filters; with a query, searched in all four languages (one typo allowed).

    A search ranks at most CANDIDATES matches (services with every word in their name first); past that the
    result says "more than" instead of counting every match. `base` narrows the published services first (the
    HSDS API's own filters) and is searched and counted exactly. `load` reads the page's rows (Service
    instances unless told otherwise; the finder page reads its cards, see cards.py)."""
    size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    number = clamp_page(page)
    if base is not None:
        return _find_in_base(filters, base, number, size)
    facets = facets_for(filters)
    if not filters.q:
        page_, capped = _browse(filters, facets, number, size, load)
        return FinderResult(page=page_, capped=capped)
    return _with_typo_fallback(
        filters.q, size, lambda groups: _search(groups, facets, filters.effective_sort, number, size, load)
    )


def _with_typo_fallback(
    q: str, size: int, search: Callable[[list[list[str]]], tuple[Page, bool] | None]
) -> FinderResult:
    """Run `search` on the query's words; when nothing matches, once more with one-typo variants of each word."""
    words = text.query_words(q)
    groups = [[w] for w in words]
    result = search(groups)
    corrected: list[str] = []
    if result is None or result[0].count == 0:
        fixed = [[w, *search_query.typo_candidates(w)] for w in words]
        corrected = [c for g in fixed for c in g[1:]]
        if corrected:
            groups = fixed
            result = search(groups)
    if result is None:
        result = Page(items=[], number=1, size=size, count=0), False
    return FinderResult(page=result[0], groups=groups, corrected=corrected, capped=result[1])


def _find_in_base(filters: FinderFilters, base: QuerySet, number: int, size: int) -> FinderResult:
    qs = filtered(filters, base)
    if not filters.q:
        return FinderResult(page=_page(_order(qs, filters.effective_sort), number, size))

    def search(groups: list[list[str]]) -> tuple[Page, bool] | None:
        match = search_query.match_sql(groups)
        return (_base_page(qs, match, filters, number, size), False) if match else None

    return _with_typo_fallback(filters.q, size, search)


def _base_page(qs, match, filters: FinderFilters, number: int, size: int) -> Page:
    if filters.effective_sort == "relevance":
        return _ranked_page(qs, match, number, size)
    sql, params = match
    matched = qs.filter(pk__in=RawSQL(f"SELECT m.service_id FROM ({sql}) m", params))  # noqa: S608, S611  # nosec B608 B611 (SQL built by this module, values as placeholders)
    return _page(_order(matched, filters.effective_sort), number, size)


def search_ids(q: str) -> list:
    """Ids of the published services matching `q`, best first (tests and tools)."""
    return [s.pk for s in find_services(FinderFilters(q=q), page_size=MAX_PAGE_SIZE).page.items]
