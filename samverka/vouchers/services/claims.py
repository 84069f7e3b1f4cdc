"""Redemption: a provider claims delivered units against a voucher, exactly once per Idempotency-Key.

Concurrency: the voucher's row and its ledger account row are locked (SELECT … FOR NO KEY UPDATE on PostgreSQL)
before the balance is checked and written, so concurrent claims on one voucher queue and can never overspend it. On
PostgreSQL a claim is one statement that checks under that lock what was read just before (see
`_create_in_one_statement`); SQLite runs IMMEDIATE transactions (config.settings.base), so there is one writer at a
time.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_event, audit_record
from samverka.core.errors import ConflictError, NotFound, ValidationError

from .. import ledger, periods, permissions
from ..models import (
    AccountKind,
    Accreditation,
    AccreditationStatus,
    BudgetLine,
    Claim,
    CopaymentKind,
    LedgerAccount,
    LedgerTransaction,
    NextClaimSeq,
    SettlementRun,
    TransactionKind,
    Voucher,
    VoucherStatus,
)
from ..money import fmt, percent_of, times
from . import claim_sql
from .common import decimal_field, denied, invalid, money_field
from .decisions import _locked, locking_vouchers
from .settlement import block_settlement

MAX_KEY_LENGTH = 200


def _parse_date(errors: dict, value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        errors.setdefault("service_date", []).append(_("Enter the date as YYYY-MM-DD."))
        return None


def _canonical(number) -> str:
    """1, "1.0" and Decimal("1.00") are the same request."""
    if number in (None, ""):
        return ""
    try:
        return format(Decimal(str(number).strip().replace(",", ".")).normalize(), "f")
    except (InvalidOperation, ValueError):
        return str(number)


def request_hash(*, voucher_id, service_date, units, unit_price, amount, note, budget_line=None) -> str:
    """A fingerprint of what was asked, to tell a true retry from a different claim under the same key."""
    body = {
        "voucher": str(voucher_id),
        "service_date": str(service_date),
        "units": _canonical(units),
        "unit_price": _canonical(unit_price),
        "amount": _canonical(amount),
        "note": (note or "").strip(),
    }
    if budget_line:  # only when given, so the fingerprints of claims without a line stay as they were
        body["budget_line"] = str(budget_line)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _prior_qs(organisation_ids, key: str):
    return Claim.objects.filter(accreditation__organisation_id__in=organisation_ids, idempotency_key=key)


def _prior(organisation_ids, key: str) -> Claim | None:
    return _prior_qs(organisation_ids, key).select_related("voucher", "accreditation", "voucher__scheme").first()


def _replay(prior: Claim, digest: str) -> tuple[Claim, bool]:
    if prior.request_hash != digest:
        raise ValidationError(
            _("This Idempotency-Key was already used for a different claim. Use a new key for a new claim."),
            {"idempotency_key": [_("Already used with a different request.")]},
        )
    return prior, False


def _copayment(voucher, units: Decimal | None, amount: int) -> int:
    scheme = voucher.scheme
    if scheme.copayment_kind == CopaymentKind.FIXED:
        share = scheme.copayment_fixed_minor
        if scheme.per_unit and units is not None:
            share = times(units, scheme.copayment_fixed_minor)
    elif scheme.copayment_kind == CopaymentKind.INCOME:
        share = percent_of(amount, voucher.copayment_percent)
    else:
        share = 0
    return max(0, min(share, amount))


class _Denied(Exception):
    """Another area's or organisation's voucher: audited after the transaction is rolled back."""

    def __init__(self, voucher):
        self.voucher = voucher


def claim_create(
    *,
    actor,
    voucher_id,
    service_date,
    idempotency_key: str,
    units=None,
    unit_price=None,
    amount=None,
    note: str = "",
    budget_line=None,
) -> tuple[Claim, bool]:
    """Returns (claim, created). A retry with the same key and body returns the first claim and writes nothing.
    A claim on a personal budget with lines names the line (`budget_line`: its id).

    On PostgreSQL a claim is two round trips and no BEGIN/COMMIT (claim_sql): one read of the actor's organisations
    and the voucher with its scheme, chosen provider, account and any claim under the Idempotency-Key, the checks in
    Python, then one statement that locks the voucher and its account row, finds them as read and writes the ledger
    transaction, its entries, the voucher's cached balance, the claim and the audit event. If the voucher changed in
    between (or has budget lines or an amount per period), and on SQLite, the claim is one transaction that reads
    the voucher under that lock and then writes (`_create_locked`). The provider's payable and the co-payment
    receivable keep no cached balance, so concurrent claims of one provider do not queue on one row."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise invalid({"idempotency_key": [_("Send an Idempotency-Key of 1–200 characters with every claim.")]})
    note = (note or "").strip()
    if len(note) > 500:
        raise invalid({"note": [_("The note may be at most 500 characters.")]})
    if not permissions.is_active_user(actor):
        raise NotFound(_("Not found."))
    digest = request_hash(
        voucher_id=voucher_id,
        service_date=service_date,
        units=units,
        unit_price=unit_price,
        amount=amount,
        note=note,
        budget_line=budget_line,
    )
    organisation_ids: set = set()
    request = (key, digest, service_date, units, unit_price, amount, note, budget_line)
    try:
        if connection.vendor == "postgresql":
            # The read also answers which organisations the actor claims for: one round trip fewer.
            current, organisation_ids = claim_sql.read_for_claim(actor.pk, voucher_id, key)
            _require_provider(organisation_ids)
            done = _create_in_one_statement(actor, current, organisation_ids, *request)
            if done is not None:
                return done
        else:
            organisation_ids = permissions.provider_organisation_ids(actor)
            _require_provider(organisation_ids)
        return _create_locked(actor, voucher_id, organisation_ids, *request)
    except _Denied as refused:
        voucher = refused.voucher
        raise denied(actor, voucher, area_id=voucher.scheme.area_id, purpose="claim") from None
    except IntegrityError:
        prior = _prior(organisation_ids, key)  # a concurrent request with the same key won the race
        if prior is not None:
            return _replay(prior, digest)
        raise


def _require_provider(organisation_ids) -> None:
    """Only an organisation's admins and members claim; anyone else is told nothing exists."""
    if not organisation_ids:
        raise NotFound(_("Not found."))


def _locked_for_claim(voucher_id, organisation_ids, key: str) -> Voucher | None:
    """The voucher, locked as every change of a voucher locks it (`locking_vouchers`), so its status, provider and
    balance cannot change until we commit. The same query also answers what the claim needs next: whether it has
    budget lines, the id of a claim already recorded under this Idempotency-Key, and the ids of the provider's
    payable and the scheme's co-payment receivable — one round trip instead of four."""
    accounts = LedgerAccount.objects.filter(scheme_id=OuterRef("scheme_id")).values("pk")
    return (
        locking_vouchers()
        .annotate(
            has_lines=Exists(BudgetLine.objects.filter(voucher=OuterRef("pk"))),
            prior_id=Subquery(_prior_qs(organisation_ids, key).values("pk")[:1]),
            payable_id=Subquery(
                accounts.filter(
                    kind=AccountKind.PROVIDER_PAYABLE, organisation_id=OuterRef("provider__organisation_id")
                )[:1]
            ),
            receivable_id=Subquery(accounts.filter(kind=AccountKind.COPAYMENT_RECEIVABLE)[:1]),
        )
        .filter(pk=voucher_id)
        .first()
    )


def _account(pk, kind: str, scheme) -> LedgerAccount:
    """A scheme account known by id (every account of a scheme has the scheme's currency), without reading it."""
    return LedgerAccount(pk=pk, kind=kind, currency=scheme.currency, scheme_id=scheme.pk)


def _budget_line(errors: dict, voucher, given) -> BudgetLine | None:
    """The voucher's own budget line named by the claim; required exactly when the voucher has lines."""
    given = str(given or "").strip()
    if not voucher.has_lines:
        if given:
            errors.setdefault("budget_line", []).append(_("This voucher has no budget lines."))
        return None
    lines = {str(line.pk): line for line in voucher.budget_lines.all()}
    if not given:
        errors.setdefault("budget_line", []).append(_("Choose the budget line this claim is for."))
        return None
    if given not in lines:
        errors.setdefault("budget_line", []).append(_("Choose one of this budget's lines."))
        return None
    return lines[given]


def _validated(voucher, service_date, units, unit_price, amount, line_id):
    """Shape, ceiling and validity of the request: 422 with every field message, before any state is checked."""
    scheme = voucher.scheme
    errors: dict[str, list[str]] = {}
    line = _budget_line(errors, voucher, line_id)
    day = _parse_date(errors, service_date)
    cost = None
    if scheme.per_unit:
        units = decimal_field(errors, "units", units)
        price = money_field(errors, "unit_price", unit_price, required=False)
    else:
        units = decimal_field(errors, "units", units, required=False)
        price = None
        cost = money_field(errors, "amount", amount)
        if cost is not None and cost > scheme.price_ceiling_minor:
            errors.setdefault("amount", []).append(
                _("The amount is above the scheme's price ceiling of %(ceiling)s per claim.")
                % {"ceiling": fmt(scheme.price_ceiling_minor, scheme.currency)}
            )
    if price is not None and price > scheme.price_ceiling_minor:
        errors.setdefault("unit_price", []).append(
            _("The price is above the scheme's ceiling of %(ceiling)s.")
            % {"ceiling": fmt(scheme.price_ceiling_minor, scheme.currency)}
        )
    if day is not None:
        if day > timezone.localdate():
            errors.setdefault("service_date", []).append(_("A claim is for units already delivered, not future ones."))
        elif not (voucher.valid_from <= day <= voucher.valid_to):
            errors.setdefault("service_date", []).append(
                _("The date is outside the voucher's validity (%(start)s – %(end)s).")
                % {"start": voucher.valid_from.isoformat(), "end": voucher.valid_to.isoformat()}
            )
    if errors:
        raise invalid(errors, _("The claim was not recorded."))
    return line, day, units, price, cost


@dataclass(frozen=True)
class _Plan:
    """What a claim will write, decided from the voucher as read: every check passed."""

    line: BudgetLine | None
    day: datetime.date
    units: Decimal | None
    price: int | None
    cost: int
    copay: int


def _plan(current, organisation_ids, service_date, units, unit_price, amount, line_id) -> _Plan:
    """Every check of a claim against the voucher as read (provider, shape, ceiling, validity, status, balance, budget
    line): raises the refusal (nothing written) or returns what to write."""
    scheme = current.scheme
    accreditation = current.provider
    if accreditation is None or accreditation.organisation_id not in organisation_ids:
        if Accreditation.objects.filter(scheme_id=scheme.pk, organisation_id__in=organisation_ids).exists():
            raise ConflictError(_("This voucher is held by another provider; only the chosen provider can claim."))
        raise _Denied(current)
    line, day, units, price, cost = _validated(current, service_date, units, unit_price, amount, line_id)
    if current.status == VoucherStatus.LAPSED:
        raise ConflictError(_("This voucher has expired."))
    if current.status == VoucherStatus.CANCELLED:
        raise ConflictError(_("This voucher has been cancelled."))
    if accreditation.status != AccreditationStatus.APPROVED:
        raise ConflictError(
            _("Your accreditation is %(status)s; claims are not accepted.")
            % {"status": accreditation.get_status_display()}
        )
    if scheme.per_unit:
        price = price if price is not None else accreditation.price_minor
        if price > scheme.price_ceiling_minor:
            raise invalid({"unit_price": [_("Your accredited price is above the scheme's ceiling.")]})
        cost = times(units, price)
    remaining = current.account.balance_minor
    if cost > remaining:
        raise ConflictError(
            _("The claim of %(cost)s is above the voucher's remaining balance of %(left)s.")
            % {"cost": fmt(cost, scheme.currency), "left": fmt(remaining, scheme.currency)}
        )
    if line is not None:
        line_left = ledger.budget_line_balances(current).get(line.pk, 0)
        if cost > line_left:
            raise ConflictError(
                _("The claim of %(cost)s is above what is left on the budget line “%(line)s”: %(left)s.")
                % {
                    "cost": fmt(cost, scheme.currency),
                    "line": line.label,
                    "left": fmt(line_left, scheme.currency),
                }
            )
    if current.period_amount_minor is not None:
        period_left = claimable_in_period(current, day)
        if cost > period_left:
            raise ConflictError(
                _("The claim of %(cost)s is above what is left of this budget for %(period)s: %(left)s of %(amount)s.")
                % {
                    "cost": fmt(cost, scheme.currency),
                    "period": periods.period_name(current.budget_period, day),
                    "left": fmt(period_left, scheme.currency),
                    "amount": fmt(current.period_amount_minor, scheme.currency),
                }
            )
    return _Plan(line=line, day=day, units=units, price=price, cost=cost, copay=_copayment(current, units, cost))


def claimable_in_period(voucher, day: datetime.date) -> int:
    """What is left of a budget's amount per period in the period `day` falls in: the amount less the claims for
    services delivered in that period that were not corrected (derived from the insert-only claims and reversals;
    checked under the voucher's lock, so two claims cannot both take the last of it)."""
    start, end = periods.period_of(voucher.budget_period, day)
    claimed = Claim.objects.filter(
        voucher_id=voucher.pk,
        service_date__gte=start,
        service_date__lt=end,
        transaction__reversed_by__isnull=True,
    ).aggregate(total=Sum("amount_minor"))["total"]
    return voucher.period_amount_minor - (claimed or 0)


def _ledger_lines(current, plan: _Plan) -> dict:
    """The claim's ledger transaction, as arguments of ledger.post / ledger.prepare."""
    scheme = current.scheme
    return {
        "kind": TransactionKind.CLAIM,
        "scheme": scheme,
        "voucher": current,
        "memo": f"Claim {plan.day.isoformat()}",
        "lines": [
            (current.account, -plan.cost, plan.line),
            (_account(current.payable_id, AccountKind.PROVIDER_PAYABLE, scheme), plan.cost - plan.copay, None),
            (_account(current.receivable_id, AccountKind.COPAYMENT_RECEIVABLE, scheme), plan.copay, None),
        ],
    }


def _claim(actor, current, plan: _Plan, tx, key: str, digest: str, note: str) -> Claim:
    """The claim row, not yet saved; its sequence is given by the database in the INSERT (NextClaimSeq)."""
    return Claim(
        voucher=current,
        accreditation=current.provider,
        service_date=plan.day,
        units=plan.units,
        unit_price_minor=plan.price,
        amount_minor=plan.cost,
        copayment_minor=plan.copay,
        budget_line=plan.line,
        note=note,
        idempotency_key=key,
        request_hash=digest,
        seq=NextClaimSeq(),
        transaction=tx,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _audit(actor, current, plan: _Plan, claim) -> dict:
    """The audit event of a claim, as arguments of audit_record."""
    scheme = current.scheme
    return {
        "actor": actor,
        "action": "vouchers.claim.create",
        "obj": claim,
        "area_id": scheme.area_id,
        "organisation_id": current.provider.organisation_id,
        "changes": {
            "amount": fmt(plan.cost, scheme.currency),
            "co_payment": fmt(plan.copay, scheme.currency),
            "units": plan.units,
            "service_date": plan.day,
            "voucher": str(current.pk),
            "budget_line": str(plan.line.pk) if plan.line else "",
        },
    }


def _create_locked(
    actor, voucher_id, organisation_ids, key, digest, service_date, units, unit_price, amount, note, line_id
):
    """The claim as one transaction that reads the voucher under its row lock and then writes (SQLite, where
    IMMEDIATE transactions have one writer; on PostgreSQL for budgets with lines and when the one-statement claim
    found the voucher changed since it was read)."""
    with transaction.atomic():
        current = _locked_for_claim(voucher_id, organisation_ids, key)
        if current is None or current.prior_id is not None:
            prior = _prior(organisation_ids, key)
            if prior is not None:
                return _replay(prior, digest)
        if current is None:
            raise NotFound(_("Not found."))
        plan = _plan(current, organisation_ids, service_date, units, unit_price, amount, line_id)
        tx = ledger.post(actor=actor, **_ledger_lines(current, plan))
        claim = _claim(actor, current, plan, tx, key, digest, note)
        claim.save()
        audit_record(**_audit(actor, current, plan, claim))
    return claim, True


def _create_in_one_statement(
    actor, current, organisation_ids, key, digest, service_date, units, unit_price, amount, note, line_id
) -> tuple[Claim, bool] | None:
    """The claim on the voucher as `claim_sql.read_for_claim` read it, in one statement (PostgreSQL; see claim_sql):
    None when the locked path must make it (a budget with lines; the voucher changed between the read and the
    write)."""
    if current is None or current.prior_id is not None:  # type: ignore[attr-defined]
        prior = _prior(organisation_ids, key)
        if prior is not None:
            return _replay(prior, digest)
    if current is None:
        raise NotFound(_("Not found."))
    if current.has_lines or current.period_amount_minor is not None:  # type: ignore[attr-defined]
        return None  # a budget line's balance and a period's amount are checked under the voucher's lock
    plan = _plan(current, organisation_ids, service_date, units, unit_price, amount, line_id)
    tx, entries, deltas = ledger.prepare(actor=actor, **_ledger_lines(current, plan))
    claim = _claim(actor, current, plan, tx, key, digest, note)
    event = audit_event(**_audit(actor, current, plan, claim))
    if not claim_sql.write_claim(
        current, tx, entries, deltas, claim, event, key=key, organisation_ids=organisation_ids
    ):
        return None  # the voucher changed since it was read: made again under its lock
    return claim, True


def claim_is_settled(claim) -> bool:
    """Whether a settlement run took the claim (see SettlementRun): for a claim not corrected."""
    return SettlementRun.objects.filter(
        scheme_id=claim.voucher.scheme_id, watermark__gte=claim.seq, period_end__gt=claim.service_date
    ).exists()


def claim_reverse(*, actor, claim, reason: str) -> LedgerTransaction:
    """Correct a claim recorded in error: a reversing transaction returns its value to the voucher.
    A settled claim is not reversed here (its money has moved on); reverse it against the next settlement."""
    scheme = claim.voucher.scheme
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise NotFound(_("Not found."))
    if not (reason or "").strip():
        raise invalid({"reason": [_("Give the reason for the correction.")]})
    with transaction.atomic():
        block_settlement()  # a settlement run in progress could otherwise settle the claim we correct
        current = _locked(claim.voucher)
        if current.status != VoucherStatus.ACTIVE:
            raise ConflictError(_("Claims can be corrected only while the voucher is active."))
        if LedgerTransaction.objects.filter(reverses=claim.transaction_id).exists():
            raise ConflictError(_("This claim has already been reversed."))
        if claim_is_settled(claim):
            raise ConflictError(_("This claim has been settled and cannot be reversed."))
        tx = ledger.reverse(original=claim.transaction, actor=actor, memo=f"Correction: {reason.strip()}"[:300])
        audit_record(
            actor=actor,
            action="vouchers.claim.reverse",
            obj=claim,
            area_id=scheme.area_id,
            organisation_id=claim.accreditation.organisation_id,
            changes={"reason": reason.strip(), "transaction": str(tx.pk)},
        )
    return tx
