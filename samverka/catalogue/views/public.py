"""Public pages: the finder, a service page (with JSON-LD and print styles) and "report an error"."""

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverka.core.errors import ValidationError

from .. import permissions, schedules, selectors, services
from ..cards import cards_html, load_cards
from ..finder import FinderFilters, find_services
from ..forms import FinderForm, ReportForm, finder_fields_html
from ..jsonld import as_script_json, service_json_ld
from ..search.text import query_words
from .common import add_errors, is_htmx, query_without_page

PAGE_SIZE = 20


def _highlight_groups(request: HttpRequest) -> list[list[str]]:
    """The finder's query words when the page is opened from a search (?q=), to mark them on the page."""
    return [[w] for w in query_words(str(request.GET.get("q") or "")[:200])]


def finder(request: HttpRequest):
    status = 200
    filters: FinderFilters | None = None
    result = None
    form = fields = None
    try:
        filters = FinderFilters.from_mapping(request.GET)
    except ValidationError as exc:
        form = FinderForm(request.GET)
        add_errors(form, exc)
        status = 400
    else:
        # Valid filters: the form's fields kept rendered, marked with them (building the form cost more than a search).
        fields = finder_fields_html(filters)
        result = find_services(filters, request.GET.get("page"), PAGE_SIZE, load=load_cards)
    q = filters.q if filters else ""
    context = {
        "form": form,
        "fields": fields,
        "filters": filters,
        "result": result,
        "page": result.page if result else None,
        "cards": cards_html(list(result.page.items), result.groups, q) if result else "",
        "query_without_page": query_without_page(request),
        "q": q,
    }
    template = "catalogue/_results.html" if is_htmx(request) else "catalogue/finder.html"
    return render(request, template, context, status=status)


def _schedule_rows(service):
    today = timezone.localdate()
    return [
        {"schedule": s, "days": schedules.describe(s), "next": schedules.next_occurrences(s, today, 3)}
        for s in service.schedules.all()
    ]


def service_detail(request: HttpRequest, pk, form: ReportForm | None = None, status: int = 200):
    service, preview = selectors.service_get_public(actor=request.user, pk=pk)
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "preview": preview,
            "schedules": _schedule_rows(service),
            "json_ld": as_script_json(service_json_ld(service, url)),
            "can_manage": permissions.can_manage(request.user, service),
            "report_form": form or ReportForm(),
            "highlight_groups": _highlight_groups(request),
        },
        status=status,
    )


@require_POST
def report_error(request: HttpRequest, pk):
    service, _preview = selectors.service_get_public(actor=request.user, pk=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.error_report_create(
                actor=request.user,
                service=service,
                message=form.cleaned_data["message"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you. The organisation and the coordinator have been told."))
            return redirect("catalogue:service_detail", pk=service.pk)
    return service_detail(request, pk, form=form, status=422)
