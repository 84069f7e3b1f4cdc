"""Officer pages: schemes, accreditation decisions, settlement runs and reconciliation."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverka.accounts.access import access_for
from samverka.areas.models import Area
from samverka.core.errors import ConflictError, ValidationError
from samverka.core.pagination import paginate

from .. import permissions, selectors, services
from ..forms import DecisionForm, SchemeForm, SettlementForm
from .common import add_service_errors, not_found_as_404, query_without_page, status_for


def _require_officer(request) -> None:
    if not permissions.has_any_voucher_role(request.user):
        raise PermissionDenied


def _officer_areas(user):
    access = access_for(user)
    if access.is_platform_admin:
        return Area.objects.filter(kind__in=["county", "region", "welfare_area", "municipality"]).order_by("name")
    qs = Area.objects.none()
    for path in access.area_paths(permissions.OFFICER_ROLES, "vouchers"):
        qs = qs | Area.objects.filter(path__startswith=path)
    return qs.order_by("depth", "name")


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest):
    _require_officer(request)
    areas = list(_officer_areas(request.user)[:2000])
    form = SchemeForm(request.POST or None, initial={"currency": "NOK", "copayment_kind": "none"})
    form.fields["area"] = django_forms.ChoiceField(label=_("Area"), choices=[(str(a.pk), a.name) for a in areas])
    form.order_fields(["area"])
    if request.method == "POST" and form.is_valid():
        area = next(a for a in areas if str(a.pk) == form.cleaned_data["area"])
        data = form.service_data()
        data.pop("area")
        try:
            scheme = services.scheme_create(actor=request.user, area=area, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The scheme is created."))
            return redirect("vouchers:scheme_detail", pk=scheme.pk)
    return render(request, "vouchers/scheme_form.html", {"form": form}, status=status_for(form))


@login_required
@not_found_as_404
def scheme_detail(request: HttpRequest, pk, settlement_form=None, status=200):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    vouchers = paginate(selectors.voucher_list_for_scheme(actor=request.user, scheme=scheme), request.GET.get("page"))
    context = {
        "scheme": scheme,
        "accreditations": selectors.accreditations_for_scheme(actor=request.user, scheme=scheme),
        "page": vouchers,
        "query_without_page": query_without_page(request),
        "rec": selectors.reconciliation(scheme=scheme),
        "accounts": selectors.account_balances(scheme=scheme),
        "runs": selectors.settlement_runs(actor=request.user, scheme=scheme).prefetch_related(
            "settlements__accreditation__organisation"
        ),
        "settlement_form": settlement_form or SettlementForm(),
    }
    return render(request, "vouchers/scheme_detail.html", context, status=status)


@login_required
@require_POST
@not_found_as_404
def settlement_create(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    form = SettlementForm(request.POST)
    if form.is_valid():
        try:
            services.settlement_run(actor=request.user, scheme=scheme, month=form.cleaned_data["month"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error("month", exc.detail)
            return scheme_detail(request, pk, settlement_form=form, status=409)
        else:
            messages.success(request, _("The month is settled."))
            return redirect("vouchers:scheme_detail", pk=scheme.pk)
    return scheme_detail(request, pk, settlement_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def accreditation_detail(request: HttpRequest, pk):
    acc = selectors.accreditation_get_for_staff(actor=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.accreditation_decide(
                actor=request.user,
                accreditation=acc,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.detail)
            status = 409
        else:
            messages.success(request, _("The decision is saved."))
            return redirect("vouchers:accreditation_detail", pk=acc.pk)
    return render(
        request,
        "vouchers/accreditation_detail.html",
        {"acc": acc, "documents": acc.documents.all(), "form": form},
        status=status if status != 200 else status_for(form),
    )
