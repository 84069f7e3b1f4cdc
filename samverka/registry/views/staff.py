from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samverka.accounts.access import access_for
from samverka.accounts.requests import AuthenticatedHttpRequest
from samverka.areas.selectors import area_cached, areas_by_path, areas_cached, coarse_areas_cached, tree_order
from samverka.audit.presentation import history_rows
from samverka.core import refcache
from samverka.core.errors import NotFound, ValidationError
from samverka.core.pagination import paginate

from .. import permissions, selectors, services
from ..forms import OrganisationForm, areas_for_form, filter_fields_html
from .common import add_service_errors, is_htmx, query_without_page, require_registry_user

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50
SORTABLE_COLUMNS = (
    ("name", gettext_lazy("Name")),
    ("number", gettext_lazy("Number")),
    ("municipality", gettext_lazy("Municipality")),
    ("updated", gettext_lazy("Updated")),
)


def _scoped_areas(user):
    """The areas the user's roles cover (platform admins: all), in tree order, from the reference cache."""
    access = access_for(user)
    if access.is_platform_admin:
        return areas_for_form()
    paths = tuple(access.area_paths())
    return tree_order([a for a in areas_cached() if a.path.startswith(paths)]) if paths else []


def _filter_areas(user, selected: str):
    """The list filter's areas: the actor's areas down to county / region / welfare-area level (and the areas
    of their roles), plus the selected area. Municipalities come from the area pages' registry link (?area=),
    so the form does not render hundreds of options on every visit. Kept per role scope and selected area with
    the reference cache (an area added or renamed clears it)."""
    access = access_for(user)
    scope = None if access.is_platform_admin else tuple(access.area_paths())
    return refcache.cached_per_key(
        "registry.filter_area_lists",
        (scope, selected),
        lambda: _scope_filter_areas(scope, selected),
    )


def _scope_filter_areas(scope: tuple[str, ...] | None, selected: str) -> list:
    if scope is None:
        shown = list(coarse_areas_cached())
    else:
        by_path = areas_by_path()
        shown = [a for a in coarse_areas_cached() if scope and a.path.startswith(scope)]
        shown += [by_path[p] for p in scope if p in by_path]
    chosen = area_cached(selected) if selected else None
    if chosen is not None:
        shown.append(chosen)
    return tree_order(list({a.pk: a for a in shown}.values()))


def _columns(request, filters):
    """Sortable headers: each links to the same filters sorted by it (again to reverse)."""
    current = filters.sort
    # The query without page and sort, encoded once (copying the QueryDict per column cost more than the rest).
    kept = urlencode([(k, v) for k, v in request.GET.lists() if k not in ("page", "sort")], doseq=True)
    prefix = f"{kept}&" if kept else ""
    columns = []
    for key, label in SORTABLE_COLUMNS:
        sort = f"-{key}" if current == key else key
        state = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        columns.append({"key": key, "label": label, "query": f"{prefix}sort={quote(sort)}", "sort": state})
    return columns


@login_required
def registry_list(request: HttpRequest):
    require_registry_user(request)
    filters = selectors.OrganisationFilters.from_mapping(request.GET)
    page = selectors.organisation_list_page(
        actor=request.user, filters=filters, page=request.GET.get("page"), page_size=PAGE_SIZE
    )
    query = filters.as_query()
    export_query = urlencode(query)
    context = {
        "page": page,
        "filters": filters,
        "columns": _columns(request, filters),
        "query_without_page": query_without_page(request),
        "export_query": export_query,
        "can_create": permissions.can_create(request.user),
    }
    if is_htmx(request):
        return render(request, "registry/_results.html", context)
    areas = _filter_areas(request.user, filters.area)
    fields = filter_fields_html(query, areas=areas, coarse_areas=True)
    return render(request, "registry/list.html", {**context, "filter_fields": fields})


def _form_status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthenticatedHttpRequest):
    require_registry_user(request)
    if not permissions.can_create(request.user):
        return render(request, "403.html", status=403)
    areas = _scoped_areas(request.user)
    form = OrganisationForm(
        request.POST or None,
        areas=areas,
        initial={"country": (request.user.home_area.country if request.user.home_area else "NO")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The organisation is registered."))
            return redirect("registry:public_detail", pk=org.pk)
    return render(request, "registry/form.html", {"form": form, "org": None}, status=_form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk):
    org = selectors.organisation_get_for_staff(actor=request.user, pk=pk, purpose="edit")
    staff_fields = permissions.can_edit_staff_fields(request.user, org)
    areas = areas_for_form(country=org.country)
    form = OrganisationForm(
        request.POST or None,
        areas=areas,
        staff_fields=staff_fields,
        trust_field=permissions.can_trust(request.user, org),
        initial=OrganisationForm.initial_for(org),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=org, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except NotFound:
            return render(request, "404.html", status=404)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("registry:public_detail", pk=org.pk)
    return render(request, "registry/form.html", {"form": form, "org": org}, status=_form_status(form))


@login_required
def organisation_history(request: HttpRequest, pk):
    org = selectors.organisation_get_for_staff(actor=request.user, pk=pk, purpose="history")
    events = selectors.organisation_history(actor=request.user, organisation=org)
    page = paginate(events, request.GET.get("page"), HISTORY_PAGE_SIZE)
    return render(
        request,
        "registry/history.html",
        {
            "org": org,
            "page": page,
            "rows": history_rows(page.items),
            "query_without_page": query_without_page(request),
        },
    )
