"""The public register of published agreements: no login."""

from django.http import HttpRequest
from django.shortcuts import render

from samverka.areas.models import Area
from samverka.core.pagination import paginate

from .. import selectors
from .common import area_from_query, query_without_page, sort_links


def public_register(request: HttpRequest):
    area = area_from_query(request)
    q = request.GET.get("q", "")[:200]
    sort = request.GET.get("sort", "area")
    page = paginate(selectors.public_register(area=area, q=q, sort=sort), request.GET.get("page"), 25)
    areas = Area.objects.filter(agreements__published=True).distinct().order_by("country", "name")
    return render(
        request,
        "agreements/public_register.html",
        {
            "page": page,
            "area": area,
            "areas": areas,
            "q": q,
            "sort": sort,
            "sort_links": sort_links(request, sort, ["area", "title", "kind", "ends"]),
            "query": request.GET.urlencode(),
            "query_without_page": query_without_page(request),
        },
    )


def public_detail(request: HttpRequest, pk):
    agreement = selectors.agreement_get_public(pk=pk)
    version = agreement.version
    signatures = version.signatures.select_related("signatory__party__organisation", "signatory__party__area")
    return render(
        request, "agreements/public_detail.html", {"agreement": agreement, "version": version, "signatures": signatures}
    )
