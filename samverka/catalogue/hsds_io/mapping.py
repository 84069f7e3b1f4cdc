"""From one HSDS service object to Samverka's service state, locations and schedules (no database writes)."""

import datetime
import re
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .. import hsds
from .. import schedules as sched
from ..models import CONTENT_LANGUAGES, OFFERED_LANGUAGES, AccessMode, Fee, ServiceKind

OFFERED = {code for code, _label in OFFERED_LANGUAGES}
# ISO 639-2/3 codes HSDS publishers often use → Samverka's codes.
THREE_LETTER = {
    "nor": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "fin": "fi", "eng": "en", "sme": "se", "dan": "da",
    "ara": "ar", "som": "so", "tir": "ti", "fas": "fa", "per": "fa", "ukr": "uk", "rus": "ru", "pol": "pl",
    "est": "et", "spa": "es", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "tur": "tr",
}  # fmt: skip
STATUS = {"active": "active", "inactive": "inactive", "defunct": "inactive", "temporarily closed": "inactive"}
RRULE_FIELDS = ("freq", "interval", "byday", "bymonthday", "byweekno", "byyearday", "until", "count", "wkst")
OUR_DESCRIPTION = re.compile(
    r"^RRULE:(?P<rule>[^;]+(?:;[A-Z]+=[^;]*)*)(?:; EXDATE (?P<ex>[\d\- ]+))?(?:; KIND (?P<kind>\w+))?$"
)


def text(value: Any, limit: int | None = None) -> str:
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


@cache
def access_mode_labels() -> frozenset[str]:
    """How access modes read in every content language: an export gives one when no "how to start" text exists."""
    labels: set[str] = set()
    for code in CONTENT_LANGUAGES:
        with translation.override(code):
            labels.update(str(label) for label in AccessMode.labels)
    return frozenset(labels)


def application_process(service: dict) -> str:
    value = text(service.get("application_process"))
    return "" if value in access_mode_labels() else value


def language_code(raw: Any) -> str | None:
    code = text(raw).lower().replace("_", "-")
    code = {"no": "nb", "nb-no": "nb", "nn-no": "nn"}.get(code, code)
    code = THREE_LETTER.get(code, code)
    return code if code in OFFERED else None


def facets(service: dict) -> dict[str, Any]:
    """Kind, access mode, fee and vouchers from Samverka's facet attributes, else guessed from the texts."""
    found: dict[str, Any] = {}
    ids = {hsds.facet_term_id(f): f for f in hsds.FACETS}
    for attribute in service.get("attributes") or []:
        facet = ids.get(str(attribute.get("taxonomy_term_id") or ""))
        if facet:
            found[facet] = text(attribute.get("value"))
    if found.get("kind") not in ServiceKind.values:
        found["kind"] = ServiceKind.ADVICE
    if found.get("access_mode") not in AccessMode.values:
        process = text(service.get("application_process")).lower()
        found["access_mode"] = (
            AccessMode.REFERRAL
            if "referral" in process or "henvis" in process
            else AccessMode.BOOKING
            if "appointment" in process or "book" in process or "time" in process
            else AccessMode.DROP_IN
        )
    if found.get("fee") not in Fee.values:
        paid = any(_positive(c.get("amount")) for c in service.get("cost_options") or [])
        found["fee"] = Fee.COST if paid or text(service.get("fees_description")) else Fee.FREE
    found["accepts_vouchers"] = found.get("accepts_vouchers") == "true"
    return found


def _positive(value: Any) -> bool:
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


def category_refs(service: dict) -> list[dict]:
    """Taxonomy terms the service is filed under (not Samverka's own facets)."""
    facet_ids = {hsds.facet_term_id(f) for f in hsds.FACETS}
    refs = []
    for attribute in service.get("attributes") or []:
        term_id = text(attribute.get("taxonomy_term_id"))
        if term_id and term_id not in facet_ids:
            refs.append({**(attribute.get("taxonomy_term") or {}), "id": term_id})
    return refs


def _rule_date(value: Any) -> str:
    raw = text(value).replace("-", "")
    return raw[:8] if raw[:8].isdigit() else ""


def schedule_values(item: dict, warnings: list[str]) -> dict[str, Any] | None:
    """A schedule as Samverka stores it, or None (with a warning) when it cannot be one."""
    description = text(item.get("description"))
    match = OUR_DESCRIPTION.match(description)
    kind, notes = "opening_hours", text(item.get("notes"), 300)
    exceptions: list[str] = []
    if match:
        rule = match.group("rule")
        exceptions = (match.group("ex") or "").split()
        kind = match.group("kind") or kind
    else:
        parts = []
        for key in RRULE_FIELDS:
            value = text(item.get(key))
            if key == "until":
                value = _rule_date(value)
            if value:
                parts.append(f"{key.upper()}={value.upper()}")
        rule = ";".join(parts)
        if description and not notes:
            notes = description[:300]
    dtstart = text(item.get("dtstart") or item.get("valid_from"))[:10] or datetime.date.today().isoformat()
    data = {
        "kind": kind if kind in ("opening_hours", "session") else "opening_hours",
        "rrule": rule,
        "dtstart": dtstart,
        "opens_at": text(item.get("opens_at"))[:5],
        "closes_at": text(item.get("closes_at"))[:5],
        "exceptions": exceptions,
        "notes": notes,
    }
    try:
        sched.clean_schedule(data)
    except sched.ScheduleError as exc:
        reasons = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.errors.items())
        warnings.append(_("schedule %(id)s left out (%(reasons)s)") % {"id": item.get("id"), "reasons": reasons})
        return None
    return {**data, "id": text(item.get("id")) or None}


def location_values(location: dict) -> dict[str, Any]:
    """Location fields (for services.locations' validation) from an HSDS location with its addresses."""
    address = (location.get("addresses") or [{}])[0] or {}
    street = ", ".join(p for p in (text(address.get("address_1")), text(address.get("address_2"))) if p)
    postal = text(address.get("postal_code"))
    return {
        "name": text(location.get("name")) or street or text(address.get("city")) or "—",
        "street_address": street,
        "postal_code": "" if postal == "-" else postal,
        "city": text(address.get("city")),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "accessibility": "\n".join(
            text(a.get("description")) for a in location.get("accessibility") or [] if text(a.get("description"))
        ),
        "transportation": text(location.get("transportation")),
    }
