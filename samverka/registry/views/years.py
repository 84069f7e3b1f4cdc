from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import NotFound, ValidationError

from .. import figures, selectors, services
from ..forms import YearForm
from .common import add_service_errors


def _rows(org):
    return [{"year": y, "person_years": figures.person_years(y.volunteer_hours, org.country)} for y in org.years.all()]


@login_required
@require_http_methods(["GET", "POST"])
def organisation_years(request: HttpRequest, pk):
    org = selectors.organisation_get_for_staff(actor=request.user, pk=pk, purpose="edit")
    editing = None
    if request.method == "POST":
        form = YearForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            year = data.pop("year")
            try:
                services.organisation_year_upsert(actor=request.user, organisation=org, year=year, values=data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The figures for %(year)s are saved.") % {"year": year})
                return redirect("registry:years", pk=org.pk)
    else:
        wanted = request.GET.get("year", "")
        editing = next((y for y in org.years.all() if str(y.year) == wanted), None)
        initial = {f: getattr(editing, f) for f in ("year", *services.YEAR_FIELDS)} if editing else {}
        form = YearForm(initial=initial)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "registry/years.html",
        {"org": org, "rows": _rows(org), "form": form, "editing": editing},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_year_delete(request: HttpRequest, pk, year: int):
    org = selectors.organisation_get_for_staff(actor=request.user, pk=pk, purpose="edit")
    row = next((y for y in org.years.all() if y.year == year), None)
    if row is None:
        return render(request, "404.html", status=404)
    if request.method == "POST":
        try:
            services.organisation_year_delete(actor=request.user, organisation=org, year=year)
        except (NotFound, ValidationError):
            return render(request, "404.html", status=404)
        messages.success(request, _("The figures for %(year)s are deleted.") % {"year": year})
        return redirect("registry:years", pk=org.pk)
    return render(request, "registry/year_delete.html", {"org": org, "row": row})
