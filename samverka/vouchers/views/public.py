"""Pages anyone can open: the voucher start page and each scheme's provider comparison."""

from django.http import HttpRequest
from django.shortcuts import render

from .. import permissions, selectors
from .common import not_found_as_404


def index(request: HttpRequest):
    user = request.user
    context = {
        "schemes": selectors.scheme_list_public().order_by("name"),
        "is_officer": permissions.has_any_voucher_role(user),
        "is_provider": bool(permissions.provider_organisation_ids(user)),
    }
    return render(request, "vouchers/index.html", context)


@not_found_as_404
def scheme_compare(request: HttpRequest, pk):
    scheme = selectors.scheme_get_public(pk=pk)
    sort = request.GET.get("sort", "price")
    providers = selectors.provider_comparison(scheme=scheme, sort=sort)
    return render(request, "vouchers/compare.html", {"scheme": scheme, "providers": providers, "sort": sort})
