"""Input and output schemas of the vouchers API. Money goes out as decimal strings in major units."""

import datetime
import uuid
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from .money import to_major
from .selectors import budget_period_status

HUNDREDTH = Decimal("0.01")


def _units(value):
    return None if value is None else Decimal(value).quantize(HUNDREDTH)


class SchemeOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    unit: str
    currency: str
    area_id: uuid.UUID
    category: str | None = Field(
        None, description="The code of the catalogue's service category (null on schemes made without one)"
    )
    valid_from: datetime.date
    valid_to: datetime.date | None
    price_ceiling: Decimal
    status: str

    @staticmethod
    def resolve_price_ceiling(obj) -> Decimal:
        return to_major(obj.price_ceiling_minor)

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.code if obj.category_id else None


class CopaymentBandIn(Schema):
    income_up_to: Decimal | None = Field(None, description="Yearly income up to (major units); null on the last row")
    percent: Decimal


class SchemeIn(Schema):
    area_id: uuid.UUID
    category: str = Field(
        description="Code of a catalogue service category, as the service finder filters on, e.g. older-people "
        "(required)"
    )
    name: str = Field(max_length=200)
    description: str = ""
    kind: str = Field(description="unit_voucher, fixed_voucher or personal_budget")
    unit: str = Field("", description="hour, visit or day (voucher per unit)")
    currency: str = Field(description="NOK, SEK or EUR")
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    price_ceiling: Decimal = Field(description="Major units")
    budget_period: str = Field("", description="month, quarter or year (personal budget)")
    copayment_kind: str = Field("none", description="none, fixed or income")
    copayment_fixed: Decimal | None = None
    copayment_table: list[CopaymentBandIn] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)
    provider_terms: str = ""
    budget: Decimal | None = Field(None, description="Funds the scheme budget at once (major units)")


class ProviderServiceOut(Schema):
    id: uuid.UUID
    name: str
    url: str = Field(description="The service's public page")
    opening_hours: list[str] = Field(description="Its schedules as the catalogue shows them")


class ProviderOut(Schema):
    accreditation_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    price: Decimal
    languages: str
    location: str
    accessibility: str
    quality_info: str
    takes_new_clients_now: bool
    takes_new_clients: bool
    new_clients_from: datetime.date | None
    openings_note: str
    services: list[ProviderServiceOut] = Field(
        description="The organisation's published catalogue services that accept vouchers"
    )

    @staticmethod
    def from_compared(provider) -> "ProviderOut":
        acc = provider.accreditation
        return ProviderOut(
            accreditation_id=acc.pk,
            organisation_id=acc.organisation_id,
            organisation_name=acc.organisation.name,
            price=to_major(acc.price_minor),
            languages=acc.languages,
            location=acc.location,
            accessibility=acc.accessibility,
            quality_info=acc.quality_info,
            takes_new_clients_now=provider.taking_now,
            takes_new_clients=acc.takes_new_clients,
            new_clients_from=acc.new_clients_from,
            openings_note=acc.openings_note,
            services=[
                ProviderServiceOut(
                    id=s.service.pk,
                    name=s.service.display_name,
                    url=reverse("catalogue:service_detail", args=[s.service.pk]),
                    opening_hours=s.hours,
                )
                for s in provider.services
            ],
        )


class VoucherIssueIn(Schema):
    resident_id: uuid.UUID
    valid_from: datetime.date
    valid_to: datetime.date
    units: Decimal | None = Field(None, description="Units (hours, visits, days) for a voucher per unit")
    amount: Decimal | None = Field(None, description="Amount in major units for a fixed voucher or budget")
    income: Decimal | None = Field(None, description="Yearly income, for an income-based co-payment")
    amount_per_period: Decimal | None = Field(
        None, description="Personal budget in a scheme with a budget period: what can be claimed per period"
    )
    provider_id: uuid.UUID | None = Field(None, description="Accreditation id of the chosen provider")
    budget_lines: list["BudgetLineIn"] = Field(
        default_factory=list, description="Personal budget: its lines; they must add up to the amount"
    )


class BudgetLineIn(Schema):
    label: str = Field(..., max_length=200)
    amount: Decimal


class BudgetLineOut(Schema):
    id: uuid.UUID
    label: str
    amount: Decimal
    remaining: Decimal


class VoucherOut(Schema):
    id: uuid.UUID
    scheme_id: uuid.UUID
    status: str
    currency: str
    units: Decimal | None
    value: Decimal
    remaining: Decimal
    valid_from: datetime.date
    valid_to: datetime.date
    provider_id: uuid.UUID | None
    budget_period: str = Field(description="Personal budget with an amount per period: month, quarter or year")
    amount_per_period: Decimal | None
    current_period: str | None = Field(description='The period today falls in, e.g. "2026-03"')
    left_in_current_period: Decimal | None

    @staticmethod
    def from_voucher(v) -> "VoucherOut":
        period = budget_period_status(voucher=v)
        return VoucherOut(
            id=v.pk,
            scheme_id=v.scheme_id,
            status=v.status,
            currency=v.scheme.currency,
            units=_units(v.units),
            value=to_major(v.value_minor),
            remaining=to_major(v.account.balance_minor),
            valid_from=v.valid_from,
            valid_to=v.valid_to,
            provider_id=v.provider_id,
            budget_period=v.budget_period,
            amount_per_period=None if period is None else to_major(period.amount),
            current_period=None if period is None else period.current,
            left_in_current_period=None if period is None else to_major(period.left),
        )


class ProviderChoiceIn(Schema):
    accreditation_id: uuid.UUID


class ClaimIn(Schema):
    service_date: datetime.date
    units: Decimal | None = Field(None, description="Units delivered (voucher per unit)")
    unit_price: Decimal | None = Field(None, description="Price per unit; default: the accredited price")
    amount: Decimal | None = Field(None, description="Amount (fixed voucher or personal budget)")
    note: str = Field("", max_length=500)
    budget_line_id: uuid.UUID | None = Field(None, description="Personal budget with lines: the line claimed on")


class ClaimOut(Schema):
    id: uuid.UUID
    voucher_id: uuid.UUID
    service_date: datetime.date
    units: Decimal | None
    amount: Decimal
    co_payment: Decimal
    currency: str
    note: str
    budget_line_id: uuid.UUID | None
    transaction_id: uuid.UUID
    created_at: datetime.datetime

    @staticmethod
    def from_claim(c) -> "ClaimOut":
        return ClaimOut(
            id=c.pk,
            voucher_id=c.voucher_id,
            service_date=c.service_date,
            units=_units(c.units),
            amount=to_major(c.amount_minor),
            co_payment=to_major(c.copayment_minor),
            currency=c.voucher.scheme.currency,
            note=c.note,
            budget_line_id=c.budget_line_id,
            transaction_id=c.transaction_id,
            created_at=c.created_at,
        )


class SettlementIn(Schema):
    month: str = Field(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")


class SettlementOut(Schema):
    id: uuid.UUID
    accreditation_id: uuid.UUID
    organisation_name: str
    gross: Decimal
    co_payment: Decimal
    net: Decimal


class SettlementRunOut(Schema):
    id: uuid.UUID
    month: str
    transaction_id: uuid.UUID | None
    settlements: list[SettlementOut]


class ReconciliationOut(Schema):
    currency: str
    funded: Decimal
    issued: Decimal
    redeemed: Decimal
    lapsed: Decimal
    cancelled: Decimal
    outstanding: Decimal
    budget_left: Decimal
    balanced: bool


class ClaimReversalIn(Schema):
    reason: str = Field(..., max_length=250, description="Why the claim is corrected (kept in the ledger memo)")


class ClaimReversalOut(Schema):
    claim_id: uuid.UUID
    transaction_id: uuid.UUID
    voucher_remaining: Decimal


class ResidentUpdateIn(Schema):
    """Only the fields sent are changed. The identity number cannot be changed."""

    full_name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)
    preferred_language: str | None = Field(None, max_length=8)


class ResidentOut(Schema):
    id: uuid.UUID
    area_id: uuid.UUID
    full_name: str
    id_country: str
    national_id: str
    email: str
    phone: str
    address: str
    preferred_language: str


class SchemeStatusIn(Schema):
    status: str = Field(..., description="open, suspended or closed")
    reason: str = Field("", max_length=300, description="Required when suspending or closing")


class FundIn(Schema):
    amount: Decimal = Field(..., description="Major units added to the scheme budget")


class FundOut(Schema):
    transaction_id: uuid.UUID
    funded: Decimal
    budget_left: Decimal
