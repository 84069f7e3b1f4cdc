"""Residents' "report an error" on a public service page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ValidationError

from ..models import ErrorReport, Service
from .writes import _audit_ids

MIN_MESSAGE, MAX_MESSAGE = 5, 4000


def error_report_create(*, actor, service: Service, message: str, email: str = "") -> ErrorReport:
    """Store the report and tell the organisation's admins and the area's coordinators (after commit)."""
    message, email = (message or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not MIN_MESSAGE <= len(message) <= MAX_MESSAGE:
        errors["message"] = [
            _("Describe what is wrong in %(min)s to %(max)s characters.") % {"min": MIN_MESSAGE, "max": MAX_MESSAGE}
        ]
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(_("Please correct the errors below."), errors)
    with transaction.atomic():
        report = ErrorReport.objects.create(service=service, message=message, email=email)
        audit_record(
            actor=actor,
            action="catalogue.error_report.created",
            obj=service,
            changes={"report": str(report.pk), "message": message[:500]},
            **_audit_ids(service),
        )
        from ..tasks import notify_error_report

        transaction.on_commit(lambda: notify_error_report.enqueue(str(report.pk)))
    return report
