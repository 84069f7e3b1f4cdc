"""Yearly figures of organisations: person-years from volunteer hours, and an area's totals."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from django.conf import settings
from django.db.models import OuterRef, Subquery, Sum

from samverka.areas.models import Area

from .models import Organisation, OrganisationYear
from .selectors import area_organisations


def latest_year(org: Organisation) -> OrganisationYear | None:
    """The most recent yearly figures of an organisation fetched with _detail_queryset (no query)."""
    years = list(org.years.all())
    return years[0] if years else None


@overload
def person_years(hours: int, country: str) -> Decimal: ...
@overload
def person_years(hours: None, country: str) -> None: ...
@overload
def person_years(hours: int | None, country: str) -> Decimal | None: ...
def person_years(hours: int | None, country: str) -> Decimal | None:
    if hours is None:
        return None
    per_year = settings.HOURS_PER_PERSON_YEAR[country]
    return (Decimal(hours) / Decimal(per_year)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class AreaTotals:
    organisations: int
    members: int
    volunteers: int
    peer_supporters: int
    employees: int
    volunteer_hours: int
    person_years: Decimal


def area_totals(area: Area) -> AreaTotals:
    """Sum of each serving organisation's latest yearly figures; person-years by each organisation's country."""
    orgs = area_organisations(area)
    latest = OrganisationYear.objects.filter(organisation=OuterRef("organisation")).order_by("-year").values("year")[:1]
    rows = (
        OrganisationYear.objects.filter(organisation__in=orgs.values("pk"), year=Subquery(latest))
        .values("organisation__country")
        .annotate(
            members=Sum("members"),
            volunteers=Sum("volunteers"),
            peer_supporters=Sum("peer_supporters"),
            employees=Sum("employees"),
            volunteer_hours=Sum("volunteer_hours"),
        )
        .order_by()
    )
    totals = AreaTotals(orgs.count(), 0, 0, 0, 0, 0, Decimal("0.0"))
    for row in rows:
        for field in ("members", "volunteers", "peer_supporters", "employees", "volunteer_hours"):
            setattr(totals, field, getattr(totals, field) + (row[field] or 0))
        totals.person_years += person_years(row["volunteer_hours"] or 0, row["organisation__country"])
    return totals
