"""The officers' lists with sorting, pagination, empty states and CSV export (`?format=csv`, every row, the
current filter and sort). Residents are personal data: each exported row is recorded as a read."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from samverka.core.pagination import paginate

from .. import selectors
from ..models import VoucherStatus
from ..money import to_major
from .common import csv_response, not_found_as_404, query_without_page, sorted_by, wants_csv
from .staff import _require_officer

PAGE_SIZE = 25
EXPORT_BATCH = 500

SCHEME_SORTS = {
    "name": ("name",),
    "area": ("area__name", "name"),
    "kind": ("kind", "name"),
    "ceiling": ("price_ceiling_minor",),
    "status": ("status", "name"),
}
RESIDENT_SORTS = {"name": ("full_name",), "area": ("area__name", "full_name"), "created": ("created_at",)}
VOUCHER_SORTS = {
    "created": ("created_at",),
    "status": ("status", "-created_at"),
    "provider": ("provider__organisation__name",),
    "valid_to": ("valid_to",),
    "value": ("value_minor",),
    "remaining": ("account__balance_minor",),
}
CLAIM_SORTS = {
    "date": ("service_date", "created_at"),
    "provider": ("accreditation__organisation__name", "service_date"),
    "amount": ("amount_minor",),
}
SETTLEMENT_SORTS = {
    "month": ("run__month", "accreditation__organisation__name"),
    "provider": ("accreditation__organisation__name", "run__month"),
    "net": ("net_minor",),
}


def _page(request, queryset, template: str, context: dict):
    page = paginate(queryset, request.GET.get("page"), PAGE_SIZE)
    return render(request, template, {**context, "page": page, "query_without_page": query_without_page(request)})


def _stamp(request) -> str:
    return str(getattr(request, "request_id", "") or "")[:8]


@login_required
def scheme_list(request: HttpRequest):
    _require_officer(request)
    schemes, sort = sorted_by(request, selectors.scheme_list_for_staff(actor=request.user), SCHEME_SORTS, "name")
    if wants_csv(request):
        header = [_("Id"), _("Name"), _("Area"), _("Kind"), _("Unit"), _("Currency"), _("Valid from")]
        header += [_("Valid to"), _("Price ceiling"), _("Co-payment"), _("Status")]
        rows = (
            [
                s.pk,
                s.name,
                s.area.name,
                s.kind,
                s.unit,
                s.currency,
                s.valid_from.isoformat(),
                s.valid_to.isoformat() if s.valid_to else "",
                to_major(s.price_ceiling_minor),
                s.copayment_kind,
                s.status,
            ]
            for s in schemes.iterator(chunk_size=EXPORT_BATCH)
        )
        return csv_response("voucher-schemes.csv", header, rows)
    return _page(request, schemes, "vouchers/scheme_list.html", {"sort": sort})


def _resident_rows(request, residents):
    """Batches of residents, each batch recorded as read (fields exported, purpose "export") before it is sent."""
    batch: list = []
    for resident in residents.iterator(chunk_size=EXPORT_BATCH):
        batch.append(resident)
        if len(batch) == EXPORT_BATCH:
            yield from _resident_batch(request, batch)
            batch = []
    yield from _resident_batch(request, batch)


def _resident_batch(request, batch):
    for r in selectors.residents_read(actor=request.user, residents=batch, purpose="export", fields=EXPORT_FIELDS):
        yield [r.pk, r.full_name, r.area.name, r.id_country, r.national_id, r.email, r.phone, r.preferred_language]


EXPORT_FIELDS = ["full_name", "id_country", "national_id", "email", "phone", "preferred_language"]


@login_required
def resident_list(request: HttpRequest):
    _require_officer(request)
    q = request.GET.get("q", "")[:100]
    residents, sort = sorted_by(request, selectors.resident_list(actor=request.user, q=q), RESIDENT_SORTS, "name")
    if wants_csv(request):
        header = [_("Id"), _("Name"), _("Municipality"), _("Country of the identity number")]
        header += [_("National identity number"), _("E-mail"), _("Phone"), _("Preferred language")]
        # Materialised before answering: every exported row is recorded as read before any of it leaves.
        return csv_response("residents.csv", header, list(_resident_rows(request, residents)))
    page = paginate(residents, request.GET.get("page"), PAGE_SIZE)
    page.items = selectors.residents_read(actor=request.user, residents=page.items, purpose="list")
    context = {"page": page, "q": q, "sort": sort, "query_without_page": query_without_page(request)}
    return render(request, "vouchers/resident_list.html", context)


@login_required
@not_found_as_404
def scheme_vouchers(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    vouchers = selectors.voucher_list_for_scheme(actor=request.user, scheme=scheme)
    status = request.GET.get("status", "")
    if status in VoucherStatus.values:
        vouchers = vouchers.filter(status=status)
    vouchers, sort = sorted_by(request, vouchers, VOUCHER_SORTS, "-created")
    if wants_csv(request):
        header = [_("Voucher"), _("Status"), _("Provider"), _("Units"), _("Valid from"), _("Valid to")]
        header += [_("Value"), _("Remaining"), _("Currency")]
        rows = (
            [
                v.pk,
                v.status,
                v.provider.organisation.name if v.provider else "",
                v.units or "",
                v.valid_from.isoformat(),
                v.valid_to.isoformat(),
                to_major(v.value_minor),
                to_major(v.account.balance_minor),
                scheme.currency,
            ]
            for v in vouchers.iterator(chunk_size=EXPORT_BATCH)
        )
        return csv_response(f"vouchers-{str(scheme.pk)[:8]}.csv", header, rows)
    context = {"scheme": scheme, "sort": sort, "status": status, "statuses": VoucherStatus.choices}
    return _page(request, vouchers, "vouchers/scheme_vouchers.html", context)


@login_required
@not_found_as_404
def scheme_claims(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    claims, sort = sorted_by(
        request, selectors.claims_for_scheme(actor=request.user, scheme=scheme), CLAIM_SORTS, "-date"
    )
    if wants_csv(request):
        header = [_("Claim"), _("Voucher"), _("Provider"), _("Date delivered"), _("Units"), _("Amount")]
        header += [_("Co-payment"), _("Net"), _("Currency"), _("Budget line"), _("Settled"), _("Corrected"), _("Note")]
        rows = (
            [
                c.pk,
                c.voucher_id,
                c.accreditation.organisation.name,
                c.service_date.isoformat(),
                c.units or "",
                to_major(c.amount_minor),
                to_major(c.copayment_minor),
                to_major(c.amount_minor - c.copayment_minor),
                scheme.currency,
                c.budget_line.label if c.budget_line else "",
                "yes" if c.settled and not c.reversed else "no",
                "yes" if c.reversed else "no",
                c.note,
            ]
            for c in claims.iterator(chunk_size=EXPORT_BATCH)
        )
        return csv_response(f"claims-{str(scheme.pk)[:8]}.csv", header, rows)
    return _page(request, claims, "vouchers/scheme_claims.html", {"scheme": scheme, "sort": sort})


@login_required
@not_found_as_404
def scheme_settlements(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    settlements = selectors.settlements_for_scheme(actor=request.user, scheme=scheme).annotate(month=F("run__month"))
    settlements, sort = sorted_by(request, settlements, SETTLEMENT_SORTS, "-month")
    if wants_csv(request):
        header = [_("Settlement"), _("Month"), _("Provider"), _("Gross"), _("Co-payment"), _("Net"), _("Currency")]
        rows = (
            [
                s.pk,
                f"{s.run.month:%Y-%m}",
                s.accreditation.organisation.name,
                to_major(s.gross_minor),
                to_major(s.copayment_minor),
                to_major(s.net_minor),
                scheme.currency,
            ]
            for s in settlements.iterator(chunk_size=EXPORT_BATCH)
        )
        return csv_response(f"settlements-{str(scheme.pk)[:8]}.csv", header, rows)
    return _page(request, settlements, "vouchers/scheme_settlements.html", {"scheme": scheme, "sort": sort})
