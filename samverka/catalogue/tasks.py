"""Background work of the catalogue: e-mails after commit, the daily reminder of out-of-date services, and the
HSDS import and search reindex handed to the worker (`import-hsds --background`, `reindex --background`).

Each task is safe to run twice: notifications read the current state, reminders are recorded per service and
month (StaleReminder) before they are sent, the HSDS import upserts every record by its id (a second run leaves
what the first wrote unchanged), and a reindex empties the index before filling it again.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.models import AreaRole, AreaRoleKind, OrganisationRole, OrganisationRoleKind
from samverka.areas.models import Area

from .models import ChangeProposal, ErrorReport, ProposalStatus, Service, ServiceStatus, StaleReminder

STALE_AFTER_DAYS = 365


def _base() -> str:
    return getattr(settings, "SAMVERKA_BASE_URL", "http://localhost:8000").rstrip("/")


def _owner_areas(service: Service) -> list[Area]:
    org = service.organisation
    if org is None:
        return [service.area] if service.area else []
    areas = list(org.areas.all())
    if org.home_area is not None:
        areas.append(org.home_area)
    return areas


def coordinator_emails(service: Service) -> list[str]:
    """E-mail addresses of the coordinators whose area covers the service's owner."""
    prefixes: set[str] = set()
    for area in _owner_areas(service):
        parts = [p for p in area.path.split("/") if p]
        prefixes.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    rows = AreaRole.objects.filter(role=AreaRoleKind.COORDINATOR, area__path__in=prefixes, user__is_active=True)
    return sorted(set(rows.values_list("user__email", flat=True)))


def organisation_admin_emails(service: Service) -> list[str]:
    if service.organisation_id is None:
        return []
    rows = OrganisationRole.objects.filter(
        organisation_id=service.organisation_id, role=OrganisationRoleKind.ADMIN, user__is_active=True
    )
    return sorted(set(rows.values_list("user__email", flat=True)))


def _send(recipients: list[str], subject: str, body: str) -> bool:
    if not recipients:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return True


@task()
def notify_proposal_created(proposal_id: str) -> bool:
    proposal = (
        ChangeProposal.objects.select_related("service__organisation", "service__area").filter(pk=proposal_id).first()
    )
    if proposal is None or proposal.status != ProposalStatus.PENDING:
        return False
    service = proposal.service
    url = _base() + reverse("catalogue:proposal_detail", args=[proposal.pk])
    return _send(
        coordinator_emails(service),
        _("Change to review: %(name)s") % {"name": service.display_name},
        _('%(owner)s proposes a change to the service "%(name)s". Review it here: %(url)s')
        % {"owner": service.organisation or service.area, "name": service.display_name, "url": url},
    )


@task()
def notify_proposal_decided(proposal_id: str) -> bool:
    proposal = ChangeProposal.objects.select_related("service", "proposed_by").filter(pk=proposal_id).first()
    if proposal is None or proposal.status == ProposalStatus.PENDING or proposal.proposed_by is None:
        return False
    name = proposal.service.display_name
    if proposal.status == ProposalStatus.APPROVED:
        subject = _("Your change is published: %(name)s") % {"name": name}
        body = _('The coordinator approved your change to "%(name)s"; it is now public.') % {"name": name}
    else:
        subject = _("Your change was not approved: %(name)s") % {"name": name}
        body = _('The coordinator did not approve your change to "%(name)s". Reason: %(reason)s') % {
            "name": name,
            "reason": proposal.reason,
        }
    return _send([proposal.proposed_by.email], subject, body)


@task()
def notify_error_report(report_id: str) -> bool:
    report = ErrorReport.objects.select_related("service__organisation", "service__area").filter(pk=report_id).first()
    if report is None:
        return False
    service = report.service
    recipients = sorted(set(organisation_admin_emails(service)) | set(coordinator_emails(service)))
    url = _base() + reverse("catalogue:service_detail", args=[service.pk])
    return _send(
        recipients,
        _("Error reported on %(name)s") % {"name": service.display_name},
        _("Someone reported an error on %(url)s:\n\n%(message)s\n\nReply to: %(email)s")
        % {"url": url, "message": report.message, "email": report.email or "-"},
    )


def stale_services(today: datetime.date | None = None):
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    from django.db.models import Q

    return Service.objects.filter(status=ServiceStatus.ACTIVE).filter(
        Q(last_verified__lt=limit) | Q(last_verified__isnull=True)
    )


@task()
def send_stale_reminders() -> int:
    """Daily: e-mail each organisation's admins its services not verified for 12 months, once a month each."""
    today = timezone.localdate()
    period = today.strftime("%Y-%m")
    by_org: dict = {}
    for service in (
        stale_services(today)
        .filter(organisation__isnull=False)
        .exclude(stale_reminders__period=period)
        .select_related("organisation")
    ):
        try:
            with transaction.atomic():
                StaleReminder.objects.create(service=service, period=period)
        except IntegrityError:
            continue  # another run took it
        by_org.setdefault(service.organisation_id, []).append(service)
    sent = 0
    for services in by_org.values():
        lines = "\n".join(
            f"- {s.display_name}: {_base()}{reverse('catalogue:service_edit', args=[s.pk])}" for s in services
        )
        if _send(
            organisation_admin_emails(services[0]),
            _("Please check your services in Samverka"),
            _('These services have not been verified for 12 months. Check them and press "Verify":\n%(lines)s')
            % {"lines": lines},
        ):
            sent += 1
    return sent


@task()
def import_hsds(path: str, language: str = "nb", area_id: str | None = None, format: str = "auto") -> dict:
    """`import-hsds --background`: the command checked the path and the area; the worker reads the file itself,
    so `path` is absolute and must be readable where the worker runs."""
    from .hsds_io import import_dataset, read_dataset  # not at the top: selectors import this module

    area = Area.objects.get(pk=area_id) if area_id else None
    report = import_dataset(read_dataset(Path(path), format), language=language, area=area)
    return {"counts": report.counts, "rejected": len(report.rejected), "warnings": len(report.warnings)}


@task()
def reindex() -> int:
    """`reindex --background`: rebuild the search index in one transaction (readers see the old index until the
    commit). Returns how many published services were indexed."""
    from .search.index import rebuild

    with transaction.atomic():
        return rebuild()
