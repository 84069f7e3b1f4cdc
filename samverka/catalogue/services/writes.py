"""Creating and editing services. Each validates, writes in one transaction, is audited and keeps the index.

The publishing rule: an edit by someone who may not publish directly (an organisation's own people, unless the
organisation is a trusted publisher) that touches a published service — or would publish one — is stored as a
ChangeProposal; the Service row (what the public sees) stays as it was until a coordinator approves.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record, diff
from samverka.core.errors import NotFound, ValidationError

from .. import permissions
from ..models import ChangeProposal, ProposalStatus, Service, ServiceStatus
from ..search.index import index_services
from .errors import Forbidden
from .state import apply_state, clean_state, empty_state, service_state


def _locked(service: Service) -> Service:
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("organisation", "area")
        .filter(pk=service.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Not found."))
    return locked


def _audit_ids(service: Service) -> dict[str, Any]:
    org = service.organisation
    return {
        "organisation_id": service.organisation_id,
        "area_id": service.area_id if org is None else org.home_area_id,
    }


def _needs_approval(actor, service: Service, before_status: str, state: Mapping[str, Any], before: Mapping) -> bool:
    if permissions.publishes_directly(actor, service):
        return False
    if before_status != ServiceStatus.ACTIVE and state["status"] != ServiceStatus.ACTIVE:
        return False
    # Taking one's own service down needs nobody's approval.
    changed = set(diff(before, state))
    return not (changed <= {"status"} and state["status"] == ServiceStatus.INACTIVE)


def _propose(actor, service: Service, base: dict, state: dict) -> ChangeProposal:
    proposal = ChangeProposal.objects.select_for_update().filter(service=service, status=ProposalStatus.PENDING).first()
    action = "catalogue.proposal.updated" if proposal else "catalogue.proposal.created"
    if proposal is None:
        proposal = ChangeProposal(service=service)
    proposal.base, proposal.data, proposal.proposed_by = base, state, actor
    proposal.save()
    audit_record(actor=actor, action=action, obj=proposal, changes=diff(base, state), **_audit_ids(service))
    from ..tasks import notify_proposal_created

    transaction.on_commit(lambda: notify_proposal_created.enqueue(str(proposal.pk)))
    return proposal


def service_create(
    *, actor, data: Mapping[str, Any], organisation=None, area=None
) -> tuple[Service, ChangeProposal | None]:
    """A new service of an organisation (or of the public body `area`). Published at once only by those who may."""
    if (organisation is None) == (area is None):
        raise ValidationError(_("Please correct the errors below."), {"__all__": [_("Choose one owner.")]})
    probe = Service(organisation=organisation, area=area)
    if not permissions.can_manage(actor, probe):
        raise Forbidden(_("You may not add services here."))
    state = clean_state({**empty_state(), **data}, organisation=organisation, area=area)
    with transaction.atomic():
        service = Service(organisation=organisation, area=area, last_verified=timezone.localdate())
        wants_publish = state["status"] == ServiceStatus.ACTIVE
        direct = permissions.publishes_directly(actor, probe)
        apply_state(
            service, {**state, "status": state["status"] if direct or not wants_publish else ServiceStatus.DRAFT}
        )
        created = service_state(Service.objects.get(pk=service.pk))
        audit_record(
            actor=actor, action="catalogue.service.created", obj=service, changes=created, **_audit_ids(service)
        )
        proposal = None
        if wants_publish and not direct:
            proposal = _propose(actor, service, created, state)
        index_services([service.pk])
    service.refresh_from_db()
    return service, proposal


def service_update(*, actor, service: Service, data: Mapping[str, Any]) -> tuple[Service, ChangeProposal | None]:
    """Change a service (fields not in `data` keep their value). Returns the service and the proposal, if any."""
    if not permissions.can_manage(actor, service):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        service = _locked(service)
        before = service_state(service)
        state = clean_state({**before, **data}, organisation=service.organisation, area=service.area)
        if not diff(before, state):
            return service, None
        if _needs_approval(actor, service, before["status"], state, before):
            return service, _propose(actor, service, before, state)
        apply_state(service, state)
        after = service_state(Service.objects.get(pk=service.pk))
        audit_record(
            actor=actor,
            action="catalogue.service.updated",
            obj=service,
            changes=diff(before, after),
            **_audit_ids(service),
        )
        index_services([service.pk])
    service.refresh_from_db()
    return service, None


def service_verify(*, actor, service: Service) -> Service:
    """Confirm the service is still true today ("verified")."""
    if not permissions.can_manage(actor, service):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        service = _locked(service)
        before = service.last_verified
        service.last_verified = timezone.localdate()
        service.save(update_fields=["last_verified", "updated_at"])
        audit_record(
            actor=actor,
            action="catalogue.service.verified",
            obj=service,
            changes={"last_verified": {"before": before, "after": service.last_verified}},
            **_audit_ids(service),
        )
    return service
