"""Helpers for the dialogue pages."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render

from samverka.accounts.access import access_for
from samverka.areas.models import Area
from samverka.core.errors import DomainError
from samverka.registry.models import Organisation

from ..permissions import COORDINATOR


def error_page(request: HttpRequest, exc: DomainError):
    messages = [m for msgs in exc.errors.values() for m in msgs]
    return render(
        request, "agreements/error.html", {"detail": exc.detail, "messages": messages}, status=exc.status_code
    )


def add_errors(form, exc: DomainError) -> None:
    for field, msgs in exc.errors.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)
    if not exc.errors:
        form.add_error(None, exc.detail)


def coordinated_areas(user):
    access = access_for(user)
    if access.is_platform_admin:
        return Area.objects.exclude(kind="country").order_by("country", "depth", "name")
    if not access.area_paths(COORDINATOR):
        return Area.objects.none()
    return Area.objects.filter(access.area_filter("path", COORDINATOR)).order_by("country", "depth", "name")


def organisations_in(area):
    ids = (
        Organisation.objects.filter(Q(home_area__path__startswith=area.path) | Q(areas__path__startswith=area.path))
        .exclude(status="dissolved")
        .values("pk")
    )
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def user_by_email(email: str):
    return get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None


def query_without(request: HttpRequest, name: str) -> str:
    """The current query string without `name`, ready for `?{{ q }}name=…`."""
    params = request.GET.copy()
    params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
