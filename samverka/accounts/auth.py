"""API authentication: a browser session (with CSRF, and MFA for staff) or a personal API token."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .access import access_for
from .models import ApiToken, hash_token


class SessionAuth(APIKeyCookie):
    """The browser's session. Staff must have passed MFA in this session."""

    param_name = "sessionid"

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
