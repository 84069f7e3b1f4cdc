"""Reminders before review dates and before end dates without a renewal decision. Each fires once."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.models import AreaRole, AreaRoleKind
from samverka.audit.services import audit_record

from .models import IN_FORCE, Agreement, Reminder, ReminderKind, RenewalDecision


def review_days() -> int:
    return int(getattr(settings, "AGREEMENT_REVIEW_REMINDER_DAYS", 30))


def end_days() -> int:
    return int(getattr(settings, "AGREEMENT_END_REMINDER_DAYS", 180))


def _recipients(agreement: Agreement) -> list[str]:
    paths = [agreement.area.path[: i + 1] for i, ch in enumerate(agreement.area.path) if ch == "/" and i > 0]
    coordinators = AreaRole.objects.filter(
        area__path__in=paths, role=AreaRoleKind.COORDINATOR, user__is_active=True
    ).values_list("user__email", flat=True)
    signatories = agreement.parties.values_list("signatories__user__email", flat=True)
    return sorted({e for e in [*coordinators, *signatories] if e})


def _due(today: datetime.date):
    base = Agreement.objects.filter(status__in=IN_FORCE).select_related("area")
    review = base.filter(review_date__gte=today, review_date__lte=today + datetime.timedelta(days=review_days()))
    ending = base.filter(
        renewal_decision=RenewalDecision.NONE, ends__gte=today, ends__lte=today + datetime.timedelta(days=end_days())
    )
    yield from ((a, ReminderKind.REVIEW, a.review_date) for a in review)
    yield from ((a, ReminderKind.END, a.ends) for a in ending)


def send_due_reminders(today: datetime.date | None = None) -> int:
    """Send every reminder that is due and not yet sent; returns how many were sent. Safe to run again."""
    today = today or timezone.localdate()
    sent = 0
    for agreement, kind, due in _due(today):
        if Reminder.objects.filter(agreement=agreement, kind=kind, due_date=due).exists():
            continue
        recipients = _recipients(agreement)
        try:
            with transaction.atomic():
                Reminder.objects.create(agreement=agreement, kind=kind, due_date=due, recipients=len(recipients))
                audit_record(
                    actor=None,
                    action=f"agreement.reminder_{kind}",
                    obj=agreement,
                    area_id=agreement.area_id,
                    changes={"due": due, "recipients": len(recipients)},
                )
        except IntegrityError:
            continue  # another worker sent it first
        if kind == ReminderKind.REVIEW:
            subject = _("Review due: %(title)s") % {"title": agreement.title}
            body = _("The agreement “%(title)s” is due for its review on %(date)s.")
        else:
            subject = _("Agreement ends soon: %(title)s") % {"title": agreement.title}
            body = _("The agreement “%(title)s” ends on %(date)s and no renewal decision has been made.")
        if recipients:
            send_mail(subject, body % {"title": agreement.title, "date": due.isoformat()}, None, recipients)
        sent += 1
    return sent
