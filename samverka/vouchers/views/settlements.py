"""A provider's settlement for a month as a page, CSV and PDF (officers of the scheme and the provider)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .. import selectors
from ..money import to_major
from .common import not_found_as_404


def _context(request, pk):
    settlement = selectors.settlement_get(actor=request.user, pk=pk)
    return {
        "settlement": settlement,
        "scheme": settlement.run.scheme,
        "lines": list(selectors.settlement_claims(settlement=settlement)),
    }


def _filename(settlement, ext: str) -> str:
    return f"settlement-{settlement.run.month:%Y-%m}-{str(settlement.pk)[:8]}.{ext}"


@login_required
@not_found_as_404
def settlement_detail(request: HttpRequest, pk):
    return render(request, "vouchers/settlement_detail.html", _context(request, pk))


@login_required
@not_found_as_404
def settlement_csv(request: HttpRequest, pk):
    ctx = _context(request, pk)
    settlement = ctx["settlement"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(settlement, "csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date delivered"),
            _("Voucher"),
            _("Units"),
            _("Amount"),
            _("Co-payment"),
            _("Net"),
            _("Currency"),
            _("Note"),
        ]
    )
    currency = ctx["scheme"].currency
    for c in ctx["lines"]:
        writer.writerow(
            [
                c.service_date.isoformat(),
                str(c.voucher_id),
                c.units or "",
                to_major(c.amount_minor),
                to_major(c.copayment_minor),
                to_major(c.amount_minor - c.copayment_minor),
                currency,
                c.note,
            ]
        )
    writer.writerow(
        [
            _("Total"),
            "",
            "",
            to_major(settlement.gross_minor),
            to_major(settlement.copayment_minor),
            to_major(settlement.net_minor),
            currency,
            "",
        ]
    )
    return response


@login_required
@not_found_as_404
def settlement_pdf(request: HttpRequest, pk):
    from weasyprint import HTML

    ctx = _context(request, pk)
    html = render_to_string("vouchers/settlement_pdf.html", ctx, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(ctx["settlement"], "pdf")}"'
    return response
