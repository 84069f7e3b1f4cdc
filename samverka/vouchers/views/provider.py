"""Provider pages: accreditations, applying to a scheme, and the organisation's own clients."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import ConflictError, ValidationError
from samverka.core.pagination import paginate
from samverka.registry.models import Organisation

from .. import permissions, selectors, services
from ..forms import ApplyForm, OpeningsForm
from ..services.schemes import OPENINGS_FIELDS
from .common import add_service_errors, not_found_as_404, query_without_page


def _organisations(user):
    return list(Organisation.objects.filter(pk__in=permissions.provider_organisation_ids(user)).order_by("name"))


@login_required
def provider_home(request: HttpRequest):
    if not permissions.provider_organisation_ids(request.user):
        raise PermissionDenied
    page = paginate(selectors.provider_clients(actor=request.user), request.GET.get("page"))
    page.items = selectors.clients_read(actor=request.user, vouchers=page.items)
    return render(
        request,
        "vouchers/provider_home.html",
        {
            "accreditations": selectors.accreditations_for_organisations(actor=request.user),
            "admin_of": permissions.admin_organisation_ids(request.user),
            "page": page,
            "query_without_page": query_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def accreditation_apply(request: HttpRequest, pk):
    scheme = selectors.scheme_get_public(pk=pk)
    organisations = _organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ApplyForm(request.POST or None, request.FILES or None, scheme=scheme, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            org = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
            data = {
                k: form.cleaned_data[k] for k in ("price", "languages", "location", "accessibility", "quality_info")
            }
            data["answers"] = form.answers()
            try:
                services.accreditation_apply(
                    actor=request.user, scheme=scheme, organisation=org, data=data, documents=form.document_list()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.detail)
                status = 409
            else:
                messages.success(request, _("Your application is sent. An officer will decide on it."))
                return redirect("vouchers:provider_home")
    return render(request, "vouchers/apply.html", {"scheme": scheme, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def accreditation_openings(request: HttpRequest, pk):
    """The provider's openings on a scheme's comparison page (its organisation admins)."""
    acc = selectors.accreditation_get_for_openings(actor=request.user, pk=pk)
    initial = {f: getattr(acc, f) for f in OPENINGS_FIELDS}
    form = OpeningsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.accreditation_update_openings(actor=request.user, accreditation=acc, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your openings are saved and shown on the comparison page."))
                return redirect("vouchers:provider_home")
    return render(request, "vouchers/openings.html", {"accreditation": acc, "form": form}, status=status)
