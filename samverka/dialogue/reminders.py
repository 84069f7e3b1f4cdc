"""Overdue action items are reminded once per due date."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.models import OrganisationRole, OrganisationRoleKind
from samverka.audit.services import audit_record

from .models import OPEN_ACTION_STATUSES, ActionItem, ActionReminder


def _emails(action: ActionItem) -> list[str]:
    emails = [action.owner_user.email] if action.owner_user is not None else []
    if action.owner_organisation_id:
        emails += OrganisationRole.objects.filter(
            organisation_id=action.owner_organisation_id, role=OrganisationRoleKind.ADMIN
        ).values_list("user__email", flat=True)
    return sorted(set(emails))


def send_overdue_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    overdue = (
        ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due__lt=today)
        .select_related("owner_user", "forum")
        .exclude(reminders__due=F("due"))
    )
    sent = 0
    for action in overdue:
        due = action.due
        if due is None:  # excluded by the due__lt filter; narrows the type
            continue
        try:
            with transaction.atomic():
                ActionReminder.objects.create(action=action, due=due)
                audit_record(
                    actor=None,
                    action="action.reminder",
                    obj=action,
                    area_id=action.forum.area_id,
                    changes={"due": due},
                )
        except IntegrityError:
            continue
        emails = _emails(action)
        if emails:
            send_mail(
                _("Overdue action: %(title)s") % {"title": action.title},
                _("The action “%(title)s” from %(forum)s was due on %(due)s.")
                % {"title": action.title, "forum": action.forum.name, "due": due.isoformat()},
                None,
                emails,
            )
        sent += 1
    return sent
