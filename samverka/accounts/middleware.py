from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .access import access_for

SESSION_EPOCH_KEY = "samverka_epoch"

# Paths a staff user may reach before completing the MFA check.
MFA_EXEMPT_PREFIXES = (
    "/accounts/mfa/",
    "/accounts/logout/",
    "/accounts/login/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/api/",  # the API answers for itself: session calls need a verified session (see auth.py)
)


class SessionEpochMiddleware:
    """Ends sessions started before the user's last "log out everywhere"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(SESSION_EPOCH_KEY, 0) != user.session_epoch
        ):
            logout(request)
        return self.get_response(request)


class MFARequiredMiddleware:
    """Staff roles (platform admin, coordinator, officer) must pass a TOTP check each session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and access_for(user).is_staff_role
            and not user.is_verified()
        ):
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"detail": _("Two-factor authentication required."), "errors": {}}, status=403)
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:mfa_verify" if has_device else "accounts:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
