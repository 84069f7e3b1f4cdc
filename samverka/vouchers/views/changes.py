"""Officer pages that change what exists: correct a claim, edit a resident's contact details, suspend/close/reopen
a scheme and fund it later. Destructive changes ask for a reason and an explicit confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import ConflictError, ValidationError

from .. import selectors, services
from ..forms import CorrectionForm, FundForm, ResidentContactForm, SchemeStatusForm
from ..models import SchemeStatus
from ..services.schemes import STATUS_TRANSITIONS
from .common import add_service_errors, not_found_as_404


def _submit(request, form, action, success: str):
    """Run a service for a valid form: (redirect-worthy?, HTTP status). Service errors land on the form."""
    if request.method != "POST":
        return False, 200
    if not form.is_valid():
        return False, 422
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False, 422
    except ConflictError as exc:
        form.add_error(None, exc.detail)
        return False, 409
    messages.success(request, success)
    return True, 200


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def claim_reverse(request: HttpRequest, pk):
    claim = selectors.claim_get_for_officer(actor=request.user, pk=pk)
    form = CorrectionForm(request.POST or None)
    done, status = _submit(
        request,
        form,
        lambda d: services.claim_reverse(actor=request.user, claim=claim, reason=d["reason"]),
        _("The claim is corrected; its amount is back on the voucher."),
    )
    if done:
        return redirect("vouchers:voucher_detail", pk=claim.voucher_id)
    return render(request, "vouchers/claim_reverse.html", {"claim": claim, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def resident_edit(request: HttpRequest, pk):
    resident = selectors.resident_get(actor=request.user, pk=pk, purpose="edit")
    initial = {f: getattr(resident, f) for f in ResidentContactForm.base_fields}
    form = ResidentContactForm(request.POST or None, initial=initial)
    done, status = _submit(
        request,
        form,
        lambda d: services.resident_update(actor=request.user, resident=resident, data=d),
        _("The contact details are saved."),
    )
    if done:
        return redirect("vouchers:resident_detail", pk=resident.pk)
    return render(request, "vouchers/resident_edit.html", {"resident": resident, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def scheme_status(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    targets = STATUS_TRANSITIONS[SchemeStatus(scheme.status)]
    choices = [(value, label) for value, label in SchemeStatus.choices if value in targets]
    form = SchemeStatusForm(request.POST or None, choices=choices, initial={"status": request.GET.get("to")})
    done, status = _submit(
        request,
        form,
        lambda d: services.scheme_set_status(actor=request.user, scheme=scheme, status=d["status"], reason=d["reason"]),
        _("The scheme's status is changed."),
    )
    if done:
        return redirect("vouchers:scheme_detail", pk=scheme.pk)
    context = {"scheme": scheme, "form": form, "can_change": bool(choices)}
    return render(request, "vouchers/scheme_status.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def scheme_fund(request: HttpRequest, pk):
    scheme = selectors.scheme_get_for_staff(actor=request.user, pk=pk)
    form = FundForm(request.POST or None)
    done, status = _submit(
        request,
        form,
        lambda d: services.scheme_fund(actor=request.user, scheme=scheme, amount=d["amount"]),
        _("The budget is funded."),
    )
    if done:
        return redirect("vouchers:scheme_detail", pk=scheme.pk)
    context = {"scheme": scheme, "form": form, "rec": selectors.reconciliation(scheme=scheme)}
    return render(request, "vouchers/scheme_fund.html", context, status=status)
