"""Budget periods of a personal budget (month, quarter, year): which period a day falls in, and its name."""

import datetime

from django.utils.translation import gettext as _

from .models import BudgetPeriod


def period_of(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, first day of the next period) of the period `day` falls in."""
    if period == BudgetPeriod.MONTH:
        start = day.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    elif period == BudgetPeriod.QUARTER:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        end = (start + datetime.timedelta(days=95)).replace(day=1)
    elif period == BudgetPeriod.YEAR:
        start = day.replace(month=1, day=1)
        end = start.replace(year=start.year + 1)
    else:
        raise ValueError(f"unknown budget period {period!r}")
    return start, end


def period_name(period: str, day: datetime.date) -> str:
    """ "2026-03", "2026 Q1" or "2026": the period `day` falls in, as the pages and messages name it."""
    start, _end = period_of(period, day)
    if period == BudgetPeriod.MONTH:
        return f"{start:%Y-%m}"
    if period == BudgetPeriod.QUARTER:
        return _("%(year)s Q%(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return str(start.year)
