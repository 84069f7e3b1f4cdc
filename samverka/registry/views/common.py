from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from samverka.core.errors import ValidationError

from .. import permissions


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, ending with "&" when not empty (for includes/pagination.html)."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def require_registry_user(request: HttpRequest) -> None:
    """The staff registry is for platform admins and people with an area role; others get the 403 page."""
    if not permissions.can_use_registry(request.user):
        raise PermissionDenied


def add_service_errors(form, exc: ValidationError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's field errors on the form's fields (or above the form when no field matches)."""
    aliases = aliases or {}
    for field, messages in exc.errors.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.detail)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
