"""Opening hours and recurring sessions as RFC 5545 RRULEs (python-dateutil), with exception dates."""

import datetime
from collections.abc import Mapping
from typing import Any

from dateutil import rrule as du
from django.utils.translation import gettext as _

WEEKDAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
MAX_RRULE = 500
MAX_EXCEPTIONS = 200


class ScheduleError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(str(errors))
        self.errors = errors


def _parse_date(value, field: str, errors: dict) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _parse_time(value, field: str, errors: dict) -> datetime.time | None:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a time as HH:MM."))
        return None


def parse_rule(rule: str, dtstart: datetime.date) -> du.rrule:
    """The dateutil rule of an RRULE string (without the "RRULE:" prefix), or ValueError."""
    rule = (rule or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    if not rule or len(rule) > MAX_RRULE or "\n" in rule or "DTSTART" in rule.upper():
        raise ValueError("bad rule")
    parsed = du.rrulestr(rule, dtstart=datetime.datetime.combine(dtstart, datetime.time()))
    if not isinstance(parsed, du.rrule) or parsed._freq > du.DAILY or parsed._interval < 1:
        # Hourly or finer repetitions are not opening hours or sessions.
        raise ValueError("unsupported frequency")
    return parsed


def clean_schedule(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated schedule values (kind, rrule, dtstart, opens_at, closes_at, exceptions, notes), or ScheduleError."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "opening_hours")
    if kind not in ("opening_hours", "session"):
        errors["kind"] = [_("Choose opening hours or recurring session.")]
    dtstart = _parse_date(data.get("dtstart"), "dtstart", errors)
    opens_at = _parse_time(data.get("opens_at"), "opens_at", errors)
    closes_at = _parse_time(data.get("closes_at"), "closes_at", errors)
    if opens_at and closes_at and closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(_("The closing time must be after the opening time."))
    rule = str(data.get("rrule") or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    if dtstart:
        try:
            parse_rule(rule, dtstart)
        except (ValueError, TypeError, KeyError, OverflowError):
            errors.setdefault("rrule", []).append(
                _("Enter a repeat rule such as FREQ=WEEKLY;BYDAY=MO,WE (daily, weekly, monthly or yearly).")
            )
    raw_exceptions = data.get("exceptions") or []
    if isinstance(raw_exceptions, str):
        raw_exceptions = [p for p in raw_exceptions.replace(",", " ").split() if p]
    exceptions: list[str] = []
    if len(raw_exceptions) > MAX_EXCEPTIONS:
        errors.setdefault("exceptions", []).append(_("At most %(n)s exception dates.") % {"n": MAX_EXCEPTIONS})
    else:
        for value in raw_exceptions:
            parsed = _parse_date(value, "exceptions", errors)
            if parsed:
                exceptions.append(parsed.isoformat())
    notes = str(data.get("notes") or "").strip()
    if len(notes) > 300:
        errors["notes"] = [_("At most 300 characters.")]
    if errors:
        raise ScheduleError(errors)
    return {
        "kind": kind,
        "rrule": rule.upper(),
        "dtstart": dtstart,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "exceptions": sorted(set(exceptions)),
        "notes": notes,
    }


def weekdays_of(rule: str, dtstart: datetime.date) -> str:
    """ ",mo,we," — the weekdays on which the rule can fall (for the "open on" filter)."""
    parsed = parse_rule(rule, dtstart)
    days = set(parsed._byweekday or ()) | {wd[0] for wd in (parsed._bynweekday or ())}
    if not days:
        # Weekly rules repeat dtstart's weekday; daily, monthly and yearly ones can fall on any day.
        days = {dtstart.weekday()} if parsed._freq == du.WEEKLY else set(range(7))
    return "," + ",".join(WEEKDAY_CODES[d] for d in sorted(days)) + ","


def next_occurrences(schedule, after: datetime.date, count: int = 5) -> list[datetime.date]:
    """The next dates the schedule happens on or after `after`, skipping its exception dates."""
    try:
        parsed = parse_rule(schedule.rrule, schedule.dtstart)
    except (ValueError, TypeError, KeyError, OverflowError):
        return []
    skip = set(schedule.exceptions or [])
    found: list[datetime.date] = []
    start = datetime.datetime.combine(max(after, schedule.dtstart), datetime.time())
    for occurrence in parsed.xafter(start, inc=True, count=count + len(skip)):
        day = occurrence.date()
        if day.isoformat() not in skip:
            found.append(day)
        if len(found) >= count:
            break
    return found


def describe(schedule) -> str:
    """Human-readable weekdays of a schedule, e.g. "Monday, Wednesday"."""
    from django.utils.dates import WEEKDAYS

    days = [d for d in schedule.weekdays.strip(",").split(",") if d]
    names = [str(WEEKDAYS[WEEKDAY_CODES.index(d)]) for d in days if d in WEEKDAY_CODES]
    return ", ".join(names)
