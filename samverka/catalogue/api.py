"""Catalogue API: /api/v1/catalogue/… Thin: parse → selector/service → schema. HSDS lives at /api/hsds/."""

import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from samverka.accounts.auth import public_api_actor
from samverka.areas.models import Area
from samverka.core.pagination import MAX_PAGE_SIZE, page_url
from samverka.registry import selectors as registry_selectors

from . import selectors, services
from .diffs import field_diff
from .finder import FinderFilters, find_services
from .schemas import (
    ApproveIn,
    ProposalOut,
    RejectIn,
    ServiceCreateIn,
    ServiceListOut,
    ServiceOut,
    ServiceWriteIn,
    WriteResultOut,
)

router = Router(tags=["catalogue"])


class FinderIn(Schema):
    q: str = ""
    area: str = ""
    category: str = ""
    target_group: str = ""
    language: str = ""
    age: str = ""
    free: bool = False
    vouchers: bool = False
    access: str = ""
    weekday: str = ""
    sort: str = ""
    page: int = NinjaField(1, ge=1, le=10_000_000)
    page_size: int = NinjaField(25, ge=1, le=MAX_PAGE_SIZE)


def _list_item(s) -> dict:
    return {
        "id": s.pk,
        "name": s.display_name,
        "summary": s.display_summary,
        "kind": s.kind,
        "status": s.status,
        "organisation_id": s.organisation_id,
        "area_id": s.area_id,
        "updated_at": s.updated_at,
    }


def _service_out(service) -> dict:
    fresh = selectors.service_detail_queryset().get(pk=service.pk)
    return {
        "id": fresh.pk,
        "organisation_id": fresh.organisation_id,
        "area_id": fresh.area_id,
        "last_verified": fresh.last_verified,
        "updated_at": fresh.updated_at,
        "state": services.service_state(fresh),
    }


@router.get("/services", response=dict, auth=None)
def list_services(request: HttpRequest, params: Query[FinderIn]):
    """The public finder as JSON (published services; same filters as /services/)."""
    raw = {k: ("1" if v is True else "" if v is False else v) for k, v in params.dict().items()}
    result = find_services(FinderFilters.from_mapping(raw), params.page, params.page_size)
    page = result.page
    return {
        "count": page.count,
        # False when more services match than were counted (count is then a lower bound).
        "count_exact": not result.capped,
        "next": page_url(request, page.number + 1) if page.has_next else None,
        "previous": page_url(request, page.number - 1) if page.has_previous else None,
        "results": [ServiceListOut(**_list_item(s)).dict() for s in page.items],
    }


@router.get("/services/{pk}", response=ServiceOut, auth=None)
def get_service(request: HttpRequest, pk: uuid.UUID):
    service, _preview = selectors.service_get_public(actor=public_api_actor(request), pk=pk)
    return _service_out(service)


@router.post("/services", response={201: WriteResultOut})
def create_service(request: HttpRequest, payload: ServiceCreateIn):
    """Create a service of an organisation (organisation_id) or of a public body (area_id)."""
    data = payload.service_data()
    org_id, area_id = data.pop("organisation_id", None), data.pop("area_id", None)
    organisation = registry_selectors.organisation_get_public(pk=org_id) if org_id else None
    area = get_object_or_404(Area, pk=area_id) if area_id else None
    service, proposal = services.service_create(actor=request.user, organisation=organisation, area=area, data=data)
    return Status(
        201,
        {
            "service": _service_out(service),
            "proposal_id": proposal.pk if proposal else None,
            "published": proposal is None and service.status == "active",
        },
    )


@router.patch("/services/{pk}", response=WriteResultOut)
def update_service(request: HttpRequest, pk: uuid.UUID, payload: ServiceWriteIn):
    """Change a service; an organisation's edit of a published service becomes a proposal (proposal_id)."""
    service = selectors.service_get_for_edit(actor=request.user, pk=pk)
    service, proposal = services.service_update(actor=request.user, service=service, data=payload.service_data())
    return {
        "service": _service_out(service),
        "proposal_id": proposal.pk if proposal else None,
        "published": proposal is None and service.status == "active",
    }


@router.post("/services/{pk}/verify", response=ServiceOut)
def verify_service(request: HttpRequest, pk: uuid.UUID):
    service = selectors.service_get_for_edit(actor=request.user, pk=pk)
    return _service_out(services.service_verify(actor=request.user, service=service))


def _proposal_out(p) -> dict:
    return {
        "id": p.pk,
        "service_id": p.service_id,
        "status": p.status,
        "reason": p.reason,
        "created_at": p.created_at,
        "changes": field_diff(services.service_state(p.service), p.data),
    }


@router.get("/proposals", response=list[ProposalOut])
def list_proposals(request: HttpRequest):
    """Pending proposals you may decide (first 200, oldest first)."""
    return [_proposal_out(p) for p in selectors.proposal_queue(actor=request.user)[:MAX_PAGE_SIZE]]


@router.post("/proposals/{pk}/approve", response=ProposalOut)
def approve_proposal(request: HttpRequest, pk: uuid.UUID, payload: ApproveIn):
    """Publish a proposal (optionally with edits). A decided proposal answers 409."""
    selectors.proposal_get(actor=request.user, pk=pk)
    edits = payload.edits.service_data() if payload.edits else None
    proposal = services.proposal_approve(actor=request.user, proposal_id=pk, edits=edits)
    return _proposal_out(proposal)


@router.post("/proposals/{pk}/reject", response=ProposalOut)
def reject_proposal(request: HttpRequest, pk: uuid.UUID, payload: RejectIn):
    selectors.proposal_get(actor=request.user, pk=pk)
    return _proposal_out(services.proposal_reject(actor=request.user, proposal_id=pk, reason=payload.reason))
