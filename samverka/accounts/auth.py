"""API authentication: a browser session (with CSRF, and MFA for staff) or a personal API token."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .access import access_for
from .models import ApiToken, hash_token


class SessionAuth(APIKeyCookie):
    """The browser's session. Staff must have passed MFA in this session."""

    param_name = "sessionid"

    def __init__(self, csrf: bool = True) -> None:
        # The cookie's name is "__Host-sessionid" in production (config/settings/prod.py); the API document says so.
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=csrf)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if access_for(user).is_staff_role and not user.is_verified():
            return None
        return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith(ApiToken.PREFIX) or len(token) > 100:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None or not row.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


api_auth = [TokenAuth(), SessionAuth()]


def public_api_actor(request):
    """Who calls a public operation (declared without security, so django-ninja reads no credentials for it):
    the holder of a valid API token in the Authorization header, else the session's user (staff only once they
    have passed MFA in this session, as on the other operations), else an anonymous visitor. A bad token counts as
    no token: the answer is then what anyone may read."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return TokenAuth().authenticate(request, token.strip()) or AnonymousUser()
    user = request.user
    # is_verified() is added to the user by django_otp's OTPMiddleware; the stubs do not know it.
    if user.is_authenticated and access_for(user).is_staff_role and not user.is_verified():  # type: ignore[attr-defined]
        return AnonymousUser()
    return user
