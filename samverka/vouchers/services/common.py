"""Helpers shared by the voucher services."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import NotFound, ValidationError

from ..money import MoneyError, to_minor


def invalid(errors: Mapping[str, list[str]], detail: str | None = None) -> ValidationError:
    return ValidationError(detail or _("Please correct the errors below."), {k: list(v) for k, v in errors.items()})


def full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationError.from_django(exc) from None


def money_field(errors: dict, field: str, value, *, required: bool = True, positive: bool = True) -> int | None:
    """Major units → minor units, collecting a field message instead of raising."""
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    try:
        minor = to_minor(value)
    except MoneyError as exc:
        errors.setdefault(field, []).append(str(exc))
        return None
    if positive and minor <= 0:
        errors.setdefault(field, []).append(_("Enter an amount above zero."))
        return None
    if minor < 0:
        errors.setdefault(field, []).append(_("The amount cannot be negative."))
        return None
    return minor


def decimal_field(errors: dict, field: str, value, *, required: bool = True, places: int = 2) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number such as 2 or 1.5."))
        return None
    if not number.is_finite() or number <= 0:
        errors.setdefault(field, []).append(_("Enter a number above zero."))
        return None
    # The size first: quantize cannot represent numbers with more digits than the decimal context holds.
    if number >= Decimal(10) ** 8:
        errors.setdefault(field, []).append(_("The number is too large."))
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        errors.setdefault(field, []).append(_("Use at most two decimals."))
        return None
    return number


def denied(actor, obj, *, area_id=None, organisation_id=None, purpose: str = "") -> NotFound:
    """Audit an attempt to reach another area's or organisation's object; the caller raises what we return.
    Call it OUTSIDE transaction.atomic(), or the audit row would be rolled back with the refused work."""
    audit_record(
        actor=actor,
        action="access.denied",
        obj=obj,
        area_id=area_id,
        organisation_id=organisation_id,
        changes={"purpose": purpose},
    )
    return NotFound(_("Not found."))
