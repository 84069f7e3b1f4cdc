"""The audit trail in people's words, for history pages: what happened to which kind of record, field labels and
values in the reader's language (the stored rows keep codes, field names and ids, which stay exact)."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent

VERBS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("removed"),
    "grant": gettext_lazy("granted"),
    "revoke": gettext_lazy("revoked"),
    "import": gettext_lazy("imported"),
}


@dataclass
class Change:
    label: str
    before: str | None = None
    after: str | None = None
    text: str | None = None  # a change that is not a before/after pair


@dataclass
class Row:
    event: AuditEvent
    what: str
    changes: list[Change] = field(default_factory=list)


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def _field(model, name: str) -> models.Field | None:
    """The model's own field `name` (a reverse relation such as an organisation's `years` is not one: None)."""
    try:
        found = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _what(event: AuditEvent) -> str:
    """ "Yearly figures: changed" from `organisation_year.update`; the code itself when it is not of that form."""
    kind, _dot, verb = event.action.rpartition(".")
    model = _model(event.object_type)
    if not kind or verb not in VERBS or model is None:
        return event.action
    return f"{capfirst(model._meta.verbose_name)}: {VERBS[verb]}"


def _coded_names(model_field: models.Field | None, memo: dict) -> dict[str, str]:
    """Display names by code of a relation's coded records (categories, target groups), read once per history."""
    related = getattr(model_field, "related_model", None)
    if related is None or _field(related, "code") is None:
        return {}
    if related not in memo:
        memo[related] = {str(o.code): str(getattr(o, "display_name", o)) for o in related.objects.all()}
    return memo[related]


def _value(value: Any, model_field: models.Field | None, areas: dict, memo: dict) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_value(v, model_field, areas, memo) for v in value) or "–"
    coded = _coded_names(model_field, memo)
    if str(value) in coded:
        return coded[str(value)]
    choices = dict(model_field.flatchoices) if model_field is not None and model_field.choices else {}
    if str(value) in choices:
        return str(choices[str(value)])
    try:
        area = areas.get(uuid.UUID(str(value)))
    except ValueError:
        area = None
    return area.display_name if area is not None else str(value)


def history_rows(events) -> list[Row]:
    """Each event with its action and changes put into words (areas named from the reference cache)."""
    from samverka.areas.selectors import areas_by_id

    areas = areas_by_id()
    memo: dict = {}
    rows = []
    for event in events:
        model = _model(event.object_type)
        changes = []
        for name, change in (event.changes or {}).items():
            model_field = _field(model, name)
            label = capfirst(model_field.verbose_name) if model_field is not None else name
            if isinstance(change, dict) and ("before" in change or "after" in change):
                before = change.get("before")
                changes.append(
                    Change(
                        str(label),
                        before=None if before in (None, "") else _value(before, model_field, areas, memo),
                        after=_value(change.get("after"), model_field, areas, memo),
                    )
                )
            else:
                changes.append(Change(str(label), text=_value(change, model_field, areas, memo)))
        rows.append(Row(event, _what(event), changes))
    return rows
