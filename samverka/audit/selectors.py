from django.db.models import QuerySet

from .models import AuditEvent


def audit_history(*, object_type: str, object_id) -> QuerySet[AuditEvent]:
    """The trail of one record, newest first. Callers check the actor may see the record first."""
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("-created_at")
