"""Hearing pages: list, the document with comments, moderation, responses and the summary report."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.accounts.access import access_for
from samverka.agreements import permissions as agreement_permissions
from samverka.agreements import selectors as agreement_selectors
from samverka.agreements.forms import sections_from_text, sections_to_text
from samverka.core.errors import DomainError
from samverka.core.pagination import paginate
from samverka.registry.models import Organisation

from .. import hearings as services
from .. import permissions, selectors
from ..forms import HearingCommentForm, HearingForm, RespondForm, SummaryForm
from ..hearing_models import HearingComment, HearingStatus
from ..services import Forbidden
from .common import add_errors, coordinated_areas, error_page, query_without


def hearing_list(request: HttpRequest):
    return render(
        request,
        "dialogue/hearings.html",
        {
            "page": paginate(selectors.hearing_list_public(), request.GET.get("page"), 25),
            "query_without_page": query_without(request, "page"),
            "can_create": request.user.is_authenticated and coordinated_areas(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest):
    """`?agreement=<id>`: a hearing on a draft agreement, its title and text filled in from the current version."""
    areas = coordinated_areas(request.user)
    if not areas.exists():
        return render(request, "403.html", status=403)
    agreement = None
    initial = {}
    if request.GET.get("agreement"):
        agreement = agreement_selectors.agreement_get(actor=request.user, pk=request.GET["agreement"], purpose="manage")
        version = agreement.version
        initial = {
            "area": agreement.area_id,
            "title": _("Hearing: %(title)s") % {"title": agreement.title},
            "text": sections_to_text(version.sections),
        }
    form = HearingForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            hearing = services.hearing_create(
                actor=request.user,
                area=d["area"],
                title=d["title"],
                intro=d["intro"],
                audience=d["audience"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                sections=sections_from_text(d["text"]),
                agreement=agreement,
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            return redirect("dialogue:hearing", pk=hearing.pk)
    heading = _("New hearing")
    if agreement is not None:
        heading = _("New hearing on “%(title)s”") % {"title": agreement.title}
    return render(request, "dialogue/form.html", {"form": form, "heading": heading}, status=422 if form.errors else 200)


def _client_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(f"{request.session.session_key}:{request.META.get('REMOTE_ADDR', '')}".encode()).hexdigest()


def _comment_form(request, hearing, sections, fixed_section=None):
    """The comment form while the hearing is open (None otherwise), and the organisations one may speak for."""
    orgs = list(Organisation.objects.filter(pk__in=access_for(request.user).organisation_ids()).order_by("name"))
    if not services.is_open(hearing):
        return None, orgs
    initial = {"section": request.GET.get("section", "")}
    form = HearingCommentForm(
        request.POST if request.method == "POST" else None,
        sections=sections,
        organisations=orgs,
        fixed_section=fixed_section,
        initial=initial,
    )
    return form, orgs


def _post_comment(request, hearing, sections, form, orgs, fixed_section=None):
    """Validate and save; returns a response on success or refusal, None when the form shows its errors."""
    if form is None:
        return error_page(request, DomainError(_("The hearing is not open for comments.")))
    if not form.is_valid():
        return None
    d = form.cleaned_data
    section = fixed_section or next((s for s in sections if str(s.pk) == d.get("section")), None)
    try:
        services.comment_add(
            actor=request.user,
            hearing=hearing,
            text=d["text"],
            name=d["name"],
            section=section,
            organisation=next((o for o in orgs if str(o.pk) == d.get("organisation")), None),
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
    except DomainError as exc:
        if exc.status_code == 429:
            return error_page(request, exc)
        add_errors(form, exc)
        return None
    messages.success(request, _("Thank you. Your comment is published after moderation."))
    if fixed_section is not None:
        return redirect("dialogue:hearing_section", pk=hearing.pk, number=fixed_section.order + 1)
    return redirect("dialogue:hearing", pk=hearing.pk)


def _agreement_url(user, hearing) -> str:
    """Where the agreement the hearing is about can be read by this person: its page, or its public page."""
    agreement = hearing.agreement
    if agreement is None:
        return ""
    if agreement_permissions.can_view(user, agreement):
        return reverse("agreements:detail", args=[agreement.pk])
    public = agreement.published and agreement.status in agreement_selectors.PUBLIC_STATUSES
    return reverse("agreements:public_detail", args=[agreement.pk]) if public else ""


@require_http_methods(["GET", "POST"])
def hearing_detail(request: HttpRequest, pk):
    """The whole document with a table of contents; comments are shown under the section they belong to."""
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    moderator = permissions.can_manage_area(request.user, hearing.area)
    sections = list(hearing.sections.all())
    form, orgs = _comment_form(request, hearing, sections)
    if request.method == "POST":
        response = _post_comment(request, hearing, sections, form, orgs)
        if response is not None:
            return response
    comments = list(selectors.hearing_comments(hearing, moderator=moderator))
    by_section = selectors.group_by_section(comments)
    closed_published = [c for c in comments if c.status == "published"]
    return render(
        request,
        "dialogue/hearing.html",
        {
            "hearing": hearing,
            "agreement_url": _agreement_url(request.user, hearing),
            "sections": [{"section": s, "number": s.order + 1, "comments": by_section.get(s.pk, [])} for s in sections],
            "general_comments": by_section.get(None, []),
            "form": form,
            "comments": comments,
            "moderator": moderator,
            "respond_form": RespondForm(comments=closed_published)
            if moderator and hearing.status == HearingStatus.CLOSED and closed_published
            else None,
            "summary_form": SummaryForm() if moderator and hearing.status == HearingStatus.CLOSED else None,
        },
        status=422 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def hearing_section(request: HttpRequest, pk, number: int):
    """One section of the document: its text, its comments, a comment form for it, previous/next section."""
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    moderator = permissions.can_manage_area(request.user, hearing.area)
    sections = list(hearing.sections.all())
    if not 1 <= number <= len(sections):
        raise Http404
    section = sections[number - 1]
    form, orgs = _comment_form(request, hearing, sections, fixed_section=section)
    if request.method == "POST":
        response = _post_comment(request, hearing, sections, form, orgs, fixed_section=section)
        if response is not None:
            return response
    return render(
        request,
        "dialogue/hearing_section.html",
        {
            "hearing": hearing,
            "section": section,
            "number": number,
            "total": len(sections),
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < len(sections) else None,
            "toc": [{"number": i, "heading": s.heading} for i, s in enumerate(sections, start=1)],
            "comments": selectors.hearing_comments(hearing, moderator=moderator).filter(section=section),
            "moderator": moderator,
            "form": form,
        },
        status=422 if form is not None and form.errors else 200,
    )


# Actions that cannot be undone: the buttons lead to a confirmation page (GET), which posts.
CONFIRM = ("close", "reject")


def _confirm_page(request, hearing, action: str):
    if not permissions.can_manage_area(request.user, hearing.area):
        return error_page(request, Forbidden(_("Only the coordinators of the area may do this.")))
    comment = None
    if action == "reject":
        comment_id = selectors._uuid(request.GET.get("comment"))
        comment = HearingComment.objects.filter(hearing=hearing, pk=comment_id).first() if comment_id else None
        if comment is None:
            raise Http404
    return render(request, "dialogue/hearing_confirm.html", {"hearing": hearing, "action": action, "comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def hearing_action(request: HttpRequest, pk, action: str):
    """POST makes the change; GET of an action that cannot be undone asks first."""
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    if request.method == "GET":
        if action not in CONFIRM:
            raise Http404
        return _confirm_page(request, hearing, action)
    try:
        if action in ("open", "close", "publish_report"):
            services.hearing_transition(
                actor=request.user, hearing=hearing, action=action, summary=request.POST.get("summary", "")
            )
        elif action == "respond":
            comments = list(HearingComment.objects.filter(hearing=hearing, pk__in=request.POST.getlist("comments")))
            services.comment_respond(actor=request.user, comments=comments, response=request.POST.get("response", ""))
        elif action in ("publish", "reject"):
            comment_id = selectors._uuid(request.POST.get("comment"))
            comment = HearingComment.objects.filter(hearing=hearing, pk=comment_id).first() if comment_id else None
            if comment is None:
                raise Http404
            services.comment_moderate(actor=request.user, comment=comment, publish=action == "publish")
        else:
            raise Http404
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("Saved."))
    return redirect("dialogue:hearing", pk=hearing.pk)


@require_http_methods(["POST"])
def comment_support(request: HttpRequest, pk, comment_pk):
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    comment = HearingComment.objects.filter(hearing=hearing, pk=comment_pk).first()
    if comment is None:
        raise Http404
    try:
        services.comment_support(comment=comment, supporter_key=_client_key(request))
    except DomainError as exc:
        return error_page(request, exc)
    return redirect("dialogue:hearing", pk=hearing.pk)


def hearing_report(request: HttpRequest, pk):
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    if hearing.status != HearingStatus.REPORTED:
        raise Http404
    context = {"hearing": hearing, "comments": selectors.hearing_comments(hearing, moderator=False)}
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        pdf = HTML(string=render_to_string("dialogue/report_pdf.html", context)).write_pdf()
        return HttpResponse(pdf, content_type="application/pdf")
    return render(request, "dialogue/report.html", context)
