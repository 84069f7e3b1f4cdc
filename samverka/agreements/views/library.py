"""The template and principle library: shipped model agreements plus the coordinators' own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import DomainError

from .. import selectors, services
from ..forms import PrincipleSetForm, TemplateForm, sections_from_text
from .common import add_errors, form_status


@login_required
def library(request: HttpRequest):
    return render(
        request,
        "agreements/library.html",
        {
            "templates": selectors.templates_for(actor=request.user),
            "principle_sets": selectors.principle_sets_for(actor=request.user),
            "can_add": selectors.coordinated_areas(actor=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest):
    areas = selectors.coordinated_areas(actor=request.user)
    if not areas.exists():
        return render(request, "403.html", status=403)
    form = TemplateForm(
        request.POST or None, areas=areas, principle_sets=selectors.principle_sets_for(actor=request.user)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.template_create(
                actor=request.user,
                area=d["area"],
                title=d["title"],
                language=d["language"],
                kind=d["kind"],
                description=d["description"],
                sections=sections_from_text(d["text"]),
                principle_set=d["principle_set"],
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The template is added."))
            return redirect("agreements:library")
    return render(
        request, "agreements/library_form.html", {"form": form, "heading": _("New template")}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def principle_set_create(request: HttpRequest):
    areas = selectors.coordinated_areas(actor=request.user)
    if not areas.exists():
        return render(request, "403.html", status=403)
    form = PrincipleSetForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.principle_set_create(
                actor=request.user, area=d["area"], name=d["name"], principles=d["principles"].splitlines()
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The principles are added."))
            return redirect("agreements:library")
    return render(
        request,
        "agreements/library_form.html",
        {"form": form, "heading": _("New set of principles")},
        status=form_status(form),
    )
