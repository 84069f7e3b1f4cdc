"""Duration rules: long-term commitments should not be shorter than the configured minimum."""

from django.conf import settings
from django.utils.translation import gettext as _

from .models import LONG_TERM_KINDS, Agreement


def min_years() -> int:
    return int(getattr(settings, "AGREEMENT_MIN_YEARS", 5))


def years_between(starts, ends) -> float:
    return (ends - starts).days / 365.25


def duration_warning(agreement: Agreement) -> str:
    """A warning when a service contract or partnership is shorter than the minimum; "" otherwise."""
    if agreement.kind not in LONG_TERM_KINDS or not (agreement.starts and agreement.ends):
        return ""
    minimum = min_years()
    # A day's slack: 1 Jan 2025 – 31 Dec 2029 counts as five years.
    if (agreement.ends - agreement.starts).days + 1 >= minimum * 365:
        return ""
    return _(
        "This agreement runs for %(years).1f years, shorter than the recommended minimum of %(minimum)d years "
        "for service contracts and partnerships. Short periods make it hard for organisations to plan."
    ) % {"years": years_between(agreement.starts, agreement.ends), "minimum": minimum}
