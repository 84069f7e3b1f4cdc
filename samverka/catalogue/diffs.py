"""Field-by-field comparison of two service states, labelled for people (all languages)."""

from typing import Any

from django.utils.translation import gettext as _

from .forms import LABELS
from .models import LANGUAGE_NAMES, LOCALISED_FIELDS

OTHER_LABELS = {
    "kind": _("Kind"),
    "status": _("Status"),
    "min_age": _("Minimum age"),
    "max_age": _("Maximum age"),
    "fee": _("Cost"),
    "accepts_vouchers": _("Accepts service vouchers"),
    "access_mode": _("How to access"),
    "contact_name": _("Contact person"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "website": _("Website"),
    "categories": _("Categories"),
    "target_groups": _("Target groups"),
    "areas": _("Areas served"),
    "locations": _("Locations"),
    "languages": _("Languages offered"),
    "schedules": _("Schedules"),
}


def label(field: str) -> str:
    for base, _l, _m in LOCALISED_FIELDS:
        for code, language in LANGUAGE_NAMES.items():
            if field == f"{base}_{code}":
                return f"{LABELS[base]} ({language})"
    return str(OTHER_LABELS.get(field, field))


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(
                f"{v.get('rrule')} {v.get('opens_at')}–{v.get('closes_at')} ({_('from')} {v.get('dtstart')})"
                + (f" {_('not on')} {', '.join(v.get('exceptions') or [])}" if v.get("exceptions") else "")
                for v in value
            )
        return ", ".join(str(v) for v in value)
    return str(value)


def _comparable(field: str, value: Any) -> Any:
    if field == "schedules" and isinstance(value, list):
        return [{k: v for k, v in item.items() if k != "id"} for item in value]
    return value


def field_diff(before: dict, after: dict) -> list[dict[str, str]]:
    rows = []
    for field in after:
        if _comparable(field, before.get(field)) != _comparable(field, after.get(field)):
            rows.append(
                {
                    "field": field,
                    "label": label(field),
                    "before": _show(before.get(field)),
                    "after": _show(after.get(field)),
                }
            )
    return rows
