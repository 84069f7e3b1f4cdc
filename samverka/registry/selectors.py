"""Reads of the registry, scoped to what the actor may see.

Area filters use EXISTS over the areas-served table (never a join that would repeat an organisation once per
area), and first turn "this area and below" into a short list of area ids so the index on area_id is used.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Exists, Field, OuterRef, Prefetch, Q, QuerySet, Value, Window
from django.db.models.functions import Concat
from django.http import Http404

from samverka.accounts.access import access_for
from samverka.areas.models import Area
from samverka.areas.selectors import area_cached, areas_cached
from samverka.audit.models import AuditEvent
from samverka.audit.services import audit_record
from samverka.core.pagination import Page, clamp_page, clamp_page_size, last_page, paginate
from samverka.core.rows import count_and_slice, param_marks

from . import permissions
from .models import (
    Category,
    LegalForm,
    Organisation,
    OrganisationFacet,
    OrganisationStatus,
    OrganisationYear,
    TargetGroup,
)
from .page_rows import page_items, with_categories
from .reference import categories_cached

AreasServed = Organisation.areas.through
PUBLIC_STATUSES = (OrganisationStatus.ACTIVE, OrganisationStatus.INACTIVE)
SORTS = {
    "name": ("name", "id"),
    "number": ("org_number", "id"),
    "updated": ("updated_at", "id"),
    "municipality": ("home_area__name", "name", "id"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    area: str = ""
    category: str = ""
    target_group: str = ""
    legal_form: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "OrganisationFilters":
        """Filters from a query string or schema; values that are not valid are dropped, never an error."""
        values = {f.name: str(data.get(f.name) or "").strip()[:200] for f in fields(cls)}
        if values["legal_form"] not in LegalForm.values:
            values["legal_form"] = ""
        if values["status"] not in OrganisationStatus.values:
            values["status"] = ""
        if values["sort"].lstrip("-") not in SORTS:
            values["sort"] = DEFAULT_SORT
        try:
            values["area"] = str(uuid.UUID(values["area"])) if values["area"] else ""
        except ValueError:
            values["area"] = ""
        return cls(**values)

    def as_query(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def narrowed(self) -> bool:
        """Filters that leave a set small enough to count in the page query (see organisation_page)."""
        return bool(self.q or self.area or self.category or self.target_group)


def _area_ids_within(paths: list[str]) -> list:
    return list(Area.objects.filter(within_paths(paths)).values_list("id", flat=True))


def _serving_ids(area_ids: list) -> QuerySet:
    """Ids of organisations serving one of `area_ids` or registered in one of them.

    A UNION of two index searches — (area_id, organisation_id) on the areas-served table and
    (home_area_id, id) on organisations — so the set is built from the few rows that match, never by testing
    every organisation. UNION also removes the duplicates of an organisation serving several of the areas.
    """
    served = AreasServed.objects.filter(area_id__in=area_ids).values_list("organisation_id", flat=True)
    home = Organisation.objects.filter(home_area_id__in=area_ids).values_list("pk", flat=True)
    return served.union(home)


def _serving(area_ids: list) -> Q:
    return Q(pk__in=_serving_ids(area_ids))


def _serving_within(paths: list[str]) -> Q:
    """Organisations serving, or registered in, an area at or below one of `paths`.

    A few areas (a county, a municipality): the id set from the indexes. A whole country has too many
    organisations to collect first, so each candidate row is checked instead — its own few areas-served rows
    (index on organisation_id) joined to their areas' paths — which lets the name index and LIMIT serve the page.
    """
    if not paths:
        return Q(pk__in=[])
    if all(p.count("/") > 2 for p in paths):  # "/country/" has two slashes; anything below has more.
        return _serving(_area_ids_within(paths))
    within = Q()
    for p in paths:
        within |= Q(area__path__startswith=p)
    served = AreasServed.objects.filter(within, organisation_id=OuterRef("pk"))
    home = Area.objects.filter(within_paths(paths)).values("pk")
    return Q(Exists(served)) | Q(home_area_id__in=home)


def within_paths(paths: list[str]) -> Q:
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return q


def _linked_ids(through, column: str, code: str) -> QuerySet:
    """Ids of organisations linked to the category or target group `code` (index (column_id, organisation_id))."""
    return through.objects.filter(**{f"{column}__code": code}).values_list("organisation_id", flat=True)


def _search(qs: QuerySet, text: str) -> QuerySet:
    """Substring search over the five name columns and a prefix search over the number.

    Substring matching cannot use an index, so it is evaluated only on the rows the other filters leave
    (they narrow by index first); alone it reads each organisation once, with the name order and LIMIT stopping
    early for the page.
    """
    text = text.strip()
    if not text:
        return qs
    q = Q()
    # SQLite folds case for ASCII only: also try the usual spellings of Æ/Ø/Å/Ä/Ö so "RØDE" finds "Røde".
    variants = {text} if text.isascii() else {text, text.lower(), text.upper(), text.title(), text.capitalize()}
    for variant in variants:
        for field in ("name", "name_nb", "name_sv", "name_fi", "name_en"):
            q |= Q(**{f"{field}__icontains": variant})
    compact = text.replace(" ", "").replace("-", "")
    if len(compact) >= 3 and compact.isdigit():
        # Numbers as people write them: "998 877 665", "802002-8711", "0116297-6" or "01162976".
        q |= Q(org_number__startswith=compact)
        if len(compact) >= 7:
            q |= Q(org_number__startswith=f"{compact[:7]}-{compact[7:]}")
    return qs.filter(q)


def _area_path(area_id: str) -> str | None:
    area = area_cached(area_id) if area_id else None
    return area.path if area is not None else None


def _area_conditions(scope_paths: list[str] | None, filter_path: str | None) -> list[Q]:
    """The area conditions left once what is implied is dropped.

    scope_paths None = no scope (platform admin, public list). A filter area inside the scope makes the scope
    redundant (serving an area below it implies serving an area in the scope); a filter area covering the whole
    scope is itself redundant.
    """
    if scope_paths is not None and filter_path is not None:
        if any(filter_path.startswith(p) for p in scope_paths):
            scope_paths = None
        elif all(p.startswith(filter_path) for p in scope_paths):
            filter_path = None
    conditions = []
    if scope_paths is not None:
        conditions.append(_serving_within(scope_paths))
    if filter_path is not None:
        conditions.append(_serving_within([filter_path]))
    return conditions


def _filtered(qs: QuerySet, filters: OrganisationFilters, scope_paths: list[str] | None) -> QuerySet:
    """Narrow by index-backed id sets (areas, category, target group), then by columns, then sort."""
    filter_path = _area_path(filters.area)
    if filters.area and filter_path is None:
        return qs.none()
    conditions = _area_conditions(scope_paths, filter_path)
    for condition in conditions:
        qs = qs.filter(condition)
    narrowed = bool(conditions or filters.category or filters.target_group)
    if filters.category:
        qs = qs.filter(pk__in=_linked_ids(Organisation.categories.through, "category", filters.category))
    if filters.target_group:
        qs = qs.filter(pk__in=_linked_ids(Organisation.target_groups.through, "targetgroup", filters.target_group))
    for column in ("legal_form", "status"):
        value = getattr(filters, column)
        if value and narrowed:
            # Compared as an expression so the planner keeps driving from the id sets above and never walks
            # the (column, name) index through most organisations (SQLite plans without statistics).
            qs = qs.alias(**{f"{column}_value": Concat(column, Value(""))}).filter(**{f"{column}_value": value})
        elif value:
            qs = qs.filter(**{column: value})
    qs = _search(qs, filters.q)
    descending = filters.sort.startswith("-")
    order = SORTS[filters.sort.lstrip("-")]
    return qs.order_by(*(f"-{f}" if descending else f for f in order))


@dataclass(frozen=True)
class FacetRange:
    """The list as one range of the facet index (area, category, name): the "any category" rows when `category_id`
    is None, no rows at all when `no_rows` (an unknown category code, as on the general path). With `scope_area_ids`
    each row must also have a facet of one of those areas (the actor's scope, when the filter area is not inside
    it). Read as a queryset (`rows`: exports, counts) or, for a list page, as one hand-written statement (`ids_sql`),
    whose building cost less than compiling the queryset on every visit; both say the same (tested)."""

    area_id: Any
    category_id: Any = None
    no_rows: bool = False
    scope_area_ids: tuple = ()
    legal_form: str = ""
    status: str = ""
    statuses: tuple = ()
    descending: bool = False

    def rows(self) -> QuerySet:
        rows = OrganisationFacet.objects.filter(area_id=self.area_id)
        if self.no_rows:
            return rows.none()
        if self.category_id is not None:
            rows = rows.filter(category_id=self.category_id)
        else:
            rows = rows.filter(category__isnull=True)
        if self.scope_area_ids:
            in_scope = OrganisationFacet.objects.filter(
                organisation_id=OuterRef("organisation_id"), area_id__in=self.scope_area_ids, category__isnull=True
            )
            rows = rows.filter(Exists(in_scope))
        if self.legal_form:
            rows = rows.filter(legal_form=self.legal_form)
        if self.status:
            rows = rows.filter(status=self.status)
        if self.statuses:
            rows = rows.filter(status__in=self.statuses)
        order = ("-name", "-organisation_id") if self.descending else ("name", "organisation_id")
        return rows.order_by(*order)

    def ids_sql(self) -> tuple[str, str, list, str] | None:
        """The range's organisation ids as the parts of a SELECT: its column, its "FROM … WHERE …" with their
        parameters, and the ORDER BY clause of the list's order (apart, so that the count reads the range without
        ordering it, in the same statement as the page: core.rows.count_and_slice); None when it has no rows."""
        if self.no_rows:
            return None
        meta = OrganisationFacet._meta
        table = connection.ops.quote_name(meta.db_table)

        def column(name: str) -> str:
            return connection.ops.quote_name(cast(str, cast(Field, meta.get_field(name)).column))

        def value(name: str, raw) -> Any:
            return cast(Field, meta.get_field(name)).get_db_prep_value(raw, connection)

        where, params = [f"{table}.{column('area')} = %s"], [value("area", self.area_id)]
        if self.category_id is not None:
            where.append(f"{table}.{column('category')} = %s")
            params.append(value("category", self.category_id))
        else:
            where.append(f"{table}.{column('category')} IS NULL")
        if self.scope_area_ids:
            where.append(
                f"EXISTS (SELECT 1 FROM {table} scope WHERE scope.{column('organisation')} = "  # noqa: S608  # nosec B608
                f"{table}.{column('organisation')} AND scope.{column('area')} "
                f"IN ({param_marks(len(self.scope_area_ids))}) "
                f"AND scope.{column('category')} IS NULL)"
            )
            params += [value("area", a) for a in self.scope_area_ids]
        for name in ("legal_form", "status"):
            if getattr(self, name):
                where.append(f"{table}.{column(name)} = %s")
                params.append(getattr(self, name))
        if self.statuses:
            where.append(f"{table}.{column('status')} IN ({param_marks(len(self.statuses))})")
            params += list(self.statuses)
        direction = " DESC" if self.descending else ""
        # Only quoted names from the model's metadata: the values travel as parameters.
        source = f"FROM {table} WHERE {' AND '.join(where)}"
        order = f"ORDER BY {table}.{column('name')}{direction}, {table}.{column('organisation')}{direction}"
        return f"{table}.{column('organisation')}", source, params, order


def _facet_range(filters: OrganisationFilters, scope_paths: list[str] | None, statuses=()) -> FacetRange | None:
    """The list as a range of the facet index, or None when the filters need the general path (text search,
    target group, no area or a country, sorts other than by name).

    The scope is implied when the filter area lies inside it; otherwise each row must also have a facet of one
    of the scope's areas (every facet area's ancestors have facets too, so that is "serves within the scope").
    """
    if filters.q or filters.target_group or not filters.area or filters.sort.lstrip("-") != "name":
        return None
    area = area_cached(filters.area)
    if area is None or area.depth < 1:
        return None
    category_id, no_rows = None, False
    if filters.category:
        category = next((c for c in categories_cached() if c.code == filters.category), None)
        # An unknown code matches no row, as on the general path.
        category_id, no_rows = (category.pk, False) if category is not None else (None, True)
    scope_area_ids: tuple = ()
    if scope_paths is not None and not any(area.path.startswith(p) for p in scope_paths):
        scope_areas = [a for a in areas_cached() if a.path in scope_paths]
        if any(a.depth < 1 for a in scope_areas):
            return None
        # No area of the scope at all: a condition no row meets (an empty IN).
        scope_area_ids = tuple(a.pk for a in scope_areas)
        if not scope_area_ids:
            no_rows = True
    return FacetRange(
        area_id=area.pk,
        category_id=category_id,
        no_rows=no_rows,
        scope_area_ids=scope_area_ids,
        legal_form=filters.legal_form,
        status=filters.status,
        statuses=tuple(statuses),
        descending=filters.sort.startswith("-"),
    )


def _with_facets(qs: QuerySet, facet_range: FacetRange) -> QuerySet:
    """Attach the facet form of the list to this queryset object (any further chaining drops it, on purpose:
    a changed queryset is no longer the list the facet range describes)."""
    qs.facet_range = facet_range  # type: ignore[attr-defined]
    return qs


def _faceted_list(facet_range: FacetRange, filters: OrganisationFilters) -> QuerySet:
    """The organisations of the facet rows as a queryset (exports, .count()), sorted like the general path.

    For one area and one category (or none) each organisation has at most one facet row, so this is the same set.
    """
    descending = filters.sort.startswith("-")
    order = [f"-{f}" if descending else f for f in SORTS["name"]]
    ids = facet_range.rows().values("organisation_id")
    return _list_related(Organisation.objects.filter(pk__in=ids).order_by(*order))


def _list_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("home_area").prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("code"))
    )


def _scope_paths(actor) -> list[str] | None:
    """The area paths the actor's roles cover; None for platform admins (everything)."""
    access = access_for(actor)
    return None if access.is_platform_admin else access.area_paths()


def organisation_page(qs: QuerySet, filters: OrganisationFilters, page: Any, page_size: Any) -> Page:
    """One page of a list and its total. Each item comes with `home_area` and `listed_categories` (by code).

    Facet path: the total and the page's ids from the facet index (two index range reads), then the rows.
    Other narrowing filters: the database has to collect and sort every match for the page anyway, so the page's
    ids and the total come from one narrow query (id and sort keys only, COUNT(*) OVER ()), then the page's rows
    by id. Otherwise the usual COUNT, then the page read in index order with LIMIT (collecting every organisation
    would be slower).
    """
    facet_range = getattr(qs, "facet_range", None)
    if facet_range is not None:
        return _facet_page(facet_range, page, page_size)
    if not filters.narrowed:
        found = paginate(qs.prefetch_related(None), page, page_size)
        found.items = with_categories(list(found.items))
        return found
    size, number = clamp_page_size(page_size), clamp_page(page)
    offset = (number - 1) * size
    keys = list(
        qs.prefetch_related(None)
        .annotate(list_total=Window(Count("pk")))
        .values_list("pk", "list_total")[offset : offset + size]
    )
    if not keys:
        # An empty list, or a page past the end: count, then show the last page.
        found = paginate(qs.prefetch_related(None), page, page_size)
        found.items = with_categories(list(found.items))
        return found
    return Page(items=page_items([pk for pk, _total in keys]), number=number, size=size, count=keys[0][1])


def _facet_page(facet_range: FacetRange, page: Any, page_size: Any) -> Page:
    """A page from the facet index: its total (COUNT over one range of the index) and the page's ids (the same
    range in order with LIMIT) from one statement, then the rows; a page past the end shows the last page.

    The range is read twice (a scalar COUNT beside the page) rather than once with COUNT(*) OVER (): the window
    buffers every matching row before the first is returned, which cost more than reading the range twice.
    """
    size, number = clamp_page_size(page_size), clamp_page(page)
    found = facet_range.ids_sql()
    if found is None:
        return Page(items=[], number=1, size=size, count=0)
    select, source, params, order = found
    field = OrganisationFacet._meta.get_field("organisation")

    def read(number: int) -> tuple[int, list]:
        return count_and_slice(select, (source, params), order, field, (number - 1) * size, size)

    count, ids = read(number)
    if number > (last := last_page(count, size)):  # past the end: the last page
        number = last
        count, ids = read(number) if count else (0, [])
    return Page(items=page_items(ids), number=number, size=size, count=count)


def staff_scope(actor) -> QuerySet:
    """Every organisation the actor's area roles cover (platform admins: all); none without an area role."""
    qs = Organisation.objects.all()
    for condition in _area_conditions(_scope_paths(actor), None):
        qs = qs.filter(condition)
    return qs


def organisation_list(*, actor, filters: OrganisationFilters) -> QuerySet:
    """The staff registry list: organisations in the actor's areas, filtered and sorted."""
    scope_paths = _scope_paths(actor)
    facet_range = _facet_range(filters, scope_paths)
    if facet_range is not None:
        return _with_facets(_faceted_list(facet_range, filters), facet_range)
    return _list_related(_filtered(Organisation.objects.all(), filters, scope_paths))


def organisation_list_page(*, actor, filters: OrganisationFilters, page: Any, page_size: Any) -> Page:
    """A page of organisation_list: from the facet index without building the list's queryset when it can."""
    facet_range = _facet_range(filters, _scope_paths(actor))
    if facet_range is not None:
        return _facet_page(facet_range, page, page_size)
    return organisation_page(organisation_list(actor=actor, filters=filters), filters, page, page_size)


def organisation_export_rows(*, actor, filters: OrganisationFilters) -> QuerySet:
    """Exactly the rows of organisation_list, with what the export needs."""
    return organisation_list(actor=actor, filters=filters).prefetch_related("target_groups")


def _public_filters(filters: OrganisationFilters) -> OrganisationFilters:
    return OrganisationFilters(q=filters.q, area=filters.area, category=filters.category, sort=DEFAULT_SORT)


def public_organisation_list(*, filters: OrganisationFilters) -> QuerySet:
    """Active and inactive organisations for everyone; dissolved ones are not listed."""
    public = _public_filters(filters)
    # Compared as an expression: nearly every organisation is public, so the status index would only mislead
    # the planner (SQLite without statistics) into walking most of the table.
    listed = Organisation.objects.alias(status_value=Concat("status", Value(""))).filter(
        status_value__in=PUBLIC_STATUSES
    )
    facet_range = _facet_range(public, None, PUBLIC_STATUSES)
    if facet_range is not None:
        return _with_facets(_faceted_list(facet_range, public), facet_range)
    return _list_related(_filtered(listed, public, None))


def public_organisation_list_page(*, filters: OrganisationFilters, page: Any, page_size: Any) -> Page:
    """A page of public_organisation_list, from the facet index without building its queryset when it can."""
    facet_range = _facet_range(_public_filters(filters), None, PUBLIC_STATUSES)
    if facet_range is not None:
        return _facet_page(facet_range, page, page_size)
    return organisation_page(public_organisation_list(filters=filters), filters, page, page_size)


def _detail_queryset() -> QuerySet:
    return Organisation.objects.select_related("home_area").prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("categories", queryset=Category.objects.order_by("code")),
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("code")),
        Prefetch("years", queryset=OrganisationYear.objects.order_by("-year")),
    )


def _get(pk) -> Organisation | None:
    try:
        return _detail_queryset().filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        return None


def organisation_get_public(*, pk) -> Organisation:
    """An organisation's public page. Its record stays public after it is dissolved (it is register data)."""
    org = _get(pk)
    if org is None:
        raise Http404
    return org


def _denied(actor, org: Organisation, purpose: str) -> Http404:
    audit_record(
        actor=actor,
        action="access.denied",
        obj=org,
        organisation_id=org.pk,
        area_id=org.home_area_id,
        changes={"purpose": purpose},
    )
    return Http404()


def organisation_get_for_staff(*, actor, pk, purpose: str = "view") -> Organisation:
    """The staff side of an organisation; outside the actor's reach → 404 and an "access.denied" event.

    purpose: "view" (staff data), "edit" (change it) or "history" (its audit trail).
    """
    org = _get(pk)
    if org is None:
        raise Http404
    check = {"view": permissions.can_view_staff, "edit": permissions.can_edit, "history": permissions.can_view_history}[
        purpose
    ]
    if not check(actor, org):
        raise _denied(actor, org, purpose)
    return org


def organisation_history(*, actor, organisation: Organisation) -> QuerySet:
    """The audit trail of an organisation and its yearly figures and roles, newest first (coordinators only)."""
    if not permissions.can_view_history(actor, organisation):
        raise _denied(actor, organisation, "history")
    return (
        AuditEvent.objects.filter(
            Q(object_type="registry.organisation", object_id=str(organisation.pk)) | Q(organisation_id=organisation.pk)
        )
        .exclude(action="access.denied")
        .order_by("-created_at")
    )


def area_organisations(area: Area) -> QuerySet:
    """Organisations serving `area` or any area below it (all statuses but dissolved)."""
    return Organisation.objects.filter(_serving_within([area.path])).exclude(status=OrganisationStatus.DISSOLVED)
