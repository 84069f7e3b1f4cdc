"""Reads of the catalogue, scoped to what the actor may see. The finder lives in finder.py."""

import datetime
import uuid

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverka.accounts.access import access_for
from samverka.areas.models import Area
from samverka.audit.services import audit_record

from . import permissions
from .models import (
    ChangeProposal,
    Location,
    ProposalStatus,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    TaxonomyTerm,
)
from .tasks import STALE_AFTER_DAYS


def _uuid(pk):
    try:
        return uuid.UUID(str(pk))
    except ValueError:
        return None


def service_detail_queryset() -> QuerySet:
    return Service.objects.select_related("organisation", "organisation__home_area", "area").prefetch_related(
        Prefetch("categories", queryset=TaxonomyTerm.objects.order_by("code")),
        "target_groups",
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("languages", queryset=ServiceLanguage.objects.order_by("code")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__municipality").order_by("location__name"),
        ),
        Prefetch("schedules", queryset=Schedule.objects.select_related("location")),
    )


def _denied(actor, service: Service, purpose: str) -> Http404:
    audit_record(
        actor=actor,
        action="access.denied",
        obj=service,
        organisation_id=service.organisation_id,
        area_id=service.area_id,
        changes={"purpose": purpose},
    )
    return Http404()


def service_get_public(*, actor, pk) -> tuple[Service, bool]:
    """A service page: published services for everyone; drafts only for those who manage them (preview=True)."""
    key = _uuid(pk)
    service = service_detail_queryset().filter(pk=key).first() if key else None
    if service is None:
        raise Http404
    if service.status == ServiceStatus.ACTIVE:
        return service, False
    if permissions.can_manage(actor, service):
        return service, True
    if getattr(actor, "is_authenticated", False):
        raise _denied(actor, service, "view")
    raise Http404


def service_get_for_edit(*, actor, pk) -> Service:
    key = _uuid(pk)
    service = service_detail_queryset().filter(pk=key).first() if key else None
    if service is None:
        raise Http404
    if not permissions.can_manage(actor, service):
        raise _denied(actor, service, "edit")
    return service


def services_for_organisation(organisation) -> QuerySet:
    """Published services of an organisation, for its public page (template catalogue/_organisation_services.html)."""
    return (
        Service.objects.public()
        .filter(organisation=organisation)
        .prefetch_related(Prefetch("categories", queryset=TaxonomyTerm.objects.order_by("code")))
        .order_by("sort_name", "id")
    )


def organisation_services(*, actor, organisation) -> QuerySet:
    """Every service of the organisation (all statuses) with pending-proposal counts, for people managing it."""
    if not permissions.can_manage_organisation(actor, organisation):
        audit_record(
            actor=actor,
            action="access.denied",
            obj=organisation,
            organisation_id=organisation.pk,
            area_id=organisation.home_area_id,
            changes={"purpose": "catalogue"},
        )
        raise Http404
    return (
        Service.objects.filter(organisation=organisation)
        .annotate(pending=Count("proposals", filter=Q(proposals__status=ProposalStatus.PENDING)))
        .order_by("sort_name", "id")
    )


def organisation_locations(organisation) -> QuerySet:
    return Location.objects.filter(organisation=organisation).select_related("municipality").order_by("name")


def proposal_queue(*, actor) -> QuerySet:
    """Pending proposals the actor may decide (coordinators of the owners' areas; platform admins: all)."""
    access = access_for(actor)
    qs = ChangeProposal.objects.filter(status=ProposalStatus.PENDING)
    if not access.is_platform_admin:
        if not access.area_paths(permissions.COORDINATOR):
            return qs.none()
        ids = (
            ChangeProposal.objects.filter(status=ProposalStatus.PENDING)
            .filter(permissions.reviewer_area_filter(actor))
            .values("pk")
        )
        qs = qs.filter(pk__in=ids)
    return qs.select_related("service", "service__organisation", "proposed_by").order_by("created_at", "id")


def proposal_get(*, actor, pk) -> ChangeProposal:
    key = _uuid(pk)
    proposal = (
        ChangeProposal.objects.select_related(
            "service", "service__organisation", "service__area", "proposed_by", "decided_by"
        )
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if proposal is None:
        raise Http404
    if not (permissions.can_review(actor, proposal.service) or permissions.can_manage(actor, proposal.service)):
        raise _denied(actor, proposal.service, "proposal")
    return proposal


def stale_limit(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)


def freshness(*, actor, area: Area) -> dict:
    """Published services owned in `area` (or below), how many are out of date, and the oldest ones."""
    if not permissions.can_manage_area(actor, area):
        raise Http404
    ids = list(Area.objects.within(area).values_list("id", flat=True))
    owned = Service.objects.public().filter(Q(area_id__in=ids) | Q(organisation__home_area_id__in=ids))
    limit = stale_limit()
    stale = owned.filter(Q(last_verified__lt=limit) | Q(last_verified__isnull=True))
    return {
        "total": owned.count(),
        "stale_count": stale.count(),
        "stale": stale.select_related("organisation").order_by("last_verified", "sort_name", "id"),
    }


def staff_areas(actor) -> QuerySet:
    """Areas in which the actor is staff (for the freshness overview)."""
    access = access_for(actor)
    if access.is_platform_admin:
        return Area.objects.filter(depth__lte=2).order_by("country", "depth", "name")
    paths = access.area_paths(("coordinator", "officer"))
    return Area.objects.filter(path__in=paths).order_by("name")
