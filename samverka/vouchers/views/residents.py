"""Officer pages on residents: list, register, read (each read logged), access log, erasure, decisions."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.areas.models import Area
from samverka.core.errors import ConflictError, ValidationError
from samverka.core.pagination import paginate

from .. import permissions, selectors, services
from ..forms import IssueForm, ResidentForm
from ..models import VoucherScheme
from .common import add_service_errors, not_found_as_404, query_without_page, status_for
from .staff import _require_officer

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def resident_create(request: HttpRequest):
    _require_officer(request)
    # Residents are registered only where the user reads them (a platform admin as such does not).
    areas = list(
        Area.objects.filter(permissions.resident_area_q(request.user, "path"), kind="municipality").order_by("name")[
            :2000
        ]
    )
    form = ResidentForm(request.POST or None, areas=areas, initial={"preferred_language": "nb"})
    status = status_for(form)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area_id = data.pop("area")
        area = next(a for a in areas if str(a.pk) == area_id)
        try:
            resident = services.resident_create(actor=request.user, area=area, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 422
        except ConflictError as exc:
            form.add_error("national_id", exc.detail)
            status = 409
        else:
            messages.success(request, _("The resident is registered."))
            return redirect("vouchers:resident_detail", pk=resident.pk)
    return render(request, "vouchers/resident_form.html", {"form": form}, status=status)


def _issue_form(request, data=None):
    schemes = selectors.scheme_list_for_staff(actor=request.user).filter(status="open").order_by("name")
    return IssueForm(data, schemes=schemes)


@login_required
@not_found_as_404
def resident_detail(request: HttpRequest, pk, issue_form=None, status=200):
    resident = selectors.resident_get(actor=request.user, pk=pk, purpose="view")
    vouchers = selectors.voucher_list_for_resident(actor=request.user, resident=resident)
    return render(
        request,
        "vouchers/resident_detail.html",
        {"resident": resident, "vouchers": vouchers, "issue_form": issue_form or _issue_form(request)},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
@not_found_as_404
def voucher_issue(request: HttpRequest, pk):
    resident = selectors.resident_get(actor=request.user, pk=pk, purpose="issue")
    form = _issue_form(request, request.POST)
    status = 422
    if form.is_valid():
        scheme = VoucherScheme.objects.select_related("area").get(pk=form.cleaned_data["scheme"])
        d = form.cleaned_data
        try:
            voucher = services.voucher_issue(
                actor=request.user,
                scheme=scheme,
                resident=resident,
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                units=d["units"] or None,
                amount=d["amount"] or None,
                income=d["income"] or None,
                amount_per_period=d["amount_per_period"] or None,
                budget_lines=form.lines(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, aliases={"budget_lines.0": "budget_lines"})
        except ConflictError as exc:
            form.add_error(None, exc.detail)
            status = 409
        else:
            messages.success(request, _("The voucher is issued."))
            return redirect("vouchers:voucher_detail", pk=voucher.pk)
    return resident_detail(request, pk, issue_form=form, status=status)


@login_required
@not_found_as_404
def resident_access_log(request: HttpRequest, pk):
    resident = selectors.resident_get(actor=request.user, pk=pk, purpose="access_log")
    events = selectors.resident_access_log(actor=request.user, resident=resident)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="access-log-{str(resident.pk)[:8]}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Time (UTC)"), _("Who"), _("Fields"), _("Purpose"), _("Request")])
        for e in events.iterator():
            writer.writerow([e.created_at.isoformat(), e.actor_label, " ".join(e.fields), e.purpose, e.request_id])
        return response
    page = paginate(events, request.GET.get("page"), 50)
    return render(
        request,
        "vouchers/access_log.html",
        {"resident": resident, "page": page, "query_without_page": query_without_page(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def resident_erase(request: HttpRequest, pk):
    resident = selectors.resident_get(actor=request.user, pk=pk, purpose="erase")
    if request.method == "POST":
        try:
            services.resident_erase(actor=request.user, resident=resident)
        except ConflictError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("The resident's personal data is erased; amounts and the access log stay."))
        return redirect("vouchers:residents")
    return render(request, "vouchers/resident_erase.html", {"resident": resident})
