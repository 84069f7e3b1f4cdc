"""Reads of the vouchers app, scoped to the actor. Every read of a resident's data writes an AccessEvent here."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.models import AccessEvent
from samverka.audit.services import access_record
from samverka.catalogue.finder import FinderFilters
from samverka.catalogue.finder import filtered as catalogue_filtered
from samverka.catalogue.models import Schedule, Service, TaxonomyTerm
from samverka.catalogue.schedules import describe as describe_schedule
from samverka.core.errors import NotFound

from . import ledger, periods, permissions
from .models import (
    AccountKind,
    Accreditation,
    AccreditationDocument,
    AccreditationStatus,
    BudgetPeriod,
    Claim,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Resident,
    SchemeStatus,
    Settlement,
    SettlementRun,
    TransactionKind,
    Voucher,
    VoucherScheme,
)
from .services.claims import claimable_in_period
from .services.common import denied
from .services.settlement import settled_claims

OFFICER_FIELDS = ("full_name", "id_country", "national_id", "email", "phone", "address", "preferred_language")
PROVIDER_FIELDS = ("full_name", "phone", "preferred_language")


# -- schemes ----------------------------------------------------------------------------------------------


def scheme_list_for_staff(*, actor) -> QuerySet:
    return VoucherScheme.objects.filter(permissions.officer_area_q(actor, "area__path")).select_related(
        "area", "category"
    )


def scheme_get_for_staff(*, actor, pk) -> VoucherScheme:
    scheme = VoucherScheme.objects.select_related("area", "category").filter(pk=pk).first()
    if scheme is None:
        raise NotFound(_("Not found."))
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise denied(actor, scheme, area_id=scheme.area_id, purpose="scheme")
    return scheme


def scheme_list_public() -> QuerySet:
    return VoucherScheme.objects.filter(status=SchemeStatus.OPEN).select_related("area", "category")


def scheme_get_public(*, pk) -> VoucherScheme:
    scheme = scheme_list_public().filter(pk=pk).first()
    if scheme is None:
        raise NotFound(_("Not found."))
    return scheme


def providers_for_comparison(*, scheme, sort: str = "price") -> QuerySet:
    """Approved providers of a scheme: the page a resident uses to choose."""
    order = {"price": ("price_minor", "organisation__name"), "name": ("organisation__name",)}.get(sort)
    return (
        Accreditation.objects.filter(scheme=scheme, status=AccreditationStatus.APPROVED)
        .select_related("organisation")
        .order_by(*(order or ("price_minor", "organisation__name")))
    )


@dataclass
class ComparedService:
    """A provider's published catalogue service that accepts vouchers, with its hours as the catalogue shows them."""

    service: Service
    hours: list[str]


@dataclass
class ComparedProvider:
    accreditation: Accreditation
    services: list[ComparedService]
    taking_now: bool


def _hours(schedule: Schedule) -> str:
    """As the catalogue's service page shows a schedule: kind, weekdays, opening and closing time."""
    times = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    return f"{schedule.get_kind_display()}: {describe_schedule(schedule)} {times}"


def category_with_terms_below(term_id) -> list:
    """Ids of a catalogue category and every term below it (one query: the terms of its taxonomy)."""
    children: dict = {}
    for pk, parent in TaxonomyTerm.objects.filter(taxonomy__terms__id=term_id).values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set = set()
    pending = [term_id]
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, []))
    return list(found)


def scheme_services(*, scheme) -> QuerySet:
    """The published catalogue services that can be paid with the scheme's vouchers: they accept vouchers, are
    filed under the scheme's service category (or a term below it) and serve the scheme's area as the catalogue's
    finder has it (served in the area, in an area inside or above it, or at a place inside it). A scheme made
    without a category (before it was required) is matched on the area only."""
    services = Service.objects.public().filter(accepts_vouchers=True)
    if scheme.category_id:
        terms = category_with_terms_below(scheme.category_id)
        services = services.filter(
            Exists(Service.categories.through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=terms))
        )
    return catalogue_filtered(FinderFilters(area=str(scheme.area_id)), base=services)


def provider_comparison(*, scheme, sort: str = "price", today=None) -> list[ComparedProvider]:
    """The comparison page: each approved provider with its openings and its published catalogue services that
    accept vouchers in the scheme's category and area (`scheme_services`), each with its schedules. The same
    number of queries whatever the number of providers and services."""
    today = today or timezone.localdate()
    accreditations = list(providers_for_comparison(scheme=scheme, sort=sort))
    if accreditations:
        services = (
            scheme_services(scheme=scheme)
            .prefetch_related(
                Prefetch("schedules", queryset=Schedule.objects.order_by("kind", "dtstart", "opens_at", "id"))
            )
            .order_by("sort_name", "id")
        )
        prefetch_related_objects(
            accreditations, Prefetch("organisation__catalogue_services", queryset=services, to_attr="voucher_services")
        )
    return [
        ComparedProvider(
            accreditation=acc,
            services=[
                ComparedService(service, [_hours(s) for s in service.schedules.all()])
                for service in acc.organisation.voucher_services
            ],
            taking_now=acc.takes_new_clients and (acc.new_clients_from is None or acc.new_clients_from <= today),
        )
        for acc in accreditations
    ]


def accreditation_get_for_openings(*, actor, pk) -> Accreditation:
    """An accreditation whose openings the actor keeps (its organisation's admins); anyone else 404, audited."""
    acc = Accreditation.objects.select_related("scheme__area", "organisation").filter(pk=pk).first()
    if acc is None:
        raise NotFound(_("Not found."))
    if not permissions.is_organisation_admin(actor, acc.organisation_id):
        raise denied(actor, acc, area_id=acc.scheme.area_id, organisation_id=acc.organisation_id, purpose="openings")
    return acc


def accreditations_for_scheme(*, actor, scheme) -> QuerySet:
    scheme_get_for_staff(actor=actor, pk=scheme.pk)
    return (
        Accreditation.objects.filter(scheme=scheme)
        .select_related("organisation")
        .order_by("status", "organisation__name")
    )


def accreditation_get_for_staff(*, actor, pk) -> Accreditation:
    acc = Accreditation.objects.select_related("scheme__area", "organisation").filter(pk=pk).first()
    if acc is None:
        raise NotFound(_("Not found."))
    if not permissions.is_voucher_officer(actor, acc.scheme.area):
        raise denied(actor, acc, area_id=acc.scheme.area_id, purpose="accreditation")
    return acc


def accreditations_for_organisations(*, actor) -> QuerySet:
    return (
        Accreditation.objects.filter(organisation_id__in=permissions.provider_organisation_ids(actor))
        .select_related("scheme", "organisation")
        .prefetch_related("documents")
    )


def accreditation_document_get(*, actor, accreditation_pk, pk) -> AccreditationDocument:
    """A document of an accreditation, for officers of the scheme's area and the applying organisation's people;
    anyone else gets 404 (audited on the accreditation)."""
    doc = (
        AccreditationDocument.objects.select_related("accreditation__scheme__area")
        .filter(pk=pk, accreditation_id=accreditation_pk)
        .first()
    )
    if doc is None:
        raise NotFound(_("Not found."))
    acc = doc.accreditation
    if not permissions.reads_accreditation_documents(actor, acc):
        raise denied(actor, acc, area_id=acc.scheme.area_id, purpose="accreditation.document")
    return doc


# -- residents -------------------------------------------------------------------------------------------


def _record(actor, resident, fields, purpose) -> None:
    access_record(actor=actor, subject=resident, fields=fields, purpose=purpose, area_id=resident.area_id)


def resident_list(*, actor, q: str = "") -> QuerySet:
    """Residents in the officer's areas. Not read yet: `residents_read` records the page actually shown."""
    qs = Resident.objects.filter(permissions.resident_area_q(actor, "area__path"), erased_at__isnull=True)
    q = (q or "").strip()
    if q:
        compact = q.replace(" ", "").replace("-", "")
        qs = qs.filter(Q(full_name__icontains=q) | Q(national_id__startswith=compact))
    return qs.select_related("area").order_by("full_name", "id")


def residents_read(*, actor, residents, purpose: str = "list", fields=("full_name",)) -> list:
    """Record the read of the residents about to be shown (names only on a list; what is exported on export)."""
    for resident in residents:
        _record(actor, resident, list(fields), purpose)
    return list(residents)


def resident_get(*, actor, pk, purpose: str = "view") -> Resident:
    resident = Resident.objects.select_related("area").filter(pk=pk).first()
    if resident is None:
        raise NotFound(_("Not found."))
    if not permissions.reads_residents(actor, resident.area):
        raise denied(actor, resident, area_id=resident.area_id, purpose=f"resident.{purpose}")
    _record(actor, resident, list(OFFICER_FIELDS), purpose)
    return resident


def resident_access_log(*, actor, resident) -> QuerySet:
    """Who read this resident's data (the actor has just been recorded by resident_get)."""
    return AccessEvent.objects.filter(subject_type="vouchers.resident", subject_id=str(resident.pk)).order_by(
        "-created_at"
    )


# -- vouchers --------------------------------------------------------------------------------------------


@dataclass
class PeriodStatus:
    """A personal budget's amount per period and what is left of it in the current period."""

    period: str  # month, quarter, year
    period_label: str  # "month" in the reader's language
    current: str  # "2026-03", "2026 Q1", "2026"
    amount: int
    left: int


def budget_period_status(*, voucher, today=None) -> PeriodStatus | None:
    if voucher.period_amount_minor is None:
        return None
    today = today or timezone.localdate()
    return PeriodStatus(
        period=voucher.budget_period,
        period_label=str(BudgetPeriod(voucher.budget_period).label),
        current=periods.period_name(voucher.budget_period, today),
        amount=voucher.period_amount_minor,
        left=max(0, claimable_in_period(voucher, today)),
    )


def _voucher_qs() -> QuerySet:
    return Voucher.objects.select_related("scheme__area", "resident", "account", "provider__organisation")


def voucher_list_for_resident(*, actor, resident) -> QuerySet:
    return _voucher_qs().filter(resident=resident, scheme__in=scheme_list_for_staff(actor=actor))


def voucher_list_for_scheme(*, actor, scheme) -> QuerySet:
    scheme_get_for_staff(actor=actor, pk=scheme.pk)
    return _voucher_qs().filter(scheme=scheme)


def resident_first_name_for_link(*, voucher) -> str:
    """The one piece of personal data the resident's choice page shows: their first name (the read is logged)."""
    resident = voucher.resident
    if resident.erased_at or not resident.full_name.strip():
        return ""
    _record(None, resident, ["full_name"], "voucher.choice_link")
    return resident.full_name.split()[0]


@dataclass
class VoucherView:
    voucher: Voucher
    as_officer: bool

    @property
    def fields(self):
        return OFFICER_FIELDS if self.as_officer else PROVIDER_FIELDS


def voucher_get(*, actor, pk, purpose: str = "view") -> VoucherView:
    """An officer of the scheme's area sees all; the chosen provider sees its client's limited fields;
    anyone else gets 404 (audited). The page names the resident, so the officer test is the resident-read one
    (a platform admin without a vouchers grant there is refused)."""
    voucher = _voucher_qs().filter(pk=pk).first()
    if voucher is None:
        raise NotFound(_("Not found."))
    if permissions.reads_residents(actor, voucher.scheme.area):
        view = VoucherView(voucher, True)
    elif voucher.provider and permissions.acts_for_organisation(actor, voucher.provider.organisation_id):
        view = VoucherView(voucher, False)
    else:
        raise denied(actor, voucher, area_id=voucher.scheme.area_id, purpose=f"voucher.{purpose}")
    _record(actor, voucher.resident, list(view.fields), f"voucher.{purpose}")
    return view


def provider_clients(*, actor) -> QuerySet:
    """Vouchers whose chosen provider is one of the actor's organisations (its clients)."""
    orgs = permissions.provider_organisation_ids(actor)
    return _voucher_qs().filter(provider__organisation_id__in=orgs).order_by("resident__full_name", "id")


def clients_read(*, actor, vouchers) -> list:
    for voucher in vouchers:
        _record(actor, voucher.resident, list(PROVIDER_FIELDS), "provider.clients")
    return list(vouchers)


def _settled() -> Exists:
    """A claim is settled when a run of its scheme has its sequence within the watermark and its date within the
    month (see SettlementRun); shown after "corrected", which takes precedence."""
    return Exists(
        SettlementRun.objects.filter(
            scheme_id=OuterRef("voucher__scheme_id"),
            watermark__gte=OuterRef("seq"),
            period_end__gt=OuterRef("service_date"),
        )
    )


def claims_for_voucher(*, voucher) -> QuerySet:
    return (
        Claim.objects.filter(voucher=voucher)
        .select_related("transaction", "accreditation__organisation", "budget_line")
        .annotate(
            reversed=Exists(LedgerTransaction.objects.filter(reverses=OuterRef("transaction_id"))), settled=_settled()
        )
    )


def claim_get_for_officer(*, actor, pk) -> Claim:
    """A claim for an officer of its scheme's area (corrections); anyone else: 404, audited."""
    claim = (
        Claim.objects.select_related("voucher__scheme__area", "voucher__account", "accreditation__organisation")
        .annotate(reversed=Exists(LedgerTransaction.objects.filter(reverses=OuterRef("transaction_id"))))
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise NotFound(_("Not found."))
    scheme = claim.voucher.scheme
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise denied(actor, claim, area_id=scheme.area_id, purpose="claim.correct")
    return claim


def budget_lines_with_balances(*, voucher) -> list[tuple]:
    """[(line, remaining)] of a personal budget, remaining summed from the line's ledger entries."""
    balances = ledger.budget_line_balances(voucher)
    return [(line, balances.get(line.pk, 0)) for line in voucher.budget_lines.all()]


# -- settlements and reconciliation ---------------------------------------------------------------------


def settlement_runs(*, actor, scheme) -> QuerySet:
    scheme_get_for_staff(actor=actor, pk=scheme.pk)
    return SettlementRun.objects.filter(scheme=scheme)


def claims_for_scheme(*, actor, scheme) -> QuerySet:
    scheme_get_for_staff(actor=actor, pk=scheme.pk)
    return (
        Claim.objects.filter(voucher__scheme=scheme)
        .select_related("accreditation__organisation", "budget_line")
        .annotate(
            reversed=Exists(LedgerTransaction.objects.filter(reverses=OuterRef("transaction_id"))), settled=_settled()
        )
    )


def settlements_for_scheme(*, actor, scheme) -> QuerySet:
    scheme_get_for_staff(actor=actor, pk=scheme.pk)
    return Settlement.objects.filter(run__scheme=scheme).select_related("run", "accreditation__organisation")


def settlement_get(*, actor, pk) -> Settlement:
    settlement = (
        Settlement.objects.select_related("run__scheme__area", "accreditation__organisation").filter(pk=pk).first()
    )
    if settlement is None:
        raise NotFound(_("Not found."))
    scheme = settlement.run.scheme
    if not (
        permissions.is_voucher_officer(actor, scheme.area)
        or permissions.acts_for_organisation(actor, settlement.accreditation.organisation_id)
    ):
        raise denied(actor, settlement, area_id=scheme.area_id, purpose="settlement")
    return settlement


def settlement_claims(*, settlement) -> QuerySet:
    """The claims a provider's settlement paid, derived from the run's watermark (see SettlementRun)."""
    return (
        settled_claims(settlement.run, [settlement.accreditation_id])
        .select_related("voucher")
        .order_by("service_date", "created_at")
    )


@dataclass
class Reconciliation:
    currency: str
    funded: int
    issued: int
    redeemed: int
    lapsed: int
    cancelled: int
    outstanding: int
    budget_left: int
    payable_unsettled: int
    settled: int

    @property
    def expected_outstanding(self) -> int:
        return self.issued - self.redeemed - self.lapsed - self.cancelled

    @property
    def balanced(self) -> bool:
        return self.expected_outstanding == self.outstanding


def reconciliation(*, scheme) -> Reconciliation:
    """issued − redeemed − lapsed − cancelled = outstanding, from the entries on voucher accounts.
    One grouped pass over the scheme's entries (account kind × the transaction kind each entry carries); a
    reversal counts under the kind of the transaction it reverses (few rows, found through its transactions)."""
    by_account: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for account_kind, kind, total in (
        LedgerEntry.objects.filter(account__scheme=scheme)
        .values_list("account__kind", "kind")
        .annotate(s=Sum("amount_minor"))
        .values_list("account__kind", "kind", "s")
        .order_by()
    ):
        by_account[account_kind] = by_account.get(account_kind, 0) + (total or 0)
        if account_kind == AccountKind.VOUCHER and kind != TransactionKind.REVERSAL:
            by_kind[kind] = by_kind.get(kind, 0) + (total or 0)
    if by_account:
        for reversed_kind, total in (
            LedgerEntry.objects.filter(
                transaction__scheme=scheme,
                transaction__kind=TransactionKind.REVERSAL,
                account__kind=AccountKind.VOUCHER,
            )
            .values_list("transaction__reverses__kind")
            .annotate(s=Sum("amount_minor"))
            .values_list("transaction__reverses__kind", "s")
            .order_by()
        ):
            by_kind[reversed_kind] = by_kind.get(reversed_kind, 0) + (total or 0)
    balances = by_account
    return Reconciliation(
        currency=scheme.currency,
        funded=-(balances.get(AccountKind.APPROPRIATION) or 0),
        issued=by_kind.get(TransactionKind.ISSUE, 0),
        redeemed=-by_kind.get(TransactionKind.CLAIM, 0),
        lapsed=-by_kind.get(TransactionKind.LAPSE, 0),
        cancelled=-by_kind.get(TransactionKind.CANCEL, 0),
        outstanding=balances.get(AccountKind.VOUCHER) or 0,
        budget_left=balances.get(AccountKind.SCHEME_BUDGET) or 0,
        payable_unsettled=balances.get(AccountKind.PROVIDER_PAYABLE) or 0,
        settled=balances.get(AccountKind.SETTLEMENT_CLEARING) or 0,
    )


def account_balances(*, scheme) -> QuerySet:
    return LedgerAccount.objects.filter(scheme=scheme).exclude(kind=AccountKind.VOUCHER).select_related("organisation")
