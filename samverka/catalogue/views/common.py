from collections.abc import Mapping

from django.http import HttpRequest

from samverka.core.errors import ValidationError


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def add_errors(form, exc: ValidationError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's field errors on the form's fields (or above the form when no field matches)."""
    aliases = aliases or {}
    for field, messages in exc.errors.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.detail)
