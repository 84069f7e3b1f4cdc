"""Reads of areas: public data (official lists), plus who coordinates each area."""

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from samverka.accounts.models import AreaRole, AreaRoleKind
from samverka.core import refcache

from .models import Area, AreaKind


def area_search(*, q: str = "", country: str = "", kind: str = "", parent=None) -> QuerySet:
    qs = Area.objects.select_related("parent")
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_nb__icontains=q)
            | Q(name_sv__icontains=q)
            | Q(name_fi__icontains=q)
            | Q(name_en__icontains=q)
            | Q(other_names__icontains=q)
            | Q(code__iexact=q)
            | Q(code__startswith=q)
        )
    if country:
        qs = qs.filter(country=country.upper())
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("country", "depth", "name")


def area_tree() -> list[dict]:
    """The countries, each with its counties/regions/welfare areas and how many areas lie below each."""
    top = list(
        Area.objects.filter(depth__lte=1)
        .annotate(child_count=Count("children"))
        .order_by("country", "depth", "kind", "name")
    )
    countries = [a for a in top if a.kind == AreaKind.COUNTRY]
    return [{"country": c, "children": [a for a in top if a.parent_id == c.pk]} for c in countries]


def area_get(*, pk) -> Area:
    try:
        area = Area.objects.select_related("parent", "region").filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        area = None
    if area is None:
        raise Http404
    return area


def area_children(area: Area) -> list[Area]:
    return list(area.children.order_by("name"))


def area_region_members(area: Area) -> list[Area]:
    return list(area.region_members.order_by("name")) if area.kind == AreaKind.REGION else []


def area_coordinators(area: Area) -> list:
    """The people coordinating this area (named publicly as the area's contact for organisations)."""
    roles = AreaRole.objects.filter(area=area, role=AreaRoleKind.COORDINATOR, user__is_active=True).select_related(
        "user"
    )
    return sorted({r.user for r in roles}, key=lambda u: (u.full_name or u.email).lower())


# What the cached area list holds of each area (forms, filters, labels, "this area and below").
TREE_FIELDS: tuple[str, ...] = ("id", "name", "name_nb", "name_sv", "name_fi", "name_en", "code", "kind", "depth")
TREE_FIELDS += ("country", "parent_id", "path")


def tree_order(areas: list[Area]) -> list[Area]:
    """`areas` with each parent followed by its children by name; areas whose parent is not in the list come
    first as roots, by country and name."""
    ids = {a.pk for a in areas}
    children: dict = {}
    for a in areas:
        children.setdefault(a.parent_id if a.parent_id in ids else None, []).append(a)
    ordered: list[Area] = []
    stack = sorted(children.get(None, []), key=lambda a: (a.country, a.name), reverse=True)
    while stack:
        area = stack.pop()
        ordered.append(area)
        stack.extend(sorted(children.get(area.pk, []), key=lambda a: a.name, reverse=True))
    return ordered


def areas_cached() -> list[Area]:
    """Every area in tree order, from the process's reference cache (TREE_FIELDS only; do not change them)."""
    return refcache.cached("areas.tree", lambda: tree_order(list(Area.objects.only(*TREE_FIELDS))))


def areas_by_id() -> dict[uuid.UUID, Area]:
    """Every area by its id, from the reference cache."""
    return refcache.cached("areas.by_id", lambda: {a.pk: a for a in areas_cached()})


def areas_by_path() -> dict[str, Area]:
    """Every area by its materialised path, from the reference cache."""
    return refcache.cached("areas.by_path", lambda: {a.path: a for a in areas_cached()})


def coarse_areas_cached() -> list[Area]:
    """Countries and their counties / regions / welfare areas (depth ≤ 1) in tree order, from the reference cache."""
    return refcache.cached("areas.coarse", lambda: [a for a in areas_cached() if a.depth <= 1])


def area_cached(pk) -> Area | None:
    """One area from the reference cache; None for an unknown or malformed id."""
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        return None
    return areas_by_id().get(key)
