"""Coordinators' pages: the queue of change proposals, a proposal's diff and decision, freshness per area."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.accounts.access import access_for
from samverka.core.errors import ConflictError, ValidationError
from samverka.core.pagination import paginate

from .. import permissions, selectors, services
from ..diffs import field_diff
from ..forms import RejectForm
from ..models import ProposalStatus
from .common import add_errors, query_without_page

PAGE_SIZE = 50


@login_required
def proposal_list(request: HttpRequest):
    if not access_for(request.user).is_coordinator:
        raise PermissionDenied
    page = paginate(selectors.proposal_queue(actor=request.user), request.GET.get("page"), PAGE_SIZE)
    return render(
        request, "catalogue/proposals.html", {"page": page, "query_without_page": query_without_page(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, pk):
    proposal = selectors.proposal_get(actor=request.user, pk=pk)
    service = proposal.service
    can_review = permissions.can_review(request.user, service) and proposal.status == ProposalStatus.PENDING
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    status = 200
    if request.method == "POST":
        if not can_review:
            raise Http404
        try:
            if request.POST.get("action") == "approve":
                services.proposal_approve(actor=request.user, proposal_id=proposal.pk)
                messages.success(request, _("The change is approved and published."))
                return redirect("catalogue:proposals")
            if reject_form.is_valid():
                services.proposal_reject(
                    actor=request.user, proposal_id=proposal.pk, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("The change is rejected; the organisation is told why."))
                return redirect("catalogue:proposals")
            status = 422
        except ValidationError as exc:
            add_errors(reject_form, exc)
            status = 422
        except ConflictError as exc:
            messages.error(request, exc.detail)
            status = 409
    current = services.service_state(service)
    return render(
        request,
        "catalogue/proposal_detail.html",
        {
            "proposal": proposal,
            "service": service,
            "rows": field_diff(current, proposal.data),
            "can_review": can_review,
            "reject_form": reject_form,
        },
        status=status,
    )


def _area(request):
    areas = list(selectors.staff_areas(request.user))
    if not areas:
        raise PermissionDenied
    wanted = request.GET.get("area")
    return next((a for a in areas if str(a.pk) == wanted), areas[0]), areas


@login_required
def freshness(request: HttpRequest):
    area, areas = _area(request)
    data = selectors.freshness(actor=request.user, area=area)
    page = paginate(data["stale"], request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "catalogue/freshness.html",
        {"area": area, "areas": areas, "data": data, "page": page, "query_without_page": query_without_page(request)},
    )


@login_required
def freshness_csv(request: HttpRequest):
    area, _areas = _area(request)
    data = selectors.freshness(actor=request.user, area=area)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stale-services-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Service"), _("Organisation"), _("Last verified"), _("Id")])
    for s in data["stale"].iterator(chunk_size=2000):
        name = s.display_name
        writer.writerow(
            [("'" + name) if name[:1] in "=+-@" else name, s.organisation or "", s.last_verified or "", s.pk]
        )
    return response
