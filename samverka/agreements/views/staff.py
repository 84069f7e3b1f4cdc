"""Staff and party pages: lists, the area register, creating an agreement, the agreement page, versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.accounts.requests import AuthenticatedHttpRequest
from samverka.core.errors import DomainError
from samverka.core.pagination import paginate
from samverka.dialogue.selectors import hearings_on_agreement
from samverka.registry.models import Organisation

from .. import pdf, permissions, selectors, services
from ..compare import compare
from ..durations import duration_warning
from ..forms import AgreementCreateForm, CommentForm, TemplateChoiceForm
from ..models import AgreementStatus, SignedPdf
from ..services.lifecycle import TRANSITIONS
from .common import add_errors, area_from_query, error_page, form_status, query_without_page, sort_links


@login_required
def index(request: HttpRequest):
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")[:200]
    sort = request.GET.get("sort", "title")
    page = paginate(
        selectors.agreement_list(actor=request.user, status=status, q=q, sort=sort), request.GET.get("page"), 25
    )
    return render(
        request,
        "agreements/index.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": AgreementStatus.choices,
            "query_without_page": query_without_page(request),
            "query": request.GET.urlencode(),
            "sort": sort,
            "sort_links": sort_links(request, sort, ["title", "status", "ends", "updated"]),
            "can_create": selectors.coordinated_areas(actor=request.user).exists(),
        },
    )


@login_required
def register(request: HttpRequest):
    """What ends in the next 12 months in the actor's areas (or in one area)."""
    area = area_from_query(request)
    sort = request.GET.get("sort", "ends")
    page = paginate(
        selectors.register_page_rows(selectors.ending_soon(actor=request.user, area=area, sort=sort)),
        request.GET.get("page"),
        25,
    )
    return render(
        request,
        "agreements/register.html",
        {
            "page": page,
            "area": area,
            "areas": selectors.areas_with_agreements(actor=request.user),
            "sort": sort,
            "sort_links": sort_links(request, sort, ["ends", "title", "area"]),
            "tasks": selectors.follow_up_tasks(actor=request.user, area=area),
            "query": request.GET.urlencode(),
            "query_without_page": query_without_page(request),
        },
    )


def _organisations_for(areas) -> QuerySet[Organisation]:
    paths = list(areas.values_list("path", flat=True)[:50])
    q = Q()
    for p in paths:
        q |= Q(home_area__path__startswith=p) | Q(areas__path__startswith=p)
    ids = Organisation.objects.filter(q).exclude(status="dissolved").values_list("pk", flat=True) if paths else []
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest):
    """Two steps on one page: choose a template (a GET form, `?template=`), then fill in the details and the
    template's fields. Without a template the agreement starts with an empty text to write."""
    areas = selectors.coordinated_areas(actor=request.user)
    if not areas.exists():
        return render(request, "403.html", status=403)
    templates = selectors.templates_for(actor=request.user)
    template_id = request.POST.get("template") or request.GET.get("template")
    template = selectors.template_get(actor=request.user, pk=template_id)
    if template_id and template is None:
        raise Http404  # not a template this person may start from
    top = areas.filter(depth=areas.order_by("depth").values_list("depth", flat=True).first())
    form = AgreementCreateForm(
        request.POST or None,
        areas=areas,
        organisations=_organisations_for(top),
        principle_sets=selectors.principle_sets_for(actor=request.user),
        template=template,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=request.user,
                area=data["area"],
                kind=data["kind"],
                title=data["title"],
                starts=data["starts"],
                ends=data["ends"],
                review_date=data["review_date"],
                template=template,
                organisations=data["organisations"],
                principle_set=data["principle_set"],
                values=form.template_values(),
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The draft agreement is created."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/create.html",
        {
            "form": form,
            "template": template,
            "choice_form": TemplateChoiceForm(initial={"template": template}, templates=templates),
        },
        status=form_status(form),
    )


def _actions(user, agreement) -> list[dict]:
    if not permissions.can_manage(user, agreement):
        return []
    labels = {
        "open_consultation": _("Open consultation"),
        "agree": _("Mark the text agreed"),
        "start_signing": _("Start signing"),
        "start_review": _("Start the yearly review"),
        "conclude_review": _("Conclude the review"),
        "renew": _("Renew"),
        "end": _("End the agreement"),
    }
    return [
        {"action": a, "label": labels[a]} for a, (allowed, _t) in TRANSITIONS.items() if agreement.status in allowed
    ]


@login_required
def detail(request: AuthenticatedHttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    version = agreement.version
    comments = selectors.comments_by_section(version)
    sections = [{"index": i, **s, "comments": comments.get(i, [])} for i, s in enumerate(version.sections)]
    can_comment = agreement.status == AgreementStatus.CONSULTATION and permissions.can_comment(request.user, agreement)
    my_signatures = version.signatures.filter(user=request.user).exists()
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "version": version,
            "sections": sections,
            "can_manage": permissions.can_manage(request.user, agreement),
            "actions": _actions(request.user, agreement),
            "warning": duration_warning(agreement),
            "comment_form": CommentForm(sections=version.sections) if can_comment else None,
            "can_sign": agreement.status == AgreementStatus.SIGNING
            and permissions.is_signatory(request.user, agreement)
            and not my_signatures,
            "signatures": version.signatures.select_related("signatory__party__organisation", "signatory__party__area"),
            "trend": selectors.review_trend(agreement),
            "disagreements": selectors.open_disagreements(agreement),
            "hearings": hearings_on_agreement(actor=request.user, agreement=agreement),
            "public": agreement.published and agreement.status in selectors.PUBLIC_STATUSES,
            "can_open_hearing": agreement.status in (AgreementStatus.DRAFT, AgreementStatus.CONSULTATION)
            and permissions.can_manage(request.user, agreement),
        },
    )


@login_required
@require_http_methods(["POST"])
def comment(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    form = CommentForm(request.POST, sections=agreement.version.sections)
    if form.is_valid():
        try:
            services.comment_add(
                actor=request.user,
                agreement=agreement,
                section_index=form.cleaned_data["section_index"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            return error_page(request, exc)
        messages.success(request, _("Your comment is saved."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/comment_form.html", {"agreement": agreement, "form": form}, status=422)


@login_required
def versions(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    rows = list(selectors.versions(agreement))
    rows_compare = None
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        try:
            old = selectors.version_get(agreement, int(a))
            new = selectors.version_get(agreement, int(b))
        except (ValueError, Http404):
            pass
        else:
            rows_compare = {"old": old, "new": new, "rows": compare(old, new)}
    return render(
        request, "agreements/versions.html", {"agreement": agreement, "versions": rows, "compare": rows_compare}
    )


@login_required
def version_detail(request: HttpRequest, pk, number: int):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    version = selectors.version_get(agreement, number)
    signed_pdf = SignedPdf.objects.filter(version=version).first()
    return render(
        request, "agreements/version.html", {"agreement": agreement, "version": version, "signed_pdf": signed_pdf}
    )


@login_required
def version_pdf_view(request: HttpRequest, pk, number: int):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    version = selectors.version_get(agreement, number)
    if not pdf.is_fully_signed(agreement, version):
        # A draft or a text still being signed: printed now, never stored.
        response = HttpResponse(
            pdf.version_pdf(agreement, version, list(version.signatures.all())), content_type="application/pdf"
        )
    else:
        try:
            stored = pdf.signed_pdf_store(agreement, version)
            content = pdf.signed_pdf_bytes(stored)
        except DomainError as exc:
            return error_page(request, exc)
        response = HttpResponse(content, content_type="application/pdf")
        response["X-Content-SHA256"] = stored.sha256
        response["ETag"] = f'"{stored.sha256}"'
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}-v{version.number}.pdf"'
    return response
