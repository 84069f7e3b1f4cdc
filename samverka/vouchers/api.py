"""Vouchers API: /api/v1/vouchers/… Thin: parse → selector/service → schema."""

import datetime
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Status

from samverka.areas.models import Area
from samverka.catalogue.models import TaxonomyTerm
from samverka.core.errors import ValidationError

from . import selectors, services
from .models import Accreditation, Voucher, VoucherScheme
from .money import to_major
from .schemas import (
    BudgetLineOut,
    ClaimIn,
    ClaimOut,
    ClaimReversalIn,
    ClaimReversalOut,
    FundIn,
    FundOut,
    ProviderChoiceIn,
    ProviderOut,
    ReconciliationOut,
    ResidentOut,
    ResidentUpdateIn,
    SchemeIn,
    SchemeOut,
    SchemeStatusIn,
    SettlementIn,
    SettlementOut,
    SettlementRunOut,
    VoucherIssueIn,
    VoucherOut,
)

router = Router(tags=["vouchers"])


def _str(value):
    return None if value is None else str(value)


@router.get("/schemes", response=list[SchemeOut])
def list_schemes(request: HttpRequest):
    """Schemes you run (officers with the vouchers capability)."""
    return list(selectors.scheme_list_for_staff(actor=request.user))


@router.post("/schemes", response={201: SchemeOut})
def create_scheme(request: HttpRequest, payload: SchemeIn):
    """Officers with the vouchers capability in the area: a new scheme. The service category (the code of a
    catalogue category, as the service finder filters on) is required (422 on `category` without one or with an
    unknown code)."""
    area = Area.objects.filter(pk=payload.area_id).first()
    if area is None:
        raise ValidationError(_("Please correct the errors below."), {"area_id": [_("Not found.")]})
    data = payload.dict(
        exclude={"area_id", "category", "copayment_table", "price_ceiling", "copayment_fixed", "budget"}
    )
    code = payload.category.strip()
    data["category"] = TaxonomyTerm.objects.filter(code=code).first() if code else None
    if code and data["category"] is None:
        raise ValidationError(_("Please correct the errors below."), {"category": [_("Unknown service category.")]})
    data["price_ceiling"] = str(payload.price_ceiling)
    data["copayment_fixed"] = _str(payload.copayment_fixed)
    data["budget"] = _str(payload.budget)
    data["copayment_table"] = [
        {"income_up_to": _str(band.income_up_to), "percent": str(band.percent)} for band in payload.copayment_table
    ]
    scheme = services.scheme_create(actor=request.user, area=area, data=data)
    return Status(201, VoucherScheme.objects.select_related("category").get(pk=scheme.pk))


@router.get("/schemes/{scheme_id}/providers", response=list[ProviderOut], auth=None)
def list_providers(request: HttpRequest, scheme_id: uuid.UUID, sort: str = "price"):
    """Public: the approved providers of an open scheme, for comparison, with their openings and their catalogue
    services that accept vouchers (each with its opening hours)."""
    scheme = selectors.scheme_get_public(pk=scheme_id)
    return [ProviderOut.from_compared(p) for p in selectors.provider_comparison(scheme=scheme, sort=sort)]


@router.post("/schemes/{scheme_id}/vouchers", response={201: VoucherOut})
def issue_voucher(request: HttpRequest, scheme_id: uuid.UUID, payload: VoucherIssueIn):
    """Record a decision: a voucher or personal budget for a resident."""
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=scheme_id)
    resident = selectors.resident_get(actor=request.user, pk=payload.resident_id, purpose="issue")
    provider = None
    if payload.provider_id:
        provider = Accreditation.objects.filter(pk=payload.provider_id, scheme=scheme).first()
        if provider is None:
            raise ValidationError(
                _("The provider is not accredited to this scheme."), {"provider_id": [_("Not found.")]}
            )
    voucher = services.voucher_issue(
        actor=request.user,
        scheme=scheme,
        resident=resident,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        units=_str(payload.units),
        amount=_str(payload.amount),
        income=_str(payload.income),
        amount_per_period=_str(payload.amount_per_period),
        provider=provider,
        budget_lines=[(line.label, str(line.amount)) for line in payload.budget_lines],
    )
    voucher = Voucher.objects.select_related("scheme", "account").get(pk=voucher.pk)
    return Status(201, VoucherOut.from_voucher(voucher))


@router.get("/vouchers/{voucher_id}", response=VoucherOut)
def get_voucher(request: HttpRequest, voucher_id: uuid.UUID):
    """An officer of the scheme's area or the chosen provider; anyone else: 404."""
    return VoucherOut.from_voucher(selectors.voucher_get(actor=request.user, pk=voucher_id, purpose="api").voucher)


@router.post("/vouchers/{voucher_id}/provider", response=VoucherOut)
def choose_provider(request: HttpRequest, voucher_id: uuid.UUID, payload: ProviderChoiceIn):
    view = selectors.voucher_get(actor=request.user, pk=voucher_id, purpose="choose_provider")
    accreditation = Accreditation.objects.filter(pk=payload.accreditation_id).first()
    if accreditation is None:
        raise ValidationError(_("Choose a provider approved for this scheme."), {"accreditation_id": [_("Not found.")]})
    voucher = services.voucher_choose_provider(actor=request.user, voucher=view.voucher, accreditation=accreditation)
    return VoucherOut.from_voucher(voucher)


@router.post("/vouchers/{voucher_id}/claims", response={201: ClaimOut})
def create_claim(
    request: HttpRequest,
    voucher_id: uuid.UUID,
    payload: ClaimIn,
    response: HttpResponse,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Claim delivered units. Send an `Idempotency-Key` header: a retry with the same key and body returns the
    original claim (header `Idempotent-Replayed: true`) and writes nothing; the same key with a different body
    answers 422. Above the remaining balance, on an expired or cancelled voucher or another provider's: 409.
    Above the price ceiling or outside the validity: 422."""
    claim, created = services.claim_create(
        actor=request.user,
        voucher_id=voucher_id,
        idempotency_key=idempotency_key,
        service_date=payload.service_date,
        units=_str(payload.units),
        unit_price=_str(payload.unit_price),
        amount=_str(payload.amount),
        note=payload.note,
        budget_line=payload.budget_line_id,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201, ClaimOut.from_claim(claim))


@router.get("/schemes/{scheme_id}/reconciliation", response=ReconciliationOut)
def get_reconciliation(request: HttpRequest, scheme_id: uuid.UUID):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=scheme_id)
    rec = selectors.reconciliation(scheme=scheme)
    return ReconciliationOut(
        currency=rec.currency,
        funded=to_major(rec.funded),
        issued=to_major(rec.issued),
        redeemed=to_major(rec.redeemed),
        lapsed=to_major(rec.lapsed),
        cancelled=to_major(rec.cancelled),
        outstanding=to_major(rec.outstanding),
        budget_left=to_major(rec.budget_left),
        balanced=rec.balanced,
    )


@router.post("/schemes/{scheme_id}/settlements", response={201: SettlementRunOut})
def run_settlement(request: HttpRequest, scheme_id: uuid.UUID, payload: SettlementIn):
    """Settle a month that has ended. A month already settled answers 409."""
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=scheme_id)
    month = datetime.date.fromisoformat(payload.month + "-01")
    run = services.settlement_run(actor=request.user, scheme=scheme, month=month)
    settlements = [
        SettlementOut(
            id=s.pk,
            accreditation_id=s.accreditation_id,
            organisation_name=s.accreditation.organisation.name,
            gross=to_major(s.gross_minor),
            co_payment=to_major(s.copayment_minor),
            net=to_major(s.net_minor),
        )
        for s in run.settlements.select_related("accreditation__organisation")
    ]
    return Status(
        201,
        SettlementRunOut(
            id=run.pk, month=f"{run.month:%Y-%m}", transaction_id=run.transaction_id, settlements=settlements
        ),
    )


@router.get("/vouchers/{voucher_id}/budget-lines", response=list[BudgetLineOut])
def get_budget_lines(request: HttpRequest, voucher_id: uuid.UUID):
    """A personal budget's lines with what is left on each (derived from the ledger entries naming the line)."""
    view = selectors.voucher_get(actor=request.user, pk=voucher_id, purpose="api")
    return [
        BudgetLineOut(id=line.pk, label=line.label, amount=to_major(line.amount_minor), remaining=to_major(left))
        for line, left in selectors.budget_lines_with_balances(voucher=view.voucher)
    ]


@router.post("/claims/{claim_id}/reversal", response={201: ClaimReversalOut})
def reverse_claim(request: HttpRequest, claim_id: uuid.UUID, payload: ClaimReversalIn):
    """Officers: correct a claim recorded in error with a reversing transaction (reason required). 409 when it is
    settled, already corrected or the voucher is no longer active."""
    claim = selectors.claim_get_for_officer(actor=request.user, pk=claim_id)
    tx = services.claim_reverse(actor=request.user, claim=claim, reason=payload.reason)
    claim.voucher.account.refresh_from_db(fields=["balance_minor"])
    return Status(
        201,
        ClaimReversalOut(
            claim_id=claim.pk, transaction_id=tx.pk, voucher_remaining=to_major(claim.voucher.account.balance_minor)
        ),
    )


@router.get("/residents/{resident_id}", response=ResidentOut)
def get_resident(request: HttpRequest, resident_id: uuid.UUID):
    """Officers with the vouchers capability in the resident's area. The read is recorded."""
    return selectors.resident_get(actor=request.user, pk=resident_id, purpose="api")


@router.patch("/residents/{resident_id}", response=ResidentOut)
def update_resident(request: HttpRequest, resident_id: uuid.UUID, payload: ResidentUpdateIn):
    """Change contact details; only the names of the changed fields are audited."""
    resident = selectors.resident_get(actor=request.user, pk=resident_id, purpose="edit")
    return services.resident_update(actor=request.user, resident=resident, data=payload.dict(exclude_unset=True))


@router.post("/schemes/{scheme_id}/status", response=SchemeOut)
def set_scheme_status(request: HttpRequest, scheme_id: uuid.UUID, payload: SchemeStatusIn):
    """Suspend, reopen or close a scheme (reason required to suspend or close). A closed scheme stays closed: 409."""
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=scheme_id)
    return services.scheme_set_status(actor=request.user, scheme=scheme, status=payload.status, reason=payload.reason)


@router.post("/schemes/{scheme_id}/funding", response={201: FundOut})
def fund_scheme(request: HttpRequest, scheme_id: uuid.UUID, payload: FundIn):
    """Add money to the scheme budget. A closed scheme answers 409."""
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=scheme_id)
    tx = services.scheme_fund(actor=request.user, scheme=scheme, amount=str(payload.amount))
    rec = selectors.reconciliation(scheme=scheme)
    return Status(
        201, FundOut(transaction_id=tx.pk, funded=to_major(rec.funded), budget_left=to_major(rec.budget_left))
    )
