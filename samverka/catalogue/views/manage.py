"""Pages where an organisation's people and staff manage its services (from the organisation)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverka.areas.models import Area
from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, NotFound, ValidationError
from samverka.core.pagination import paginate
from samverka.registry import selectors as registry_selectors

from .. import permissions, selectors, services
from ..forms import LocationForm, ScheduleFormSet, ServiceForm
from ..models import CONTENT_LANGUAGES, LANGUAGE_NAMES, ChangeProposal, Location, ProposalStatus, Service
from ..services.locations import LIMITS as LOCATION_TEXT_FIELDS
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


def _edit_page(request, *, org, area=None, locations=None, service=None, initial=None, proposal=None, save):
    if locations is None:
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
            "area": area,
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
    return _create_page(request, org=org)


def _create_page(request: HttpRequest, *, org=None, area=None) -> HttpResponse:
    """The new-service page of an organisation or of an area's public body (the owner's access is checked)."""

    def save(data):
        _service, proposal = services.service_create(actor=request.user, organisation=org, area=area, data=data)
        if proposal:
            messages.info(request, _("The service is saved as a draft and sent to the coordinator for approval."))
        else:
            messages.success(request, _("The service is saved."))
        return _owner_page(org, area)

    locations = None if org is not None else list(_area_locations(area))
    return _edit_page(request, org=org, area=area, locations=locations, save=save)


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
        return _owner_page(service.organisation, service.area)

    return _edit_page(
        request,
        org=service.organisation,
        area=service.area,
        locations=None if service.organisation_id else list(_area_locations(service.area)),
        service=service,
        initial=initial,
        proposal=proposal,
        save=save,
    )


@login_required
@require_POST
def service_verify(request: HttpRequest, pk):
    service = selectors.service_get_for_edit(actor=request.user, pk=pk)
    services.service_verify(actor=request.user, service=service)
    messages.success(request, _("Marked as checked today."))
    if service.organisation_id:
        return redirect("catalogue:org_services", pk=service.organisation_id)
    if request.POST.get("next") == "area":
        return redirect("catalogue:area_services", pk=service.area_id)
    return redirect("catalogue:freshness")


def _owner_page(owner_org, owner_area):
    if owner_org is not None:
        return redirect("catalogue:org_services", pk=owner_org.pk)
    return redirect("catalogue:area_services", pk=owner_area.pk)


def _location_page(request, *, org=None, area=None, location=None, initial=None, save):
    country = org.country if org is not None else area.country
    form = LocationForm(request.POST or None, country=country, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The place is saved."))
            return _owner_page(org, area)
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "org": org, "area": area, "location": location}
    return render(request, "catalogue/location_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def location_create(request: HttpRequest, pk):
    org = _organisation(request, pk)
    selectors.organisation_services(actor=request.user, organisation=org)  # 404 + audit outside one's reach

    def save(data):
        services.location_create(actor=request.user, organisation=org, data=data)

    return _location_page(request, org=org, save=save)


def _location_for_manage(request, pk) -> Location:
    """A place the user may manage (of their organisation or of an area they are staff in), else 404."""
    location = Location.objects.select_related("organisation", "area", "municipality").filter(pk=pk).first()
    if location is None:
        raise Http404
    if not permissions.can_manage(request.user, Service(organisation=location.organisation, area=location.area)):
        audit_record(
            actor=request.user,
            action="access.denied",
            obj=location,
            organisation_id=location.organisation_id,
            area_id=location.area_id,
            changes={"purpose": "catalogue"},
        )
        raise Http404
    return location


def _location_initial(location: Location) -> dict:
    return {
        **{field: getattr(location, field) for field in LOCATION_TEXT_FIELDS},
        "municipality": str(location.municipality_id or ""),
        "latitude": "" if location.latitude is None else str(location.latitude),
        "longitude": "" if location.longitude is None else str(location.longitude),
    }


@login_required
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk):
    location = _location_for_manage(request, pk)

    def save(data):
        try:
            services.location_update(actor=request.user, location=location, data=data)
        except NotFound:
            raise Http404 from None

    return _location_page(
        request,
        org=location.organisation,
        area=location.area,
        location=location,
        initial=_location_initial(location),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def location_delete(request: HttpRequest, pk):
    location = _location_for_manage(request, pk)
    status = 200
    if request.method == "POST":
        try:
            services.location_delete(actor=request.user, location=location)
        except NotFound:
            raise Http404 from None
        except ConflictError:
            status = 409  # the page names the services still using the place
        else:
            messages.success(request, _("The place is removed."))
            return _owner_page(location.organisation, location.area)
    return render(
        request,
        "catalogue/location_delete.html",
        {"location": location, "used_by": services.location_uses(location)},
        status=status,
    )


def _public_body_area(request, pk) -> Area:
    """An area whose own (public-body) services the user manages: staff covering it; else 404."""
    area = Area.objects.filter(pk=pk).first()
    if area is None:
        raise Http404
    if not permissions.can_manage_area(request.user, area):
        # Another area's (or an outsider's) request: refused like other cross-area reads, and audited.
        audit_record(
            actor=request.user, action="access.denied", obj=area, area_id=area.pk, changes={"purpose": "catalogue"}
        )
        raise Http404
    return area


@login_required
def area_services(request: HttpRequest, pk):
    area = _public_body_area(request, pk)
    qs = (
        Service.objects.filter(area=area)
        .annotate(pending=Count("proposals", filter=Q(proposals__status=ProposalStatus.PENDING)))
        .order_by("sort_name", "id")
    )
    page = paginate(qs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "catalogue/area_services.html",
        {
            "area": area,
            "page": page,
            "query_without_page": query_without_page(request),
            "locations": _area_locations(area),
            "stale_before": selectors.stale_limit(),
        },
    )


def _area_locations(area):
    return Location.objects.filter(area=area).select_related("municipality").order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def area_service_create(request: HttpRequest, pk):
    return _create_page(request, area=_public_body_area(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def area_location_create(request: HttpRequest, pk):
    area = _public_body_area(request, pk)

    def save(data):
        services.location_create(actor=request.user, area=area, data=data)

    return _location_page(request, area=area, save=save)
