"""Reads of areas: public data (official lists), plus who coordinates each area."""

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from samverka.accounts.models import AreaRole, AreaRoleKind

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
