"""The resident's link to choose or change the provider (no account), and the officer's page that creates it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from samverka.core.errors import ConflictError, ValidationError

from .. import selectors, services
from ..forms import ProviderChoiceForm
from ..models import Accreditation
from ..services.links import LINK_VALID, LinkRefused
from .common import add_service_errors, not_found_as_404


def _private(response: HttpResponse) -> HttpResponse:
    # The token in the address is the resident's key: never sent on to another site, kept or indexed.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, exc: LinkRefused) -> HttpResponse:
    return _private(render(request, "vouchers/link_refused.html", {"reason": exc.detail}, status=exc.status_code))


@never_cache
@require_http_methods(["GET", "POST"])
@not_found_as_404
def resident_choose(request: HttpRequest, token: str):
    """What the resident sees: their first name, the scheme's comparison, and a choice of provider."""
    try:
        voucher, _nonce = services.choice_link_open(token)
    except LinkRefused as exc:
        return _refused(request, exc)
    first_name = selectors.resident_first_name_for_link(voucher=voucher)
    providers = selectors.provider_comparison(scheme=voucher.scheme)
    for p in providers:
        p.accreditation.scheme = voucher.scheme  # the choice's labels show the price in the scheme's currency
    form = ProviderChoiceForm(
        request.POST or None,
        providers=[p.accreditation for p in providers],
        initial={"accreditation": str(voucher.provider_id or "")},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            chosen = Accreditation.objects.filter(pk=form.cleaned_data["accreditation"]).first()
            try:
                if chosen is None:
                    raise ValidationError(_("Choose a provider approved for this scheme."))
                services.voucher_choose_provider(actor=None, voucher=voucher, accreditation=chosen, link_token=token)
            except LinkRefused as exc:
                return _refused(request, exc)
            except (ValidationError, ConflictError) as exc:
                add_service_errors(form, exc, aliases={"provider": "accreditation"})
                status = exc.status_code
            else:
                messages.success(request, _("Your choice is saved: %(name)s.") % {"name": chosen.organisation.name})
                return _private(redirect(request.path))
    context = {
        "voucher": voucher,
        "scheme": voucher.scheme,
        "first_name": first_name,
        "providers": providers,
        "form": form,
    }
    return _private(render(request, "vouchers/resident_choose.html", context, status=status))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@not_found_as_404
def choice_link_create(request: HttpRequest, pk):
    """Officers: create a link for the resident; it replaces any earlier link and is shown once, to copy."""
    view = selectors.voucher_get(actor=request.user, pk=pk, purpose="choice_link")
    if not view.as_officer:
        return render(request, "404.html", status=404)
    context = {"voucher": view.voucher, "days": LINK_VALID.days, "link": None, "expires": None}
    if request.method == "POST":
        try:
            token, expires = services.choice_link_create(actor=request.user, voucher=view.voucher)
        except ConflictError as exc:
            messages.error(request, exc.detail)
            return redirect("vouchers:voucher_detail", pk=pk)
        context["link"] = request.build_absolute_uri(reverse("vouchers:resident_choose", args=[token]))
        context["expires"] = expires
    return render(request, "vouchers/choice_link.html", context)
