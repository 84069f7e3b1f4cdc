import sys

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
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
