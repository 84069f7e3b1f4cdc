"""The JSON API at /api/v1/: one NinjaAPI, errors always `{"detail", "errors"}`."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import DomainError


def _error(api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def _field_name(loc: tuple | list) -> str:
    # ninja locations look like ("body", "payload", "org_number"); the field is what the client sent.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload", "header", "cookie")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return _error(api, request, exc.status_code, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(_field_name(item.get("loc", ())), []).append(str(item.get("msg", "")))
        return _error(api, request, 422, _("The request is not valid."), errors)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return _error(api, request, 401, _("Authentication required."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(api, request, exc.status_code, str(exc))
