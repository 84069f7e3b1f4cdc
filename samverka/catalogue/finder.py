"""The public finder: published services filtered, searched and sorted — one selector for pages and APIs."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from samverka.areas.models import Area
from samverka.core.errors import ValidationError
from samverka.core.pagination import MAX_PAGE_SIZE, Page, clamp_page
from samverka.registry.models import TargetGroup

from .models import OFFERED_LANGUAGES, AccessMode, Schedule, Service, ServiceAtLocation, ServiceLanguage, TaxonomyTerm
from .schedules import WEEKDAY_CODES
from .search import query as search_query
from .search import text

SORTS = ("relevance", "name", "updated")
MAX_QUERY = 200
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
        if raw["area"] and "area" not in errors and not Area.objects.filter(pk=values["area"]).exists():
            errors["area"] = [_("Choose from the list.")]
        if raw["category"] and not TaxonomyTerm.objects.filter(code=raw["category"]).exists():
            errors["category"] = [_("Unknown category.")]
        if raw["target_group"] and not TargetGroup.objects.filter(code=raw["target_group"]).exists():
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


def _area_ids(area_pk: str) -> tuple[list, list]:
    """(ids of the area and those below it, ids of it and its ancestors)."""
    area = Area.objects.only("path").get(pk=area_pk)
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


def with_list_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("organisation", "area").prefetch_related(
        Prefetch("categories", queryset=TaxonomyTerm.objects.order_by("code")),
        Prefetch("languages", queryset=ServiceLanguage.objects.order_by("code")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__municipality").order_by("location__name"),
        ),
    )


def _ranked_page(qs: QuerySet, match: tuple[str, list], number: int, size: int) -> Page:
    match_sql, match_params = match
    ids_sql, ids_params = qs.order_by().values("pk").query.sql_with_params()
    where = f"FROM ({match_sql}) m WHERE m.service_id IN ({ids_sql})"
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
    ids = [uuid.UUID(str(i)) for i in ids]
    by_id = {s.pk: s for s in with_list_related(Service.objects.filter(pk__in=ids))}
    return Page(items=[by_id[i] for i in ids if i in by_id], number=number, size=size, count=count)


def _page(qs: QuerySet, number: int, size: int) -> Page:
    count = qs.count()
    last = max(1, -(-count // size))
    number = min(number, last)
    offset = (number - 1) * size
    return Page(items=list(with_list_related(qs)[offset : offset + size]), number=number, size=size, count=count)


def _order(qs: QuerySet, sort: str) -> QuerySet:
    return qs.order_by("-updated_at", "id") if sort == "updated" else qs.order_by("sort_name", "id")


def find_services(
    filters: FinderFilters, page: Any = 1, page_size: int = 20, base: QuerySet | None = None
) -> FinderResult:
    """Published services matching the filters; with a query, searched in all four languages (one typo allowed).

    `base` narrows the published services first (the HSDS API's own filters)."""
    size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    number = clamp_page(page)
    qs = filtered(filters, base)
    if not filters.q:
        return FinderResult(page=_page(_order(qs, filters.effective_sort), number, size))
    words = text.query_words(filters.q)
    groups = [[w] for w in words]
    match = search_query.match_sql(groups)
    result = _search_page(qs, match, filters, number, size) if match else None
    corrected: list[str] = []
    if result is None or result.count == 0:
        fixed = [[w, *search_query.typo_candidates(w)] for w in words]
        corrected = [c for g in fixed for c in g[1:]]
        if corrected:
            groups = fixed
            match = search_query.match_sql(groups)
            result = _search_page(qs, match, filters, number, size) if match else None
    if result is None:
        result = Page(items=[], number=1, size=size, count=0)
    return FinderResult(page=result, groups=groups, corrected=corrected)


def _search_page(qs, match, filters: FinderFilters, number: int, size: int) -> Page:
    if filters.effective_sort == "relevance":
        return _ranked_page(qs, match, number, size)
    sql, params = match
    matched = qs.filter(pk__in=RawSQL(f"SELECT m.service_id FROM ({sql}) m", params))  # noqa: S608, S611 (constants and placeholders only)
    return _page(_order(matched, filters.effective_sort), number, size)


def search_ids(q: str) -> list:
    """Ids of every published service matching `q` (tests and the HSDS `search` parameter)."""
    return [s.pk for s in find_services(FinderFilters(q=q), page_size=MAX_PAGE_SIZE).page.items]
