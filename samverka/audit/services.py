"""Writing the audit trail. Every service that changes data calls `audit_record` inside its transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from samverka.core import request_context

from .models import AccessEvent, AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_plain(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` on `instance`, as JSON-safe data, for before/after diffs."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system" if actor is None else "anonymous"}
    return {"actor": actor, "actor_label": actor.email}


def audit_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    area_id: Any = None,
    organisation_id: Any = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """The audit row for these arguments, not yet saved (`audit_record` saves it; the voucher claim statement
    inserts it together with the claim)."""
    ctx = request_context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
    return AuditEvent(
        **_actor_fields(actor),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=str(obj)[:300] if obj is not None else "",
        area_id=area_id,
        organisation_id=organisation_id,
        changes=_plain(changes or {}),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )


def audit_record(**kwargs: Any) -> AuditEvent:
    """Write one audit row (arguments as `audit_event`)."""
    event = audit_event(**kwargs)
    event.save(force_insert=True)
    return event


def access_record(
    *, actor, subject: models.Model, fields: Iterable[str], purpose: str = "", area_id=None
) -> AccessEvent:
    ctx = request_context.current()
    return AccessEvent.objects.create(
        **_actor_fields(actor),
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        fields=list(fields),
        purpose=purpose,
        area_id=area_id,
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
