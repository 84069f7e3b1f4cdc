"""The editable state of a service as plain data, its validation, and applying it to the database.

The same shape is used by forms, the API, change proposals (`data`), audit diffs and the review page.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from samverka.areas.models import Area
from samverka.audit.services import snapshot
from samverka.core.errors import ValidationError
from samverka.registry.models import TargetGroup

from .. import schedules as sched
from ..models import (
    CONTENT_LANGUAGES,
    FALLBACK_ORDER,
    LOCALISED_FIELDS,
    OFFERED_LANGUAGES,
    AccessMode,
    Fee,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceKind,
    ServiceLanguage,
    ServiceStatus,
    TaxonomyTerm,
)

LOCALISED = tuple(f"{f}_{code}" for code in CONTENT_LANGUAGES for f, _label, _max in LOCALISED_FIELDS)
MAX_LENGTHS = {f"{f}_{code}": m or 20_000 for code in CONTENT_LANGUAGES for f, _label, m in LOCALISED_FIELDS}
SCALARS = (
    *LOCALISED,
    "kind",
    "min_age",
    "max_age",
    "fee",
    "accepts_vouchers",
    "access_mode",
    "contact_name",
    "email",
    "phone",
    "website",
    "status",
)
RELATIONS = ("categories", "target_groups", "areas", "locations", "languages", "schedules")
FIELDS = (*SCALARS, *RELATIONS)
MAX_SCHEDULES = 30
MAX_AGE = 120
OFFERED_CODES = {code for code, _label in OFFERED_LANGUAGES}


def _schedule_state(s: Schedule) -> dict[str, Any]:
    return {
        "id": str(s.pk),
        "kind": s.kind,
        "rrule": s.rrule,
        "dtstart": s.dtstart.isoformat(),
        "opens_at": s.opens_at.strftime("%H:%M"),
        "closes_at": s.closes_at.strftime("%H:%M"),
        "exceptions": list(s.exceptions or []),
        "notes": s.notes,
        "location": str(s.location_id) if s.location_id else None,
    }


def service_state(service: Service) -> dict[str, Any]:
    """JSON-safe state of everything an editor can change (relations as sorted codes/ids)."""
    data = snapshot(service, SCALARS)
    data["categories"] = sorted(t.code for t in service.categories.all())
    data["target_groups"] = sorted(t.code for t in service.target_groups.all())
    data["areas"] = sorted(str(a.pk) for a in service.areas.all())
    data["locations"] = sorted(str(sal.location_id) for sal in service.service_at_locations.all())
    data["languages"] = sorted(lang.code for lang in service.languages.all())
    data["schedules"] = [_schedule_state(s) for s in service.schedules.all()]
    return data


def empty_state() -> dict[str, Any]:
    data: dict[str, Any] = dict.fromkeys(SCALARS, "")
    data.update(min_age=None, max_age=None, fee=Fee.FREE, accepts_vouchers=False, status=ServiceStatus.DRAFT)
    data.update({r: [] for r in RELATIONS})
    return data


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _age(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a whole number of years."))
        return None
    if not 0 <= age <= MAX_AGE:
        errors.setdefault(field, []).append(_("Enter an age between 0 and %(max)s.") % {"max": MAX_AGE})
        return None
    return age


def _codes(model, values, field: str, errors: dict, key: str = "code") -> list[str]:
    wanted = [str(v) for v in _as_list(values)]
    if not wanted:
        return []
    if key == "pk":
        try:
            wanted = [str(uuid.UUID(v)) for v in wanted]
        except ValueError:
            errors.setdefault(field, []).append(_("Choose from the list."))
            return []
    found = {str(v) for v in model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True)}
    missing = [v for v in wanted if v not in found]
    if missing:
        errors.setdefault(field, []).append(_("Unknown value: %(values)s.") % {"values": ", ".join(missing[:5])})
    return sorted(set(wanted) & found)


def _choice(value, choices, field: str, errors: dict, required: bool = True) -> str:
    value = str(value or "")
    if value in choices.values or (not required and value == ""):
        return value
    errors.setdefault(field, []).append(_("Choose one of the options."))
    return ""


def clean_state(data: Mapping[str, Any], *, organisation=None, area=None) -> dict[str, Any]:
    """A validated, normalised copy of `data` (every field of FIELDS), or a ValidationError naming each field."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}]
    out: dict[str, Any] = {}
    for field in LOCALISED:
        value = str(data.get(field) or "").strip()
        if len(value) > MAX_LENGTHS[field]:
            errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": MAX_LENGTHS[field]})
        out[field] = value
    if not any(out[f"name_{code}"] for code in FALLBACK_ORDER):
        errors.setdefault("name_nb", []).append(_("Give the service a name in at least one language."))
    out["kind"] = _choice(data.get("kind"), ServiceKind, "kind", errors)
    out["fee"] = _choice(data.get("fee") or Fee.FREE, Fee, "fee", errors)
    out["access_mode"] = _choice(data.get("access_mode"), AccessMode, "access_mode", errors)
    out["status"] = _choice(data.get("status") or ServiceStatus.DRAFT, ServiceStatus, "status", errors)
    out["accepts_vouchers"] = data.get("accepts_vouchers") in (True, "true", "on", "1", 1)
    out["min_age"] = _age(data.get("min_age"), "min_age", errors)
    out["max_age"] = _age(data.get("max_age"), "max_age", errors)
    if out["min_age"] is not None and out["max_age"] is not None and out["min_age"] > out["max_age"]:
        errors.setdefault("max_age", []).append(_("The maximum age must not be below the minimum age."))
    for field, limit in (("contact_name", 200), ("phone", 40), ("email", 254), ("website", 200)):
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": limit})
        out[field] = value
    try:
        if out["email"]:
            validate_email(out["email"])
    except DjangoValidationError:
        errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    try:
        if out["website"]:
            URLValidator(schemes=["http", "https"])(out["website"])
    except DjangoValidationError:
        errors.setdefault("website", []).append(_("Enter a web address starting with https://."))
    out["categories"] = _codes(TaxonomyTerm, data.get("categories"), "categories", errors)
    out["target_groups"] = _codes(TargetGroup, data.get("target_groups"), "target_groups", errors)
    out["areas"] = _codes(Area, data.get("areas"), "areas", errors, key="pk")
    out["locations"] = _clean_locations(data.get("locations"), organisation, area, errors)
    languages = sorted({str(v) for v in _as_list(data.get("languages"))})
    bad = [v for v in languages if v not in OFFERED_CODES]
    if bad:
        errors.setdefault("languages", []).append(_("Unknown value: %(values)s.") % {"values": ", ".join(bad[:5])})
    out["languages"] = [v for v in languages if v in OFFERED_CODES]
    out["schedules"] = _clean_schedules(data.get("schedules"), out["locations"], errors)
    if errors:
        raise ValidationError(_("Please correct the errors below."), errors)
    return out


def _clean_locations(values, organisation, area, errors: dict) -> list[str]:
    ids = _codes(Location, values, "locations", errors, key="pk")
    if ids:
        owned = Location.objects.filter(pk__in=ids)
        owned = owned.filter(organisation=organisation) if organisation is not None else owned.filter(area=area)
        if owned.count() != len(ids):
            errors.setdefault("locations", []).append(_("Choose locations of the same organisation."))
    return ids


def _clean_schedules(values, location_ids: list[str], errors: dict) -> list[dict[str, Any]]:
    items = values or []
    if not isinstance(items, list | tuple):
        errors.setdefault("schedules", []).append(_("Schedules must be a list."))
        return []
    if len(items) > MAX_SCHEDULES:
        errors.setdefault("schedules", []).append(_("At most %(n)s schedules.") % {"n": MAX_SCHEDULES})
        return []
    cleaned = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.setdefault(f"schedules.{i}", []).append(_("Not a schedule."))
            continue
        try:
            values_ = sched.clean_schedule(item)
        except sched.ScheduleError as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(f"schedules.{i}.{field}", []).extend(messages)
            continue
        location = str(item.get("location") or "") or None
        if location and location not in location_ids:
            errors.setdefault(f"schedules.{i}.location", []).append(_("Choose one of the service's locations."))
        values_["dtstart"] = values_["dtstart"].isoformat()
        values_["opens_at"] = values_["opens_at"].strftime("%H:%M")
        values_["closes_at"] = values_["closes_at"].strftime("%H:%M")
        values_["location"] = location
        values_["id"] = str(item.get("id") or "") or None
        cleaned.append(values_)
    return cleaned


def compute_sort_name(service: Service) -> str:
    return next((getattr(service, f"name_{c}") for c in FALLBACK_ORDER if getattr(service, f"name_{c}")), "")[:300]


def apply_state(service: Service, state: Mapping[str, Any]) -> None:
    """Write a cleaned state onto `service` and its relations, keeping the ids of rows that stay."""
    for field in SCALARS:
        setattr(service, field, state[field])
    service.sort_name = compute_sort_name(service)
    service.save()
    service.categories.set(TaxonomyTerm.objects.filter(code__in=state["categories"]))
    service.target_groups.set(TargetGroup.objects.filter(code__in=state["target_groups"]))
    service.areas.set(state["areas"])
    existing = {str(s.location_id): s for s in ServiceAtLocation.objects.filter(service=service)}
    ServiceAtLocation.objects.filter(service=service).exclude(location_id__in=state["locations"]).delete()
    for location_id in state["locations"]:
        if location_id not in existing:
            ServiceAtLocation.objects.create(service=service, location_id=location_id)
    ServiceLanguage.objects.filter(service=service).exclude(code__in=state["languages"]).delete()
    have = set(ServiceLanguage.objects.filter(service=service).values_list("code", flat=True))
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, code=c) for c in state["languages"] if c not in have]
    )
    _apply_schedules(service, state["schedules"])


def _apply_schedules(service: Service, items: list[dict[str, Any]]) -> None:
    current = {str(s.pk): s for s in Schedule.objects.filter(service=service)}
    keep = set()
    for item in items:
        schedule = current.get(item.get("id") or "") or _new_schedule(service, item.get("id"))
        for field in ("kind", "rrule", "dtstart", "opens_at", "closes_at", "exceptions", "notes"):
            setattr(schedule, field, item[field])
        schedule.location_id = item.get("location")
        schedule.weekdays = sched.weekdays_of(schedule.rrule, _date(item["dtstart"]))
        schedule.save()
        keep.add(str(schedule.pk))
    Schedule.objects.filter(service=service).exclude(pk__in=keep).delete()


def _new_schedule(service: Service, wanted_id) -> Schedule:
    """A new schedule; it takes `wanted_id` (an imported dataset's stable id) only when no schedule has it."""
    try:
        pk = uuid.UUID(str(wanted_id)) if wanted_id else None
    except ValueError:
        pk = None
    if pk is not None and not Schedule.objects.filter(pk=pk).exists():
        return Schedule(service=service, pk=pk)
    return Schedule(service=service)


def _date(value):
    import datetime

    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
