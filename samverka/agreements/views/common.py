"""Helpers for the agreement pages."""

from django.http import HttpRequest
from django.shortcuts import render

from samverka.core.errors import DomainError


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def error_page(request: HttpRequest, exc: DomainError, back: str = ""):
    """A refused action: the translated reason with its status (403, 409, 422), nothing changed."""
    messages = [m for msgs in exc.errors.values() for m in msgs]
    return render(
        request,
        "agreements/error.html",
        {"detail": exc.detail, "messages": messages, "back": back},
        status=exc.status_code,
    )


def add_errors(form, exc: DomainError) -> None:
    for field, msgs in exc.errors.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)
    if not exc.errors:
        form.add_error(None, exc.detail)


def form_status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def area_from_query(request: HttpRequest):
    """The `area` filter of a list (a UUID); anything else means no filter."""
    from samverka.areas.models import Area

    from ..selectors import _uuid

    area_id = _uuid(request.GET.get("area"))
    return Area.objects.filter(pk=area_id).first() if area_id else None


def sort_links(request: HttpRequest, current: str, keys: list[str]) -> dict[str, str]:
    """For each sortable column, the query string that sorts by it (keeping the filters, back to page 1)."""
    links = {}
    for key in keys:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = key
        links[key] = params.urlencode()
    return links
