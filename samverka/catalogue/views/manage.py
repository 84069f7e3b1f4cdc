"""Pages where an organisation's people and staff manage its services (from the organisation)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverka.core.errors import ConflictError, NotFound, ValidationError
from samverka.core.pagination import paginate
from samverka.registry import selectors as registry_selectors

from .. import permissions, selectors, services
from ..forms import LocationForm, ScheduleFormSet, ServiceForm
from ..models import CONTENT_LANGUAGES, LANGUAGE_NAMES, ChangeProposal, ProposalStatus
from .common import add_errors, query_without_page

PAGE_SIZE = 50


def _organisation(request, pk):
    return registry_selectors.organisation_get_public(pk=pk)


@login_required
def org_services(request: HttpRequest, pk):
    org = _organisation(request, pk)
    qs = selectors.organisation_services(actor=request.user, organisation=org)
    page = paginate(qs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "catalogue/org_services.html",
        {
            "org": org,
            "page": page,
            "query_without_page": query_without_page(request),
            "locations": selectors.organisation_locations(org),
            "stale_before": selectors.stale_limit(),
        },
    )


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def org_services_csv(request: HttpRequest, pk):
    org = _organisation(request, pk)
    qs = selectors.organisation_services(actor=request.user, organisation=org)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="services-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Kind"), _("Status"), _("Last verified"), _("Waiting changes"), _("Updated"), _("Id")]
    )
    for s in qs.iterator(chunk_size=2000):
        writer.writerow(
            [
                _safe(v)
                for v in (
                    s.display_name,
                    s.get_kind_display(),
                    s.get_status_display(),
                    s.last_verified or "",
                    s.pending,
                    timezone.localtime(s.updated_at).strftime("%Y-%m-%d %H:%M"),
                    s.pk,
                )
            ]
        )
    return response


def _schedule_items(formset) -> list[dict]:
    items = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        data = form.cleaned_data
        if data.get("DELETE") or form.is_blank():
            continue
        items.append({k: (v or None) if k == "location" else v for k, v in data.items() if k != "DELETE"})
    return items


def _map_schedule_errors(formset, exc: ValidationError) -> dict:
    """Put "schedules.<i>.<field>" errors on the i-th non-empty schedule form; return the rest."""
    kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()]
    rest = {}
    for key, msgs in exc.errors.items():
        parts = key.split(".")
        if parts[0] == "schedules" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(kept):
            form = kept[int(parts[1])]
            field = parts[2] if len(parts) > 2 and parts[2] in form.fields else None
            for m in msgs:
                form.add_error(field, m)
        else:
            rest[key] = msgs
    return rest


def _edit_page(request, *, org, service=None, initial=None, proposal=None, save):
    locations = list(selectors.organisation_locations(org)) if org else []
    initial = initial or services.empty_state()
    form = ServiceForm(request.POST or None, locations=locations, initial=initial)
    schedule_initial = [
        {**item, "exceptions": " ".join(item.get("exceptions") or [])} for item in initial.get("schedules") or []
    ]
    formset = ScheduleFormSet(
        request.POST or None, prefix="schedules", initial=schedule_initial, form_kwargs={"locations": locations}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = {**form.service_data(), "schedules": _schedule_items(formset)}
            try:
                return save(data)
            except ValidationError as exc:
                add_errors(form, ValidationError(exc.detail, _map_schedule_errors(formset, exc)))
            except ConflictError as exc:
                form.add_error(None, exc.detail)
        status = 422
    language_blocks = [
        {"code": c, "name": LANGUAGE_NAMES[c], "fields": form.language_fields(c)} for c in CONTENT_LANGUAGES
    ]
    return render(
        request,
        "catalogue/service_form.html",
        {
            "form": form,
            "formset": formset,
            "org": org,
            "service": service,
            "language_blocks": language_blocks,
            "proposal": proposal,
            "direct": service is None or permissions.publishes_directly(request.user, service),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk):
    org = _organisation(request, pk)
    selectors.organisation_services(actor=request.user, organisation=org)  # 404 + audit outside one's reach

    def save(data):
        service, proposal = services.service_create(actor=request.user, organisation=org, data=data)
        if proposal:
            messages.info(request, _("The service is saved as a draft and sent to the coordinator for approval."))
        else:
            messages.success(request, _("The service is saved."))
        return redirect("catalogue:org_services", pk=org.pk)

    return _edit_page(request, org=org, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk):
    service = selectors.service_get_for_edit(actor=request.user, pk=pk)
    proposal = None
    initial = services.service_state(service)
    proposal_id = request.GET.get("proposal") or request.POST.get("proposal")
    if proposal_id:
        proposal = selectors.proposal_get(actor=request.user, pk=proposal_id)
        if proposal.service_id != service.pk or not permissions.can_review(request.user, service):
            raise Http404
        initial = proposal.data
    else:
        pending = ChangeProposal.objects.filter(service=service, status=ProposalStatus.PENDING).first()
        if pending and not permissions.publishes_directly(request.user, service):
            initial = pending.data  # keep editing one's own waiting proposal

    def save(data):
        if proposal is not None:
            services.proposal_approve(actor=request.user, proposal_id=proposal.pk, edits=data)
            messages.success(request, _("The change is approved and published."))
            return redirect("catalogue:proposals")
        try:
            _service, new_proposal = services.service_update(actor=request.user, service=service, data=data)
        except NotFound:
            raise Http404 from None
        if new_proposal:
            messages.info(
                request,
                _("Your change is sent to the coordinator; the public sees the old version until it is approved."),
            )
        else:
            messages.success(request, _("The changes are saved."))
        return (
            redirect("catalogue:org_services", pk=service.organisation_id)
            if service.organisation_id
            else redirect("catalogue:service_detail", pk=service.pk)
        )

    return _edit_page(request, org=service.organisation, service=service, initial=initial, proposal=proposal, save=save)


@login_required
@require_POST
def service_verify(request: HttpRequest, pk):
    service = selectors.service_get_for_edit(actor=request.user, pk=pk)
    services.service_verify(actor=request.user, service=service)
    messages.success(request, _("Marked as checked today."))
    if service.organisation_id:
        return redirect("catalogue:org_services", pk=service.organisation_id)
    return redirect("catalogue:freshness")


@login_required
@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest, pk):
    org = _organisation(request, pk)
    selectors.organisation_services(actor=request.user, organisation=org)
    form = LocationForm(request.POST or None, country=org.country)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_create(actor=request.user, organisation=org, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The place is saved."))
            return redirect("catalogue:org_services", pk=org.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "catalogue/location_form.html", {"form": form, "org": org}, status=status)
