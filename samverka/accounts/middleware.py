import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.core.rows import fetch_one

from .access import access_for

SESSION_EPOCH_KEY = "samverka_epoch"
SESSION_STARTED_KEY = "samverka_started"  # when the user signed in (epoch seconds)
SESSION_SEEN_KEY = "samverka_seen"  # the last request, to SEEN_RESOLUTION_S
# The last-seen time is written at most this often, so an active session costs one session write a minute.
SEEN_RESOLUTION_S = 60

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
    """Ends sessions started before the user's last "log out everywhere", sessions idle for longer than
    SESSION_IDLE_TIMEOUT and sessions older than SESSION_ABSOLUTE_TIMEOUT (counted from sign-in, however active)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.session.get(SESSION_EPOCH_KEY, 0) != user.session_epoch:
                logout(request)
            elif session_timed_out(request.session, int(time.time())):
                logout(request)
                messages.info(request, _("Your session ended after a time without activity. Please sign in again."))
        return self.get_response(request)


def session_timed_out(session, now: int) -> bool:
    """True when the session is past its idle or absolute limit; otherwise records this request as activity
    (at most once per SEEN_RESOLUTION_S). Sessions from before these keys existed start their clocks now."""
    started = session.get(SESSION_STARTED_KEY)
    seen = session.get(SESSION_SEEN_KEY)
    if not isinstance(started, int) or not isinstance(seen, int):
        session[SESSION_STARTED_KEY] = started if isinstance(started, int) else now
        session[SESSION_SEEN_KEY] = now
        return False
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT or now - seen > settings.SESSION_IDLE_TIMEOUT:
        return True
    if now - seen >= SEEN_RESOLUTION_S:
        session[SESSION_SEEN_KEY] = now
    return False


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


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware (it marks `request.user` verified by the session's device), with the session's TOTP
    device read without the ORM: compiling that query cost more than running it, on every signed-in request.
    Other kinds of device are loaded as django-otp loads them."""

    TOTP_LABEL = TOTPDevice.model_label()

    def _device_from_persistent_id(self, persistent_id: str):
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != self.TOTP_LABEL:
            return super()._device_from_persistent_id(persistent_id)
        try:
            return fetch_one(TOTPDevice, "pk", int(device_id))
        except ValueError:  # as Device.from_persistent_id: an id that is not a number is no device
            return None
