"""Registry API: /api/v1/registry/… Thin: parse → selector/service → schema."""

import uuid

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from samverka.core.errors import NotFound
from samverka.core.pagination import NumberedPagination, page_url

from . import permissions, selectors, services
from .schemas import (
    OrganisationCreateIn,
    OrganisationFilterIn,
    OrganisationListItemOut,
    OrganisationOut,
    OrganisationPatchIn,
    OrganisationYearIn,
    OrganisationYearOut,
    year_out,
)
from .services import Forbidden

router = Router(tags=["registry"])


def _require_registry_user(request: HttpRequest) -> None:
    if not permissions.can_use_registry(request.user):
        raise Forbidden(_("You need a role in an area to use the registry."))


class OrganisationPagination(NumberedPagination):
    """NumberedPagination whose page and total come from selectors.organisation_page (one query when filtered)."""

    def paginate_queryset(self, queryset, pagination: NumberedPagination.Input, request: HttpRequest, **params):
        filters = selectors.OrganisationFilters.from_mapping(_data(params["filters"].dict()))
        page = selectors.organisation_page(queryset, filters, pagination.page, pagination.page_size)
        return {
            "count": page.count,
            "next": page_url(request, page.number + 1) if page.has_next else None,
            "previous": page_url(request, page.number - 1) if page.has_previous else None,
            "results": page.items,
        }


@router.get("/organisations", response=list[OrganisationListItemOut])
@paginate(OrganisationPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilterIn]):
    """Organisations in your areas (platform admins: all), filtered like the registry list."""
    _require_registry_user(request)
    parsed = selectors.OrganisationFilters.from_mapping(
        {k: (v.value if hasattr(v, "value") else v) for k, v in filters.dict().items() if v is not None}
    )
    return selectors.organisation_list(actor=request.user, filters=parsed)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationCreateIn):
    """Register an organisation. A bad or duplicate organisation number answers 422 with errors.org_number."""
    org = services.organisation_create(actor=request.user, data=_data(payload.dict()))
    return Status(201, selectors.organisation_get_for_staff(actor=request.user, pk=org.pk))


def _data(values: dict) -> dict:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def _get(request: HttpRequest, pk: uuid.UUID, purpose: str = "view"):
    return selectors.organisation_get_for_staff(actor=request.user, pk=pk, purpose=purpose)


@router.get("/organisations/{pk}", response=OrganisationOut)
def get_organisation(request: HttpRequest, pk: uuid.UUID):
    """One organisation's staff record. Outside your areas: 404 (and the attempt is audited)."""
    return _get(request, pk)


@router.patch("/organisations/{pk}", response=OrganisationOut)
def update_organisation(request: HttpRequest, pk: uuid.UUID, payload: OrganisationPatchIn):
    org = _get(request, pk, "edit")
    services.organisation_update(actor=request.user, organisation=org, data=_data(payload.dict(exclude_unset=True)))
    return _get(request, pk, "edit")


@router.get("/organisations/{pk}/years/{year}", response=OrganisationYearOut)
def get_organisation_year(request: HttpRequest, pk: uuid.UUID, year: int):
    org = _get(request, pk)
    row = next((y for y in org.years.all() if y.year == year), None)
    if row is None:
        raise Http404
    return year_out(row, org.country)


@router.put("/organisations/{pk}/years/{year}", response=OrganisationYearOut)
def put_organisation_year(request: HttpRequest, pk: uuid.UUID, year: int, payload: OrganisationYearIn):
    """Create or replace the figures of one year."""
    org = _get(request, pk, "edit")
    try:
        row, _changed = services.organisation_year_upsert(
            actor=request.user, organisation=org, year=year, values=payload.dict()
        )
    except NotFound:
        raise Http404 from None
    return year_out(row, org.country)
