"""Request-level protections that every page and API call shares: the client's real address behind the reverse
proxy, refusal of HTTP methods the app never serves, and no caching of private answers."""

import ipaddress

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

# Methods some view or the API answers; TRACE, CONNECT and unknown verbs are refused before any view runs
# (function views would otherwise answer TRACE like GET).
SERVED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def forwarded_client(forwarded_for: str, trusted_proxies: int) -> str | None:
    """The client address as the nearest trusted proxy saw it: the `trusted_proxies`-th entry from the right of
    X-Forwarded-For (entries further left are the client's own claims). None when absent or not an IP address."""
    if trusted_proxies <= 0 or not forwarded_for:
        return None
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < trusted_proxies:
        return None
    candidate = hops[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientRequestMiddleware:
    """Runs first: refuses methods no view serves (405), and behind `TRUSTED_PROXY_COUNT` proxies takes the
    client's address from X-Forwarded-For so lockout, audit events and rate limits see the client, not the proxy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted_proxies = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request):
        if request.method not in SERVED_METHODS:
            return HttpResponseNotAllowed(SERVED_METHODS)
        client = forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), self.trusted_proxies)
        if client is not None:
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


class PrivateAnswerCacheMiddleware:
    """Answers to a signed-in browser or an API token are private: `Cache-Control: no-store` unless the view
    chose its own caching, so shared caches and the browser's disk never keep residents' or staff data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers and _carries_credentials(request):
            add_never_cache_headers(response)
        return response


def _carries_credentials(request) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
