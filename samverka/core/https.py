"""Plain-HTTP calls to the API are refused, not redirected.

With `SECURE_SSL_REDIRECT` on (production), pages over plain HTTP are redirected to HTTPS, but the API is left out of
that (`SECURE_REDIRECT_EXEMPT`): a client that follows the redirect has already sent its token and body in the clear,
would send them again, and a redirected POST arrives as a GET. The call is refused with a JSON error instead, so the
mistake shows at once in the client's own output."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .middleware import choose_language

API_PREFIX = "/api/"


class ApiHttpsRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read per request: the settings are plain attributes, and tests switch them.
        if settings.SECURE_SSL_REDIRECT and not request.is_secure() and request.path.startswith(API_PREFIX):
            # Before the language middleware: the language it would choose.
            with translation.override(choose_language(request)):
                detail = _("HTTPS required: call the API at its https:// address. Plain HTTP is refused.")
            return JsonResponse({"detail": detail, "errors": {}}, status=403)
        return self.get_response(request)
