"""/api/v1/accounts: who am I, and my personal API tokens."""

import uuid

from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router
from ninja.pagination import paginate

from samverka.core.errors import NotFound
from samverka.core.pagination import NumberedPagination

from . import selectors
from .auth import SessionAuth
from .schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut
from .services import api_token_create, api_token_revoke

router = Router(tags=["accounts"])


def _token_out(token, raw: str | None = None) -> dict:
    data = {
        "id": token.pk,
        "name": token.name,
        "last_four": token.last_four,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }
    if raw is not None:
        data["token"] = raw
    return data


@router.get("/me", response=MeOut, summary="The authenticated user and their roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_platform_admin": user.is_platform_admin,
        "mfa_enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "area_roles": [
            {"area_id": r.area_id, "area_name": r.area.display_name, "role": r.role, "capabilities": r.capabilities}
            for r in selectors.my_area_roles(actor=user)
        ],
        "organisation_roles": [
            {"organisation_id": r.organisation_id, "organisation_name": r.organisation.display_name, "role": r.role}
            for r in selectors.my_organisation_roles(actor=user)
        ],
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens (never their raw values)")
@paginate(NumberedPagination)
def token_list(request):
    return selectors.api_token_list(actor=request.auth)


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=[SessionAuth()],
    summary="Create a token (browser session only); the raw token is in this answer only",
)
def token_create(request, payload: TokenIn):
    token, raw = api_token_create(
        actor=request.auth, user=request.auth, name=payload.name, expires_at=payload.expires_at
    )
    return 201, _token_out(token, raw)


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def token_revoke(request, token_id: uuid.UUID):
    try:
        token = selectors.api_token_get(actor=request.auth, token_id=token_id)
    except NotFound:
        raise Http404
    api_token_revoke(actor=request.auth, token=token)
    return 204, None
