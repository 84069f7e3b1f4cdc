"""Schemes (with their ledger accounts and budget) and provider accreditation."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record, diff, snapshot
from samverka.core.errors import ConflictError, NotFound

from .. import ledger, permissions
from ..models import (
    AccountKind,
    Accreditation,
    AccreditationDocument,
    AccreditationStatus,
    CopaymentKind,
    LedgerAccount,
    LedgerTransaction,
    SchemeKind,
    SchemeStatus,
    TransactionKind,
    VoucherScheme,
)
from ..money import fmt
from .common import full_clean, invalid, money_field
from .documents import validate_documents

SCHEME_FIELDS = (
    "name",
    "description",
    "kind",
    "unit",
    "currency",
    "valid_from",
    "valid_to",
    "price_ceiling_minor",
    "budget_period",
    "copayment_kind",
    "copayment_fixed_minor",
    "copayment_table",
    "criteria",
    "provider_terms",
    "status",
    "category",
)
ACCREDITATION_FIELDS = (
    "status",
    "price_minor",
    "languages",
    "location",
    "accessibility",
    "quality_info",
    "decision_reason",
)
SCHEME_ACCOUNTS = (
    AccountKind.APPROPRIATION,
    AccountKind.SCHEME_BUDGET,
    AccountKind.COPAYMENT_RECEIVABLE,
    AccountKind.SETTLEMENT_CLEARING,
)


def _parse_table(errors: dict, rows) -> list[dict]:
    """Income bands, ascending; the last band has no upper limit."""
    table: list[dict] = []
    previous = -1
    for i, row in enumerate(rows or []):
        try:
            upper = row.get("income_up_to")
            upper = None if upper in (None, "") else int(Decimal(str(upper)))
            percent = Decimal(str(row.get("percent")))
        except (InvalidOperation, ValueError, TypeError, AttributeError):
            errors.setdefault("copayment_table", []).append(_("Row %(n)s is not valid.") % {"n": i + 1})
            return []
        if not (0 <= percent <= 100) or (upper is not None and upper <= previous):
            errors.setdefault("copayment_table", []).append(
                _("Row %(n)s: the share must be 0–100 %% and the incomes must rise.") % {"n": i + 1}
            )
            return []
        previous = upper if upper is not None else previous
        table.append({"income_up_to": upper, "percent": str(percent)})
    if not table or table[-1]["income_up_to"] is not None:
        errors.setdefault("copayment_table", []).append(
            _("An income-based co-payment needs a table whose last row has no upper income.")
        )
    return table


def scheme_create(*, actor, area, data: dict) -> VoucherScheme:
    """data: category (the catalogue's service category, a TaxonomyTerm), name, kind, currency, valid_from,
    price_ceiling (major units) and the optional scheme fields; budget (major units) funds the scheme budget at
    once."""
    if not permissions.is_voucher_officer(actor, area):
        raise NotFound(_("Not found."))
    errors: dict[str, list[str]] = {}
    ceiling = money_field(errors, "price_ceiling", data.get("price_ceiling"))
    fixed = money_field(errors, "copayment_fixed", data.get("copayment_fixed") or 0, positive=False)
    budget = money_field(errors, "budget", data.get("budget") or 0, positive=False)
    kind = data.get("kind")
    if not data.get("category"):  # required for new schemes; schemes made before keep working without one
        errors.setdefault("category", []).append(_("Choose the service category of the scheme."))
    if kind == SchemeKind.UNIT_VOUCHER and not data.get("unit"):
        errors.setdefault("unit", []).append(_("A voucher per unit needs its unit (hour, visit or day)."))
    if kind == SchemeKind.PERSONAL_BUDGET and not data.get("budget_period"):
        errors.setdefault("budget_period", []).append(_("A personal budget needs its period."))
    table = []
    if data.get("copayment_kind") == CopaymentKind.INCOME:
        table = _parse_table(errors, data.get("copayment_table"))
    if data.get("copayment_kind") == CopaymentKind.FIXED and not fixed:
        errors.setdefault("copayment_fixed", []).append(_("Enter the fixed co-payment."))
    criteria = [str(c).strip()[:300] for c in (data.get("criteria") or []) if str(c).strip()]
    scheme = VoucherScheme(  # type: ignore[misc]  # missing dates are reported by full_clean below
        area=area,
        category=data.get("category"),
        name=(data.get("name") or "").strip(),
        description=data.get("description") or "",
        kind=kind or "",
        unit=data.get("unit") or "",
        currency=data.get("currency") or "",
        valid_from=data.get("valid_from"),
        valid_to=data.get("valid_to"),
        price_ceiling_minor=ceiling or 1,
        budget_period=data.get("budget_period") or "",
        copayment_kind=data.get("copayment_kind") or CopaymentKind.NONE,
        copayment_fixed_minor=fixed or 0,
        copayment_table=table,
        criteria=criteria,
        provider_terms=data.get("provider_terms") or "",
    )
    try:
        full_clean(scheme)
    except Exception as exc:  # merge the model's field errors with ours
        for field, messages in getattr(exc, "errors", {}).items():
            errors.setdefault(field, []).extend(messages)
    if scheme.valid_to and scheme.valid_from and scheme.valid_to < scheme.valid_from:
        errors.setdefault("valid_to", []).append(_("The end date must not be before the start date."))
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        scheme.save()
        for account_kind in SCHEME_ACCOUNTS:
            LedgerAccount.objects.create(
                scheme=scheme,
                kind=account_kind,
                currency=scheme.currency,
                label=f"{scheme.name}: {AccountKind(account_kind).label}",
            )
        audit_record(
            actor=actor,
            action="vouchers.scheme.create",
            obj=scheme,
            area_id=area.pk,
            changes=diff({}, snapshot(scheme, SCHEME_FIELDS)),
        )
        if budget:
            _fund(actor, scheme, budget)
    return scheme


def scheme_account(scheme, kind: str) -> LedgerAccount:
    return LedgerAccount.objects.get(scheme=scheme, kind=kind)


def _fund(actor, scheme, amount_minor: int):
    tx = ledger.post(
        kind=TransactionKind.FUND,
        scheme=scheme,
        actor=actor,
        memo="Budget funded",
        lines=[
            (scheme_account(scheme, AccountKind.SCHEME_BUDGET), amount_minor),
            (scheme_account(scheme, AccountKind.APPROPRIATION), -amount_minor),
        ],
    )
    audit_record(
        actor=actor,
        action="vouchers.scheme.fund",
        obj=scheme,
        area_id=scheme.area_id,
        changes={"amount": fmt(amount_minor, scheme.currency), "transaction": str(tx.pk)},
    )
    return tx


def scheme_fund(*, actor, scheme, amount) -> LedgerTransaction:
    """Add money to the scheme budget later (a new appropriation). Refused on a closed scheme."""
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise NotFound(_("Not found."))
    errors: dict[str, list[str]] = {}
    minor = money_field(errors, "amount", amount)
    if errors or minor is None:
        raise invalid(errors)
    with transaction.atomic():
        current = VoucherScheme.objects.select_for_update().get(pk=scheme.pk)
        if current.status == SchemeStatus.CLOSED:
            raise ConflictError(_("This scheme is closed; it cannot be funded."))
        return _fund(actor, current, minor)


# Closing ends a scheme for good; suspending pauses new decisions and applications until it is opened again.
# Vouchers already issued keep running either way (they lapse or are cancelled on their own).
STATUS_TRANSITIONS = {
    SchemeStatus.OPEN: {SchemeStatus.SUSPENDED, SchemeStatus.CLOSED},
    SchemeStatus.SUSPENDED: {SchemeStatus.OPEN, SchemeStatus.CLOSED},
    SchemeStatus.CLOSED: set(),
}


def scheme_set_status(*, actor, scheme, status: str, reason: str = "") -> VoucherScheme:
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise NotFound(_("Not found."))
    if status not in SchemeStatus.values:
        raise invalid({"status": [_("Choose open, suspended or closed.")]})
    reason = (reason or "").strip()
    if status != SchemeStatus.OPEN and not reason:
        raise invalid({"reason": [_("Give the reason; it is kept in the audit trail.")]})
    with transaction.atomic():
        current = VoucherScheme.objects.select_for_update().get(pk=scheme.pk)
        if status not in STATUS_TRANSITIONS[SchemeStatus(current.status)]:
            raise ConflictError(
                _("A scheme that is %(status)s cannot be changed that way.") % {"status": current.get_status_display()}
            )
        before = snapshot(current, ["status"])
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="vouchers.scheme.status",
            obj=current,
            area_id=current.area_id,
            changes={**diff(before, snapshot(current, ["status"])), "reason": reason[:300]},
        )
    scheme.status = current.status
    return current


# -- accreditation -------------------------------------------------------------------------------------------


def accreditation_apply(*, actor, scheme, organisation, data: dict, documents=()) -> Accreditation:
    """An organisation applies (or applies again after a rejection or an end). documents: [(title, file)]."""
    if not permissions.acts_for_organisation(actor, organisation.pk):
        raise NotFound(_("Not found."))
    if scheme.status != SchemeStatus.OPEN:
        raise ConflictError(_("This scheme does not take applications now."))
    errors: dict[str, list[str]] = {}
    price = money_field(errors, "price", data.get("price"))
    if price is not None and price > scheme.price_ceiling_minor:
        errors.setdefault("price", []).append(
            _("The price is above the scheme's ceiling of %(ceiling)s.")
            % {"ceiling": fmt(scheme.price_ceiling_minor, scheme.currency)}
        )
    given = data.get("answers") or {}
    answers = {}
    for i, criterion in enumerate(scheme.criteria):
        answer = str(given.get(criterion) or given.get(str(i)) or "").strip()
        if not answer:
            errors.setdefault(f"answer_{i}", []).append(_("Answer this criterion."))
        answers[criterion] = answer[:5000]
    documents = list(documents)
    validate_documents(errors, documents)
    if errors or price is None:
        raise invalid(errors)
    fields = {
        "price_minor": price,
        "answers": answers,
        "languages": str(data.get("languages") or "")[:200],
        "location": str(data.get("location") or "")[:300],
        "accessibility": str(data.get("accessibility") or ""),
        "quality_info": str(data.get("quality_info") or ""),
    }
    with transaction.atomic():
        existing = Accreditation.objects.select_for_update().filter(scheme=scheme, organisation=organisation).first()
        if existing and existing.status not in (AccreditationStatus.REJECTED, AccreditationStatus.ENDED):
            raise ConflictError(_("This organisation has already applied to this scheme."))
        acc = existing or Accreditation(scheme=scheme, organisation=organisation, price_minor=price)
        before = snapshot(acc, ACCREDITATION_FIELDS) if existing else {}
        for name, value in fields.items():
            setattr(acc, name, value)
        acc.status, acc.decision_reason, acc.decided_by, acc.decided_at = AccreditationStatus.APPLIED, "", None, None
        acc.save()
        for title, file in documents:
            AccreditationDocument.objects.create(accreditation=acc, title=str(title).strip()[:200], file=file)
        audit_record(
            actor=actor,
            action="vouchers.accreditation.apply",
            obj=acc,
            area_id=scheme.area_id,
            organisation_id=organisation.pk,
            changes=diff(before, snapshot(acc, ACCREDITATION_FIELDS)),
        )
    return acc


TRANSITIONS = {
    "approve": ((AccreditationStatus.APPLIED, AccreditationStatus.SUSPENDED), AccreditationStatus.APPROVED, False),
    "reject": ((AccreditationStatus.APPLIED,), AccreditationStatus.REJECTED, True),
    "suspend": ((AccreditationStatus.APPROVED,), AccreditationStatus.SUSPENDED, True),
    "end": ((AccreditationStatus.APPROVED, AccreditationStatus.SUSPENDED), AccreditationStatus.ENDED, True),
}


def accreditation_decide(*, actor, accreditation, action: str, reason: str = "") -> Accreditation:
    """approve, reject (reason), suspend (reason) or end (reason)."""
    scheme = accreditation.scheme
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise NotFound(_("Not found."))
    if action not in TRANSITIONS:
        raise invalid({"action": [_("Choose approve, reject, suspend or end.")]})
    sources, target, needs_reason = TRANSITIONS[action]
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise invalid({"reason": [_("Give the reason; the organisation will see it.")]})
    with transaction.atomic():
        acc = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
        if acc.status not in sources:
            raise ConflictError(
                _("An accreditation that is %(status)s cannot be changed that way.")
                % {"status": acc.get_status_display()}
            )
        before = snapshot(acc, ACCREDITATION_FIELDS)
        acc.status, acc.decision_reason = target, reason
        acc.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        acc.decided_at = timezone.now()
        acc.save()
        if target == AccreditationStatus.APPROVED:
            LedgerAccount.objects.get_or_create(
                scheme=scheme,
                kind=AccountKind.PROVIDER_PAYABLE,
                organisation=acc.organisation,
                defaults={
                    "currency": scheme.currency,
                    "label": f"{scheme.name}: {acc.organisation.name} ({AccountKind.PROVIDER_PAYABLE.label})",
                },
            )
        audit_record(
            actor=actor,
            action=f"vouchers.accreditation.{action}",
            obj=acc,
            area_id=scheme.area_id,
            organisation_id=acc.organisation_id,
            changes=diff(before, snapshot(acc, ACCREDITATION_FIELDS)),
        )
    accreditation.refresh_from_db()
    return acc


OPENINGS_FIELDS = ("takes_new_clients", "new_clients_from", "openings_note")


def accreditation_update_openings(*, actor, accreditation, data) -> Accreditation:
    """The provider says whether it takes new clients now, from when, and a short note (its organisation admins).
    Shown on the scheme's public comparison page; audited with before/after."""
    if not permissions.is_organisation_admin(actor, accreditation.organisation_id):
        raise NotFound(_("Not found."))
    errors: dict[str, list[str]] = {}
    takes = bool(data.get("takes_new_clients"))
    start = data.get("new_clients_from") or None
    if start is not None and not isinstance(start, datetime.date):
        try:
            start = datetime.date.fromisoformat(str(start))
        except ValueError:
            errors.setdefault("new_clients_from", []).append(_("Enter the date as YYYY-MM-DD."))
    note = str(data.get("openings_note") or "").strip()
    if len(note) > 300:
        errors.setdefault("openings_note", []).append(_("At most 300 characters."))
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        acc = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
        before = snapshot(acc, OPENINGS_FIELDS)
        acc.takes_new_clients, acc.new_clients_from, acc.openings_note = takes, start, note
        changes = diff(before, snapshot(acc, OPENINGS_FIELDS))
        if changes:
            acc.save(update_fields=[*OPENINGS_FIELDS, "updated_at"])
            audit_record(
                actor=actor,
                action="vouchers.accreditation.openings",
                obj=acc,
                area_id=acc.scheme.area_id,
                organisation_id=acc.organisation_id,
                changes=changes,
            )
    return acc
