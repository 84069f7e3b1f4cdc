import sys

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import database_unavailable_response, is_database_unavailable


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@never_cache
def set_language(request: HttpRequest):
    """The header's language form: remembers the choice in the language cookie and returns to `next` (on this host).

    A GET form, unlike Django's set_language: it changes a display preference and nothing stored, so the form needs
    no CSRF token, and a visitor's first page (most finder searches) need not make one and send it as a cookie."""
    code = str(request.GET.get("language") or "")
    if code not in dict(settings.LANGUAGES):
        return render(request, "400.html", {"detail": _("Choose a language from the list.")}, status=400)
    next_url = str(request.GET.get("next") or "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" (settings)
    )
    return response


def home(request: HttpRequest):
    return render(request, "core/home.html")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


def error_404(request, exception=None):
    if _is_api(request):
        return _api_error(404, _("Not found."))
    return render(request, "404.html", status=404)


def error_500(request):
    # Django calls this inside its exception handler, so the exception is still at hand. A database that went
    # away while a middleware (session, user, MFA) was reading it surfaces here rather than in a view:
    # answer the friendly 503 then, not a 500.
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable_response(request, exception)
    if _is_api(request):
        return _api_error(500, _("Something went wrong."))
    return render(request, "500.html", status=500)


def error_403(request, exception=None):
    if _is_api(request):
        return _api_error(403, _("You do not have permission to do this."))
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    if _is_api(request):
        return _api_error(400, _("Bad request."))
    return render(request, "400.html", status=400)
