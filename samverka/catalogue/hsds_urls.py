"""Open Referral HSDS 3.0 read API at /api/hsds/ (see standards/hsds-3/openapi.json). Public, no login."""

import datetime
import uuid

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import NinjaAPI, Query, Schema

from samverka.core.api import install_error_handlers
from samverka.core.errors import ValidationError
from samverka.core.openapi import declare_error_responses
from samverka.registry import selectors as registry_selectors

from . import hsds, selectors
from .finder import FinderFilters, filtered, find_services
from .models import CONTENT_LANGUAGES, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm

MAX_PER_PAGE = 200

api = NinjaAPI(
    title="Samverka HSDS API",
    version="3.0",
    urls_namespace="hsds",
    auth=None,
    description="The service catalogue as Open Referral HSDS 3.0 (read only). Texts in `lang` (nb, sv, fi, en).",
)
install_error_handlers(api)
declare_error_responses(api)  # its OpenAPI document declares the `{detail, errors}` answers too


class ListParams(Schema):
    page: int = NinjaField(1, ge=1, le=10_000_000)
    per_page: int = NinjaField(25, ge=1, le=MAX_PER_PAGE)
    lang: str = ""


class ServiceParams(ListParams):
    search: str = NinjaField("", max_length=200)
    taxonomy_term_id: str = ""
    organization_id: str = ""
    modified_after: datetime.datetime | None = None


def _language(params: ListParams) -> str:
    if params.lang and params.lang not in CONTENT_LANGUAGES:
        raise ValidationError(_("The request is not valid."), {"lang": [_("Use nb, sv, fi or en.")]})
    return params.lang or (get_language() or "en")[:2]


def _envelope(items: list, count: int, number: int, size: int) -> dict:
    pages = max(1, -(-count // size))
    return {
        "total_items": count,
        "total_pages": pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": count == 0,
        "contents": items,
    }


def _slice(qs: QuerySet, params: ListParams) -> tuple[list, int, int]:
    count = qs.count()
    number = min(params.page, max(1, -(-count // params.per_page)))
    start = (number - 1) * params.per_page
    return list(qs[start : start + params.per_page]), count, number


def _uuid_param(value: str, field: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValidationError(_("The request is not valid."), {field: [_("Not a valid id.")]}) from None


def _service_filters(params: ServiceParams) -> tuple[FinderFilters, QuerySet]:
    base = Service.objects.public()
    if params.taxonomy_term_id:
        term_id = _uuid_param(params.taxonomy_term_id, "taxonomy_term_id")
        if not TaxonomyTerm.objects.filter(pk=term_id).exists():
            raise ValidationError(_("The request is not valid."), {"taxonomy_term_id": [_("Unknown taxonomy term.")]})
        base = base.filter(categories__pk=term_id)
    organisation = _uuid_param(params.organization_id, "organization_id") if params.organization_id else ""
    if params.modified_after:
        base = base.filter(updated_at__gte=params.modified_after)
    return FinderFilters(q=params.search, organisation=organisation), base


@api.get("/", summary="API information")
def info(request: HttpRequest):
    return {
        "version": hsds.VERSION,
        "profile": "https://docs.openreferral.org/en/latest/",
        "openapi_url": request.build_absolute_uri(request.path.rstrip("/") + "/openapi.json"),
    }


@api.get("/services", summary="Services (paginated)")
def services(request: HttpRequest, params: Query[ServiceParams]):
    language = _language(params)
    filters, base = _service_filters(params)
    if filters.q:
        result = find_services(filters, params.page, params.per_page, base=base)
        items, count, number = list(result.page.items), result.page.count, result.page.number
    else:
        qs = filtered(filters, base).select_related("organisation").order_by("sort_name", "id")
        items, count, number = _slice(qs, params)
    return _envelope([hsds.service_summary(s, language) for s in items], count, number, params.per_page)


@api.get("/services/{service_id}", summary="One service, fully nested")
def service(request: HttpRequest, service_id: uuid.UUID, lang: str = ""):
    language = _language(ListParams(page=1, per_page=1, lang=lang))
    found = selectors.service_detail_queryset().filter(pk=service_id, status=ServiceStatus.ACTIVE).first()
    if found is None:
        raise Http404
    return hsds.service_full(found, language)


@api.get("/organizations", summary="Organizations (paginated)")
def organizations(request: HttpRequest, params: Query[ListParams]):
    language = _language(params)
    qs = registry_selectors.public_organisation_list(filters=registry_selectors.OrganisationFilters())
    items, count, number = _slice(qs, params)
    return _envelope([hsds.organization(o, language) for o in items], count, number, params.per_page)


@api.get("/organizations/{organization_id}", summary="One organization with its services")
def organization(request: HttpRequest, organization_id: uuid.UUID, lang: str = ""):
    language = _language(ListParams(page=1, per_page=1, lang=lang))
    org = registry_selectors.organisation_get_public(pk=organization_id)
    services_ = [
        hsds.service_summary(s, language)
        for s in selectors.services_for_organisation(org).select_related("organisation")
    ]
    return hsds.organization(org, language, full=True, services=services_)


@api.get("/service_at_locations", summary="Services at locations (paginated)")
def service_at_locations(request: HttpRequest, params: Query[ServiceParams]):
    language = _language(params)
    filters, base = _service_filters(params)
    service_ids: QuerySet | list = filtered(filters, base).values("pk")
    if filters.q:
        service_ids = [s.pk for s in find_services(filters, 1, MAX_PER_PAGE, base=base).page.items]
    qs = (
        ServiceAtLocation.objects.filter(service__in=service_ids)
        .select_related("service", "service__organisation", "location", "location__municipality")
        .order_by("service__sort_name", "location__name", "id")
    )
    items, count, number = _slice(qs, params)
    return _envelope([hsds.service_at_location_summary(s, language) for s in items], count, number, params.per_page)


@api.get("/taxonomies", summary="Taxonomies (paginated)")
def taxonomies(request: HttpRequest, params: Query[ListParams]):
    items, count, number = _slice(Taxonomy.objects.order_by("name"), params)
    return _envelope([hsds.taxonomy(t) for t in items], count, number, params.per_page)


@api.get("/taxonomy_terms", summary="Taxonomy terms (paginated)")
def taxonomy_terms(request: HttpRequest, params: Query[ListParams]):
    language = _language(params)
    qs = TaxonomyTerm.objects.select_related("taxonomy").order_by("code")
    items, count, number = _slice(qs, params)
    return _envelope([hsds.taxonomy_term(t, language) for t in items], count, number, params.per_page)


@api.get("/taxonomy_terms/{term_id}", summary="One taxonomy term")
def taxonomy_term(request: HttpRequest, term_id: uuid.UUID, lang: str = ""):
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=term_id).first()
    if term is None:
        raise Http404
    return hsds.taxonomy_term(term, _language(ListParams(page=1, per_page=1, lang=lang)))


app_name = "hsds"
urlpatterns = api.urls[0]
