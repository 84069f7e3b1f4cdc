"""A voucher: officers see everything and decide; the chosen provider sees its client and claims."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import ConflictError, ValidationError

from .. import selectors, services
from ..forms import ClaimForm, ProviderChoiceForm, ReasonForm
from ..models import Accreditation
from .common import add_service_errors, not_found_as_404


def _providers(voucher):
    return selectors.providers_for_comparison(scheme=voucher.scheme).select_related("scheme")


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def voucher_detail(request: HttpRequest, pk):
    view = selectors.voucher_get(actor=request.user, pk=pk, purpose="view")
    voucher = view.voucher
    choice = ProviderChoiceForm(request.POST or None, providers=_providers(voucher) if view.as_officer else ())
    status = 200
    if request.method == "POST" and view.as_officer and choice.is_valid():
        acc = Accreditation.objects.get(pk=choice.cleaned_data["accreditation"])
        try:
            services.voucher_choose_provider(actor=request.user, voucher=voucher, accreditation=acc)
        except (ValidationError, ConflictError) as exc:
            # The same status as the API for the same refusal: a provider not approved 422, a voucher no longer
            # active 409 (the app's rule: ValidationError → 422, ConflictError → 409).
            add_service_errors(choice, exc, aliases={"provider": "accreditation"})
            status = exc.status_code
        else:
            messages.success(request, _("The provider is changed; the remaining value follows."))
            return redirect("vouchers:voucher_detail", pk=voucher.pk)
    elif request.method == "POST":
        status = 422
    lines = selectors.budget_lines_with_balances(voucher=voucher)
    claim_form = ClaimForm(initial={"idempotency_key": ClaimForm.fresh_key()}, budget_lines=[b for b, _left in lines])
    return render(request, "vouchers/voucher_detail.html", _context(view, choice, claim_form, lines), status=status)


def _context(view, choice_form, claim_form, lines) -> dict:
    return {
        "view": view,
        "voucher": view.voucher,
        "choice_form": choice_form,
        "claim_form": claim_form,
        "claims": selectors.claims_for_voucher(voucher=view.voucher),
        "budget_lines": lines,
        "period": selectors.budget_period_status(voucher=view.voucher),
    }


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def voucher_cancel(request: HttpRequest, pk):
    view = selectors.voucher_get(actor=request.user, pk=pk, purpose="cancel")
    if not view.as_officer:
        return render(request, "404.html", status=404)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.voucher_cancel(actor=request.user, voucher=view.voucher, reason=form.cleaned_data["reason"])
        except ConflictError as exc:
            form.add_error(None, exc.detail)
            status = 409
        else:
            messages.success(request, _("The voucher is cancelled; its remainder is back in the scheme budget."))
            return redirect("vouchers:voucher_detail", pk=pk)
    elif request.method == "POST":
        status = 422
    return render(request, "vouchers/voucher_cancel.html", {"voucher": view.voucher, "form": form}, status=status)


@login_required
@require_http_methods(["POST"])
@not_found_as_404
def claim_create(request: HttpRequest, pk):
    """The claim form posts here with a key made when the form was shown: a double submit records one claim."""
    view = selectors.voucher_get(actor=request.user, pk=pk, purpose="claim")
    lines = selectors.budget_lines_with_balances(voucher=view.voucher)
    form = ClaimForm(request.POST, budget_lines=[b for b, _left in lines])
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            _claim, created = services.claim_create(
                actor=request.user,
                voucher_id=view.voucher.pk,
                idempotency_key=d["idempotency_key"],
                service_date=d["service_date"],
                units=d["units"] or None,
                amount=d["amount"] or None,
                note=d["note"],
                budget_line=d.get("budget_line") or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.detail)
            status = 409
        else:
            messages.success(request, _("The claim is recorded.") if created else _("This claim was already recorded."))
            return redirect("vouchers:voucher_detail", pk=pk)
    return render(
        request, "vouchers/voucher_detail.html", _context(view, ProviderChoiceForm(), form, lines), status=status
    )
