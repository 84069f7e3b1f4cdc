"""Agreements API: /api/v1/agreements/… Thin: parse → selector/service → schema."""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from samverka.core.errors import ValidationError
from samverka.core.pagination import NumberedPagination

from . import selectors, services
from .schemas import AgreementListItemOut, AgreementOut, SignIn, TransitionIn, VersionIn

router = Router(tags=["agreements"])


class ListFilters(Schema):
    status: str = ""
    q: str = ""
    sort: str = "title"


def _require_login(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise services.Forbidden(_("Log in to see agreements."))


@router.get("/agreements", response=list[AgreementListItemOut])
@paginate(NumberedPagination)
def list_agreements(request: HttpRequest, filters: Query[ListFilters]):
    """Agreements you may see: your areas' agreements and those your organisations are party to."""
    _require_login(request)
    return selectors.agreement_list(actor=request.user, status=filters.status, q=filters.q, sort=filters.sort)


@router.get("/public", response=list[AgreementListItemOut], auth=None)
@paginate(NumberedPagination)
def public_register(request: HttpRequest, q: str = ""):
    """The public register: published agreements (no login)."""
    return selectors.public_register(q=q)


@router.get("/agreements/{pk}", response=AgreementOut)
def get_agreement(request: HttpRequest, pk: uuid.UUID):
    """One agreement. Another area's private agreement: 404 (and the attempt is audited)."""
    _require_login(request)
    return selectors.agreement_get(actor=request.user, pk=pk)


@router.post("/agreements/{pk}/versions", response={201: AgreementOut})
def create_version(request: HttpRequest, pk: uuid.UUID, payload: VersionIn):
    _require_login(request)
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    services.version_create(
        actor=request.user,
        agreement=agreement,
        title=payload.title,
        sections=[s.dict() for s in payload.sections],
        note=payload.note,
    )
    return 201, selectors.agreement_get(actor=request.user, pk=pk)


@router.post("/agreements/{pk}/actions/{action}", response=AgreementOut)
def transition(request: HttpRequest, pk: uuid.UUID, action: str, payload: TransitionIn | None = None):
    """Lifecycle actions: open_consultation, agree, start_signing, start_review, conclude_review, renew (with
    `ends`), end. A wrong state answers 409 and changes nothing."""
    _require_login(request)
    if action not in services.TRANSITIONS:
        raise ValidationError(_("Unknown action."), {"action": [_("Unknown action.")]})
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    services.agreement_transition(
        actor=request.user, agreement=agreement, action=action, ends=payload.ends if payload else None
    )
    return selectors.agreement_get(actor=request.user, pk=pk)


@router.post("/agreements/{pk}/sign", response=AgreementOut)
def sign(request: HttpRequest, pk: uuid.UUID, payload: SignIn):
    """Sign the version being signed with a fresh TOTP code and the SHA-256 of the text you read."""
    _require_login(request)
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    services.agreement_sign(
        actor=request.user, agreement=agreement, otp_token=payload.otp_token, text_sha256=payload.text_sha256
    )
    return selectors.agreement_get(actor=request.user, pk=pk)
