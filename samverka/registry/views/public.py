from django.http import HttpRequest
from django.shortcuts import render

from .. import figures, permissions, selectors
from ..forms import areas_for_form, filter_fields_html
from .common import is_htmx, query_without_page

PAGE_SIZE = 25


def public_list(request: HttpRequest):
    filters = selectors.OrganisationFilters.from_mapping(request.GET)
    page = selectors.public_organisation_list_page(filters=filters, page=request.GET.get("page"), page_size=PAGE_SIZE)
    context = {"page": page, "filters": filters, "query_without_page": query_without_page(request)}
    if is_htmx(request):
        return render(request, "registry/_public_results.html", context)
    fields = filter_fields_html(filters.as_query(), areas=areas_for_form(), public=True)
    return render(request, "registry/public_list.html", {**context, "filter_fields": fields})


def public_detail(request: HttpRequest, pk):
    org = selectors.organisation_get_public(pk=pk)
    latest = figures.latest_year(org)
    user = request.user
    return render(
        request,
        "registry/public_detail.html",
        {
            "org": org,
            "latest": latest,
            "latest_person_years": figures.person_years(latest.volunteer_hours, org.country) if latest else None,
            "can_edit": permissions.can_edit(user, org),
            "can_view_history": permissions.can_view_history(user, org),
        },
    )
