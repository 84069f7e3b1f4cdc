"""Deciding change proposals. Exactly one decision wins: the proposal row is locked and its state checked,
and the status changes with a conditional UPDATE, so a second coordinator gets a ConflictError (409)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record, diff
from samverka.core.errors import ConflictError, NotFound, ValidationError

from .. import permissions
from ..models import ChangeProposal, ProposalStatus, Service
from ..search.index import index_services
from .state import apply_state, clean_state, service_state
from .writes import _audit_ids

MAX_REASON = 2000


def _lock_pending(actor, proposal_id) -> ChangeProposal:
    proposal = (
        ChangeProposal.objects.select_for_update(of=("self",))
        .select_related("service", "service__organisation", "service__area")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not permissions.can_review(actor, proposal.service):
        raise NotFound(_("Not found."))
    if proposal.status != ProposalStatus.PENDING:
        raise ConflictError(_("This proposal has already been decided."))
    return proposal


def _mark(proposal: ChangeProposal, actor, status: str, **extra) -> None:
    now = timezone.now()
    updated = ChangeProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=now, updated_at=now, **extra
    )
    if updated != 1:
        raise ConflictError(_("This proposal has already been decided."))
    proposal.status, proposal.decided_by, proposal.decided_at = status, actor, now
    for key, value in extra.items():
        setattr(proposal, key, value)


def proposal_approve(*, actor, proposal_id, edits: Mapping[str, Any] | None = None) -> ChangeProposal:
    """Publish the proposed version (optionally with the coordinator's own edits on top)."""
    with transaction.atomic():
        proposal = _lock_pending(actor, proposal_id)
        service = (
            Service.objects.select_for_update(of=("self",))
            .select_related("organisation", "area")
            .get(pk=proposal.service_id)
        )
        before = service_state(service)
        state = clean_state({**proposal.data, **(edits or {})}, organisation=service.organisation, area=service.area)
        _mark(proposal, actor, ProposalStatus.APPROVED, data=state)
        apply_state(service, state)
        Service.objects.filter(pk=service.pk).update(last_verified=timezone.localdate())
        after = service_state(Service.objects.get(pk=service.pk))
        audit_record(
            actor=actor,
            action="catalogue.proposal.approved",
            obj=proposal,
            changes={"service": diff(before, after), "edited": sorted(diff(proposal.data, state)) if edits else []},
            **_audit_ids(service),
        )
        audit_record(
            actor=actor,
            action="catalogue.service.updated",
            obj=service,
            changes=diff(before, after),
            **_audit_ids(service),
        )
        index_services([service.pk])
        from ..tasks import notify_proposal_decided

        transaction.on_commit(lambda: notify_proposal_decided.enqueue(str(proposal.pk)))
    return proposal


def proposal_reject(*, actor, proposal_id, reason: str) -> ChangeProposal:
    """Turn a proposal down with a reason; the published version stays as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please correct the errors below."), {"reason": [_("Say why the change is rejected.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            _("Please correct the errors below."), {"reason": [_("At most %(n)s characters.") % {"n": MAX_REASON}]}
        )
    with transaction.atomic():
        proposal = _lock_pending(actor, proposal_id)
        _mark(proposal, actor, ProposalStatus.REJECTED, reason=reason)
        audit_record(
            actor=actor,
            action="catalogue.proposal.rejected",
            obj=proposal,
            changes={"reason": reason},
            **_audit_ids(proposal.service),
        )
        from ..tasks import notify_proposal_decided

        transaction.on_commit(lambda: notify_proposal_decided.enqueue(str(proposal.pk)))
    return proposal
