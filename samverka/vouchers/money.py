"""Money as integer minor units (øre, öre, cent). NOK, SEK and EUR all have two decimals."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MINOR_PER_MAJOR = 100
MAX_MINOR = 10**15  # a quadrillion øre: far above any scheme, far below the 64-bit limit


class Currency(models.TextChoices):
    NOK = "NOK", gettext_lazy("Norwegian krone")
    SEK = "SEK", gettext_lazy("Swedish krona")
    EUR = "EUR", gettext_lazy("Euro")


class MoneyError(ValueError):
    pass


def to_minor(value) -> int:
    """Major units ("450", "450.5", Decimal) → minor units. More than two decimals or a float is refused."""
    if isinstance(value, float):
        raise MoneyError(_("Amounts must be given as text or decimals, not floating point numbers."))
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        raise MoneyError(_("Enter an amount such as 450 or 450.50.")) from None
    if not amount.is_finite():
        raise MoneyError(_("Enter an amount such as 450 or 450.50."))
    scaled = amount * MINOR_PER_MAJOR
    if scaled != scaled.to_integral_value():
        raise MoneyError(_("Amounts have at most two decimals."))
    minor = int(scaled)
    if abs(minor) > MAX_MINOR:
        raise MoneyError(_("The amount is too large."))
    return minor


def to_major(minor: int) -> Decimal:
    return (Decimal(minor) / MINOR_PER_MAJOR).quantize(Decimal("0.01"))


def fmt(minor: int, currency: str = "") -> str:
    text = f"{to_major(minor):,.2f}".replace(",", "\u00a0")
    return f"{text} {currency}".strip()


def times(units: Decimal, price_minor: int) -> int:
    """units × price, rounded half up to a whole minor unit."""
    return int((Decimal(units) * price_minor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(minor: int, percent: Decimal) -> int:
    return int((Decimal(minor) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
