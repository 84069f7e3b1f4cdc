from typing import Any

from django.http import HttpRequest
from django.shortcuts import render

from samverka.core.pagination import paginate
from samverka.registry import figures as registry_figures
from samverka.registry import permissions as registry_permissions

from . import selectors
from .models import Country

PAGE_SIZE = 50


def area_list(request: HttpRequest):
    q = (request.GET.get("q") or "").strip()[:100]
    country = request.GET.get("country", "")
    country = country if country in Country.values else ""
    context: dict[str, Any] = {"q": q, "country": country, "countries": Country.choices}
    if q or country:
        page = paginate(selectors.area_search(q=q, country=country), request.GET.get("page"), PAGE_SIZE)
        params = request.GET.copy()
        params.pop("page", None)
        encoded = params.urlencode()
        context.update(page=page, query_without_page=f"{encoded}&" if encoded else "")
    else:
        context["tree"] = selectors.area_tree()
    return render(request, "areas/list.html", context)


def area_detail(request: HttpRequest, pk):
    area = selectors.area_get(pk=pk)
    totals = registry_figures.area_totals(area)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "children": selectors.area_children(area),
            "region_members": selectors.area_region_members(area),
            "coordinators": selectors.area_coordinators(area),
            "totals": totals,
            "can_use_registry": registry_permissions.can_use_registry(request.user),
            "names": [
                (code, label, getattr(area, f"name_{code}"))
                for code, label in (("nb", "Norsk bokmål"), ("sv", "Svenska"), ("fi", "Suomi"), ("en", "English"))
                if getattr(area, f"name_{code}")
            ],
        },
    )
