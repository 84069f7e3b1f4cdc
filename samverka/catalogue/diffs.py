"""Field-by-field comparison of two service states, labelled for people (all languages)."""

import uuid
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverka.areas.selectors import areas_by_id
from samverka.registry.reference import target_groups_cached

from .forms import LABELS
from .models import LANGUAGE_NAMES, LOCALISED_FIELDS, OFFERED_LANGUAGES, Location, TaxonomyTerm

OTHER_LABELS = {
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "min_age": gettext_lazy("Minimum age"),
    "max_age": gettext_lazy("Maximum age"),
    "fee": gettext_lazy("Cost"),
    "accepts_vouchers": gettext_lazy("Accepts service vouchers"),
    "access_mode": gettext_lazy("How to access"),
    "contact_name": gettext_lazy("Contact person"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "website": gettext_lazy("Website"),
    "categories": gettext_lazy("Categories"),
    "target_groups": gettext_lazy("Target groups"),
    "areas": gettext_lazy("Areas served"),
    "locations": gettext_lazy("Locations"),
    "languages": gettext_lazy("Languages offered"),
    "schedules": gettext_lazy("Schedules"),
}


def label(field: str) -> str:
    for base, _l, _m in LOCALISED_FIELDS:
        for code, language in LANGUAGE_NAMES.items():
            if field == f"{base}_{code}":
                return f"{LABELS[base]} ({language})"
    return str(OTHER_LABELS.get(field, field))


def _ids(states: tuple[dict, ...], field: str) -> set[str]:
    return {str(v) for state in states for v in (state.get(field) or [])}


def _uuid_key(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _names(*states: dict) -> dict[str, dict[str, str]]:
    """For each list field, the people's name of every id or code in the states compared (one query per kind)."""
    areas = areas_by_id()
    place_ids = _ids(states, "locations") | {
        str(item["location"])
        for state in states
        for item in (state.get("schedules") or [])
        if isinstance(item, dict) and item.get("location")
    }
    places = Location.objects.filter(pk__in=[k for k in map(_uuid_key, place_ids) if k]) if place_ids else []
    codes = _ids(states, "categories")
    terms = TaxonomyTerm.objects.filter(code__in=codes) if codes else []
    return {
        "areas": {
            value: areas[key].display_name
            for value in _ids(states, "areas")
            if (key := _uuid_key(value)) is not None and key in areas
        },
        "locations": {str(place.pk): place.name for place in places},
        "categories": {term.code: term.display_name for term in terms},
        "target_groups": {group.code: group.display_name for group in target_groups_cached()},
        "languages": {code: str(name) for code, name in OFFERED_LANGUAGES},
    }


def _schedule(item: dict, places: dict[str, str]) -> str:
    # Each word its own call outside the f-strings, so that makemessages finds it.
    word_from, word_at, word_not_on = _("from"), _("at"), _("not on")
    text = f"{item.get('rrule')} {item.get('opens_at')}–{item.get('closes_at')} ({word_from} {item.get('dtstart')})"
    if item.get("location"):
        text += f" {word_at} {places.get(str(item['location']), item['location'])}"
    if item.get("exceptions"):
        text += f" {word_not_on} {', '.join(item.get('exceptions') or [])}"
    return text


def _show(value: Any, names: dict[str, str] | None = None, places: dict[str, str] | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(_schedule(v, places or {}) for v in value)
        names = names or {}
        return ", ".join(names.get(str(v), str(v)) for v in value)
    return str(value)


def _comparable(field: str, value: Any) -> Any:
    if field == "schedules" and isinstance(value, list):
        return [{k: v for k, v in item.items() if k != "id"} for item in value]
    return value


def field_diff(before: dict, after: dict) -> list[dict[str, str]]:
    """Rows of the fields that differ, ids and codes shown by their names (areas, places, categories…)."""
    rows = []
    names = _names(before, after)
    for field in after:
        if _comparable(field, before.get(field)) != _comparable(field, after.get(field)):
            rows.append(
                {
                    "field": field,
                    "label": label(field),
                    "before": _show(before.get(field), names.get(field), names["locations"]),
                    "after": _show(after.get(field), names.get(field), names["locations"]),
                }
            )
    return rows
