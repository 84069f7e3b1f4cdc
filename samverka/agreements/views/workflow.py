"""Changing an agreement: new text, transitions, signing, parties and commitments, the yearly review."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.core.errors import DomainError

from .. import permissions, selectors, services
from ..forms import (
    CommitmentForm,
    PartyForm,
    PrincipleForm,
    RenewForm,
    ScoreForm,
    SignatoryForm,
    SignForm,
    VersionForm,
    sections_from_text,
    sections_to_text,
)
from ..models import AgreementStatus, Review, ReviewScore
from ..services.lifecycle import TRANSITIONS
from .common import add_errors, error_page, form_status
from .staff import _organisations_for


@login_required
@require_http_methods(["GET", "POST"])
def edit_text(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk, purpose="manage")
    current = agreement.version
    form = VersionForm(
        request.POST or None, initial={"title": current.title, "text": sections_to_text(current.sections)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_create(
                actor=request.user,
                agreement=agreement,
                title=form.cleaned_data["title"],
                sections=sections_from_text(form.cleaned_data["text"]),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            if exc.status_code == 409 and agreement.status not in (
                AgreementStatus.DRAFT,
                AgreementStatus.CONSULTATION,
                AgreementStatus.REVIEW,
            ):
                return error_page(request, exc)
            add_errors(form, exc)
        else:
            messages.success(request, _("A new version of the text is saved."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request, "agreements/edit_text.html", {"agreement": agreement, "form": form}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk, action: str):
    """GET shows a confirmation step; POST makes the transition."""
    if action not in TRANSITIONS:
        raise Http404
    agreement = selectors.agreement_get(actor=request.user, pk=pk, purpose="manage")
    form = RenewForm(request.POST or None) if action == "renew" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.agreement_transition(
                actor=request.user, agreement=agreement, action=action, ends=form.cleaned_data["ends"] if form else None
            )
        except DomainError as exc:
            if form is not None and exc.status_code == 422:
                add_errors(form, exc)
            else:
                return error_page(request, exc)
        else:
            messages.success(
                request,
                _("Done: the agreement is now “%(status)s”.") % {"status": AgreementStatus(agreement.status).label},
            )
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/transition.html",
        {"agreement": agreement, "action": action, "form": form},
        status=form_status(form) if form else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    if not permissions.is_signatory(request.user, agreement):
        raise Http404
    version = agreement.version
    form = SignForm(request.POST or None, initial={"text_sha256": version.text_sha256})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                otp_token=form.cleaned_data["otp_token"],
                text_sha256=form.cleaned_data["text_sha256"],
            )
        except DomainError as exc:
            if exc.status_code != 422:
                return error_page(request, exc)
            add_errors(form, exc)
        else:
            messages.success(request, _("You have signed the agreement."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/sign.html",
        {"agreement": agreement, "version": version, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def parties(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    party_list = list(agreement.parties.all())
    principles = list(agreement.principles.all())
    can_manage = permissions.can_manage(request.user, agreement)
    speaks = permissions.parties_user_speaks_for(request.user, agreement)
    kind = request.POST.get("form", "")
    post = request.POST if request.method == "POST" else None
    forms = {
        "party": PartyForm(
            post if kind == "party" else None,
            organisations=_organisations_for(type(agreement.area).objects.filter(pk=agreement.area_id)),
            areas=type(agreement.area)
            .objects.filter(country=agreement.area.country)
            .exclude(kind="country")
            .order_by("depth", "name"),
            prefix="party",
        )
        if can_manage
        else None,
        "signatory": SignatoryForm(post if kind == "signatory" else None, parties=party_list, prefix="sig")
        if can_manage
        else None,
        "principle": PrincipleForm(post if kind == "principle" else None, prefix="pr") if can_manage else None,
        "commitment": CommitmentForm(
            post if kind == "commitment" else None,
            principles=principles,
            parties=party_list if can_manage else speaks,
            prefix="cm",
        )
        if principles and (can_manage or speaks)
        else None,
    }
    status = 200
    if request.method == "POST":
        form = forms.get(kind)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                _save(request.user, agreement, kind, form.cleaned_data, party_list, principles)
            except DomainError as exc:
                if exc.status_code in (403, 409):
                    return error_page(request, exc)
                add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("agreements:parties", pk=agreement.pk)
        status = 422
    return render(
        request,
        "agreements/parties.html",
        {
            "agreement": agreement,
            "parties": party_list,
            "principles": principles,
            "forms": forms,
        },
        status=status,
    )


def _save(user, agreement, kind, data, party_list, principles):
    by_id = {str(p.pk): p for p in party_list}
    if kind == "party":
        services.party_add(actor=user, agreement=agreement, organisation=data["organisation"], area=data["area"])
    elif kind == "signatory":
        person = get_user_model().objects.filter(email__iexact=data["email"], is_active=True).first()
        if person is None:
            from ..services.common import invalid

            raise invalid({"email": [_("No Samverka user has this e-mail address. Invite them first.")]})
        services.signatory_add(actor=user, party=by_id[data["party"]], user=person, position=data["position"])
    elif kind == "principle":
        services.principle_add(actor=user, agreement=agreement, title=data["title"])
    elif kind == "commitment":
        principle = next(p for p in principles if str(p.pk) == data["principle"])
        services.commitment_set(actor=user, principle=principle, party=by_id[data["party"]], text=data["text"])


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk)
    current = Review.objects.filter(agreement=agreement).order_by("-year").first()
    principles = list(agreement.principles.all())
    speaks = permissions.parties_user_speaks_for(request.user, agreement)
    open_review = current and current.status == "open" and agreement.status == AgreementStatus.REVIEW
    form = ScoreForm(request.POST or None, principles=principles, parties=speaks) if open_review and speaks else None
    if request.method == "POST":
        if form is None or current is None:
            return error_page(request, DomainError(_("There is no open review you can score.")), "")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.review_score_set(
                    actor=request.user,
                    review=current,
                    principle=next(p for p in principles if str(p.pk) == d["principle"]),
                    party=next(p for p in speaks if str(p.pk) == d["party"]),
                    score=d["score"],
                    comment=d["comment"],
                    evidence_links=d["evidence_links"].split(),
                    disagreement=d["disagreement"],
                )
            except DomainError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Your score is saved."))
                return redirect("agreements:review", pk=agreement.pk)
    scores = (
        ReviewScore.objects.filter(review=current).select_related("principle", "party__organisation", "party__area")
        if current
        else []
    )
    return render(
        request,
        "agreements/review.html",
        {
            "agreement": agreement,
            "review": current,
            "form": form,
            "scores": scores,
            "trend": selectors.review_trend(agreement),
            "disagreements": selectors.open_disagreements(agreement),
            "can_manage": permissions.can_manage(request.user, agreement),
        },
        status=form_status(form) if form else 200,
    )


@login_required
@require_http_methods(["POST"])
def resolve_disagreement(request: HttpRequest, pk, score_pk):
    agreement = selectors.agreement_get(actor=request.user, pk=pk, purpose="manage")
    score = ReviewScore.objects.filter(pk=score_pk, review__agreement=agreement).first()
    if score is None:
        raise Http404
    try:
        services.review_disagreement_resolve(actor=request.user, score=score)
    except DomainError as exc:
        return error_page(request, exc)
    messages.success(request, _("The disagreement is marked resolved."))
    return redirect("agreements:review", pk=agreement.pk)
