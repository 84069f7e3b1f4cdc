"""Decisions: issue a voucher or personal budget, choose or change its provider, cancel, lapse."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_event, audit_record, diff, snapshot
from samverka.core.errors import ConflictError, NotFound

from .. import ledger, permissions
from ..models import (
    AccountKind,
    AccreditationStatus,
    BudgetLine,
    CopaymentKind,
    LedgerAccount,
    SchemeKind,
    SchemeStatus,
    TransactionKind,
    Voucher,
    VoucherStatus,
)
from ..money import fmt, times
from .common import decimal_field, invalid, money_field
from .links import choice_link_open

VOUCHER_FIELDS = (
    "status",
    "provider_id",
    "value_minor",
    "units",
    "valid_from",
    "valid_to",
    "copayment_percent",
    "status_reason",
    "budget_period",
    "period_amount_minor",
)


def copayment_percent_for(scheme, income) -> Decimal:
    """The resident's share of the price from the scheme's income table (income in major units per year)."""
    income = Decimal(str(income))
    for band in scheme.copayment_table:
        if band["income_up_to"] is None or income <= band["income_up_to"]:
            return Decimal(band["percent"])
    return Decimal(0)


def _within(area, inner) -> bool:
    return inner.path.startswith(area.path)


def voucher_issue(
    *,
    actor,
    scheme,
    resident,
    valid_from: datetime.date,
    valid_to: datetime.date,
    units=None,
    amount=None,
    income=None,
    budget_lines=(),
    provider=None,
    amount_per_period=None,
) -> Voucher:
    """Record a decision: moves the voucher's value from the scheme budget to a new voucher account. A personal
    budget of a scheme with a budget period may have an amount per period: what can be claimed for each period."""
    if not permissions.is_voucher_officer(actor, scheme.area) or not _within(scheme.area, resident.area):
        raise NotFound(_("Not found."))
    if scheme.status != SchemeStatus.OPEN:
        raise ConflictError(_("This scheme is closed; no new vouchers can be issued."))
    if resident.erased_at:
        raise ConflictError(_("This resident's data has been erased."))
    errors: dict[str, list[str]] = {}
    value = None
    if scheme.kind == SchemeKind.UNIT_VOUCHER:
        units = decimal_field(errors, "units", units)
        if units is not None:
            value = times(units, scheme.price_ceiling_minor)
    else:
        units = None
        value = money_field(errors, "amount", amount)
    lines = []
    for i, (label, line_amount) in enumerate(budget_lines or ()):
        minor = money_field(errors, f"budget_lines.{i}", line_amount)
        if not str(label).strip():
            errors.setdefault(f"budget_lines.{i}", []).append(_("Name the budget line."))
        elif minor:
            lines.append((str(label).strip()[:200], minor))
    per_period = None
    if amount_per_period not in (None, ""):
        if scheme.kind != SchemeKind.PERSONAL_BUDGET or not scheme.budget_period:
            errors.setdefault("amount_per_period", []).append(
                _("Only a personal budget in a scheme with a budget period has an amount per period.")
            )
        else:
            per_period = money_field(errors, "amount_per_period", amount_per_period)
            if per_period is not None and value is not None and per_period > value:
                errors.setdefault("amount_per_period", []).append(
                    _("The amount per period cannot be above the budget's amount.")
                )
    if lines and value is not None and sum(m for _l, m in lines) != value:
        errors.setdefault("budget_lines", []).append(_("The budget lines must add up to the amount."))
    if not valid_from:
        errors.setdefault("valid_from", []).append(_("This field is required."))
    if not valid_to:
        errors.setdefault("valid_to", []).append(_("This field is required."))
    if valid_from and valid_to:
        if valid_to < valid_from:
            errors.setdefault("valid_to", []).append(_("The end date must not be before the start date."))
        if valid_from < scheme.valid_from or (scheme.valid_to and valid_to > scheme.valid_to):
            errors.setdefault("valid_to", []).append(_("The voucher must lie within the scheme's validity."))
    percent = Decimal(0)
    if scheme.copayment_kind == CopaymentKind.INCOME:
        no_income = income in (None, "", 0, "0")
        income_value = Decimal(0) if no_income else decimal_field(errors, "income", income)
        if income_value is not None:
            percent = copayment_percent_for(scheme, income_value)
    if provider is not None and (provider.scheme_id != scheme.pk or provider.status != AccreditationStatus.APPROVED):
        errors.setdefault("provider", []).append(_("Choose a provider approved for this scheme."))
    if errors or value is None:
        raise invalid(errors)
    with transaction.atomic():
        budget = LedgerAccount.objects.select_for_update().get(scheme=scheme, kind=AccountKind.SCHEME_BUDGET)
        if value > budget.balance_minor:
            raise ConflictError(
                _("The scheme budget has %(left)s left; this decision needs %(value)s.")
                % {"left": fmt(budget.balance_minor, scheme.currency), "value": fmt(value, scheme.currency)}
            )
        account = LedgerAccount.objects.create(
            scheme=scheme, kind=AccountKind.VOUCHER, currency=scheme.currency, label=f"{scheme.name}: voucher"
        )
        voucher = Voucher.objects.create(
            scheme=scheme,
            resident=resident,
            units=units,
            value_minor=value,
            valid_from=valid_from,
            valid_to=valid_to,
            provider=provider,
            copayment_percent=percent,
            account=account,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            budget_period=scheme.budget_period if per_period is not None else "",
            period_amount_minor=per_period,
        )
        account.label = f"{scheme.name}: {voucher}"
        account.save(update_fields=["label", "updated_at"])
        budget_lines = BudgetLine.objects.bulk_create(
            [BudgetLine(voucher=voucher, label=text, amount_minor=m) for text, m in lines]
        )
        # With budget lines, the voucher's value is posted as one entry per line (the per-line sub-ledger).
        credit = [(account, line.amount_minor, line) for line in budget_lines] or [(account, value, None)]
        ledger.post(
            kind=TransactionKind.ISSUE,
            scheme=scheme,
            voucher=voucher,
            actor=actor,
            memo="Voucher issued",
            lines=[*credit, (budget, -value, None)],
        )
        audit_record(
            actor=actor,
            action="vouchers.voucher.issue",
            obj=voucher,
            area_id=scheme.area_id,
            changes=diff({}, snapshot(voucher, VOUCHER_FIELDS)),
        )
    return voucher


def locking_vouchers():
    """Vouchers with scheme, account and provider, the voucher and account rows locked by the one statement that
    reads them (PostgreSQL; NO KEY UPDATE, so new entries and claims can still reference them). Every change to a
    voucher locks through this query, so the locks are always taken in the same order, and the rows read are the
    ones locked (a second read after the lock is not needed). SQLite's IMMEDIATE transactions have one writer."""
    return Voucher.objects.select_related("scheme", "account", "provider").select_for_update(
        of=("self", "account"), no_key=True
    )


def _locked(voucher) -> Voucher:
    return locking_vouchers().get(pk=voucher.pk)


RESIDENT_VIA_LINK = "resident (choice link)"


def voucher_choose_provider(*, actor, voucher, accreditation, link_token: str | None = None) -> Voucher:
    """The resident chooses or changes the provider — through their signed link (`link_token`; no account, the
    actor is None) or an officer on their behalf; the remaining value follows."""
    nonce = None
    if link_token is not None:
        linked, nonce = choice_link_open(link_token)
        if linked.pk != voucher.pk:
            raise NotFound(_("Not found."))
    elif not permissions.is_voucher_officer(actor, voucher.scheme.area):
        raise NotFound(_("Not found."))
    if accreditation.scheme_id != voucher.scheme_id or accreditation.status != AccreditationStatus.APPROVED:
        raise invalid({"provider": [_("Choose a provider approved for this scheme.")]})
    with transaction.atomic():
        current = _locked(voucher)
        if current.status != VoucherStatus.ACTIVE:
            raise ConflictError(_("Only an active voucher can change provider."))
        if nonce is not None and current.choice_link_nonce != nonce:
            raise ConflictError(_("This link has been replaced by a newer one; nothing was changed."))
        if current.provider_id == accreditation.pk:
            return current
        before = snapshot(current, VOUCHER_FIELDS)
        current.provider = accreditation
        current.save(update_fields=["provider", "updated_at"])
        event = audit_event(
            actor=actor,
            action="vouchers.voucher.choose_provider",
            obj=current,
            area_id=current.scheme.area_id,
            organisation_id=accreditation.organisation_id,
            changes={
                **diff(before, snapshot(current, VOUCHER_FIELDS)),
                "remaining": fmt(current.account.balance_minor, current.scheme.currency),
                "via": "resident link" if nonce is not None else "officer",
            },
        )
        if nonce is not None:
            event.actor_label = RESIDENT_VIA_LINK
        event.save(force_insert=True)
    return current


def _return_remainder(*, actor, voucher, status: str, kind: str, reason: str) -> tuple[Voucher, bool]:
    current = _locked(voucher)
    if current.status != VoucherStatus.ACTIVE:
        return current, False
    before = snapshot(current, VOUCHER_FIELDS)
    remaining = current.account.balance_minor
    if remaining:
        budget = LedgerAccount.objects.get(scheme=current.scheme, kind=AccountKind.SCHEME_BUDGET)
        by_line = ledger.budget_line_balances(current)
        lines = {line.pk: line for line in current.budget_lines.all()}
        debit: list[tuple[LedgerAccount, int, BudgetLine | None]] = [
            (current.account, -left, lines[pk]) for pk, left in by_line.items() if left
        ]
        ledger.post(
            kind=kind,
            scheme=current.scheme,
            voucher=current,
            actor=actor,
            memo=reason[:300],
            lines=[*(debit or [(current.account, -remaining, None)]), (budget, remaining, None)],
        )
    current.status, current.status_reason = status, reason[:300]
    current.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=f"vouchers.voucher.{status}",
        obj=current,
        area_id=current.scheme.area_id,
        changes={
            **diff(before, snapshot(current, VOUCHER_FIELDS)),
            "returned": fmt(remaining, current.scheme.currency),
        },
    )
    return current, True


def voucher_cancel(*, actor, voucher, reason: str) -> Voucher:
    if not permissions.is_voucher_officer(actor, voucher.scheme.area):
        raise NotFound(_("Not found."))
    if not (reason or "").strip():
        raise invalid({"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        current, changed = _return_remainder(
            actor=actor,
            voucher=voucher,
            status=VoucherStatus.CANCELLED,
            kind=TransactionKind.CANCEL,
            reason=reason.strip(),
        )
        if not changed:
            raise ConflictError(_("Only an active voucher can be cancelled."))
    return current


def voucher_lapse(*, voucher, today: datetime.date | None = None) -> bool:
    """Lapse an expired voucher and return its remainder to the scheme budget. Safe to repeat: True once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Voucher.objects.select_related("scheme").get(pk=voucher.pk)
        if current.status != VoucherStatus.ACTIVE or current.valid_to >= today:
            return False
        _current, changed = _return_remainder(
            actor=None,
            voucher=current,
            status=VoucherStatus.LAPSED,
            kind=TransactionKind.LAPSE,
            reason="Validity ended",
        )
        return changed
