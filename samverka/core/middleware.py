import logging
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import trans_real

from . import metrics, request_context

logger = logging.getLogger("samverka.request")


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID, and on every log line), records the client IP for audit
    events, and counts the request in the metrics."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trust_incoming = settings.TRUSTED_PROXY_COUNT > 0

    def __call__(self, request):
        started = time.perf_counter()
        # The proxy's id joins our log lines to its own; without a trusted proxy a client could choose the id
        # stored on audit events, so the app makes its own.
        incoming = request.headers.get("X-Request-ID", "") if self.trust_incoming else ""
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.set_current(
            request_context.RequestContext(request_id=request_id, ip=request.META.get("REMOTE_ADDR"))
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        metrics.observe_request(request, response.status_code, started)
        return response


class DatabaseUnavailableMiddleware:
    """When the database is down, answer a friendly 503 instead of a traceback; recover by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, (OperationalError, InterfaceError)) and not _is_lock_error(exception)


def database_unavailable_response(request, exception: BaseException) -> HttpResponse:
    """The friendly 503: JSON under /api/ and /healthz, a page elsewhere; never a traceback."""
    logger.error("database unavailable: %s", exception)
    if request.path == "/healthz":
        return HttpResponse(b'{"status": "error", "database": "error"}', status=503, content_type="application/json")
    if request.path.startswith("/api/"):
        return HttpResponse(
            b'{"detail": "Service temporarily unavailable", "errors": {}}',
            status=503,
            content_type="application/json",
        )
    # Rendered without the request's context processors: they would touch the session and the user,
    # which need the very database that is down.
    body = render_to_string("503.html", {"LANGUAGE_CODE": translation.get_language()})
    return HttpResponse(body, status=503, headers={"Retry-After": "30"})


def _is_lock_error(exc: BaseException) -> bool:
    return "locked" in str(exc).lower()


class LanguageMiddleware:
    """Language: the user's choice (cookie), then Accept-Language, then the area's default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Accept-Language, Cookie")
        return response


def choose_language(request) -> str:
    """The user's choice (cookie), then Accept-Language, then the area's default, then the site's."""
    supported = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in supported:
        return chosen
    for accepted, _q in trans_real.parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if accepted == "*":
            continue
        try:
            return trans_real.get_supported_language_variant(_normalise(accepted))
        except LookupError:
            continue
    return _area_default_language(request) or settings.LANGUAGE_CODE


def _normalise(code: str) -> str:
    # Browsers send "no" or "nn" for Norwegian; we ship bokmål.
    return {"no": "nb", "nn": "nb", "nb-no": "nb", "no-no": "nb"}.get(code.lower(), code)


def _area_default_language(request) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    home_area_id = getattr(user, "home_area_id", None)
    if home_area_id is None:
        return None
    from samverka.areas.selectors import area_cached  # the reference cache: no query per request

    area = area_cached(home_area_id)
    return area.default_language if area else None


class MalformedInputMiddleware:
    """Last safety net for bad input: a Django ValidationError that escapes a view (e.g. a malformed UUID handed
    to the ORM) is the client's mistake, so it answers 400 with a clear message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _carries_nul(request):
            # No text column can store U+0000 (PostgreSQL refuses it) and no person types it: refuse up front.
            from django.core.exceptions import ValidationError as DjangoValidationError
            from django.utils.translation import gettext as _

            return self.process_exception(request, DjangoValidationError(_("Null characters are not allowed.")))
        return None

    def process_exception(self, request, exception):
        from django.core.exceptions import ValidationError as DjangoValidationError
        from django.utils.translation import gettext as _

        if not isinstance(exception, DjangoValidationError):
            return None
        detail = _("The request contains a value that is not valid.")
        messages = [str(m) for m in exception.messages]
        if request.path.startswith("/api/"):
            import json

            body = json.dumps({"detail": detail, "errors": {"__all__": messages}})
            return HttpResponse(body, status=400, content_type="application/json")
        return HttpResponse(
            render_to_string("400.html", {"detail": " ".join([detail, *messages])}, request=request), status=400
        )


def _carries_nul(request) -> bool:
    """True when a query value, a form value or a JSON body holds the NUL character."""
    if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            if content_type.startswith("application/json"):
                return b"\\u0000" in request.body or b"\x00" in request.body
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                return any("\x00" in value for _key, values in request.POST.lists() for value in values)
        except Exception:  # noqa: BLE001 - a body Django cannot read (too big, malformed) gets the view's own 4xx
            return False
    return False
