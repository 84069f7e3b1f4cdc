"""Meeting pages: agenda, attachments, minutes, decisions, attendance, actions and the invitation."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.accounts.access import access_for
from samverka.core.errors import DomainError
from samverka.registry.models import Organisation

from .. import permissions, selectors, services
from ..calendar import calendar_bytes
from ..forms import ActionForm, ActionStatusForm, AgendaForm, AttachmentForm, DecisionForm, MinutesForm
from ..models import Minutes
from .common import add_errors, error_page, organisations_in, user_by_email
from .forums import _ics_response

# The forms a meeting page may post ("invite" has no fields); a known one the user may not send is audited.
MEETING_FORMS = ("agenda", "attachment", "minutes", "decision", "action", "invite")


def _forms(request, meeting, can_manage, can_propose, kind):
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    members = list(meeting.forum.members.all())
    minutes = Minutes.objects.filter(meeting=meeting).first()
    present = [str(a.member_id) for a in meeting.attendance.all() if a.present]
    own_orgs = Organisation.objects.filter(pk__in=access_for(request.user).organisation_ids()).order_by("name")
    forms = {
        "agenda": AgendaForm(post if kind == "agenda" else None, organisations=own_orgs, prefix="ag")
        if can_propose
        else None
    }
    if can_manage:
        forms.update(
            {
                "attachment": AttachmentForm(
                    post if kind == "attachment" else None, files if kind == "attachment" else None, prefix="at"
                ),
                "minutes": MinutesForm(
                    post if kind == "minutes" else None,
                    members=members,
                    prefix="mi",
                    initial={
                        "text": minutes.text if minutes else "",
                        "present": present,
                        "open_space_summary": minutes.open_space_summary if minutes else "",
                    },
                ),
                "decision": DecisionForm(post if kind == "decision" else None, prefix="de"),
                "action": ActionForm(
                    post if kind == "action" else None,
                    decisions=list(meeting.decisions.all()),
                    organisations=organisations_in(meeting.forum.area),
                    prefix="ac",
                ),
            }
        )
    return forms


def _save(request, meeting, kind, d):
    user = request.user
    if kind == "agenda":
        services.agenda_item_add(actor=user, meeting=meeting, **d)
    elif kind == "attachment":
        services.attachment_add(actor=user, meeting=meeting, upload=d["file"])
    elif kind == "minutes":
        services.minutes_save(
            actor=user,
            meeting=meeting,
            text=d["text"],
            open_space_summary=d["open_space_summary"],
            present_member_ids=d["present"],
        )
    elif kind == "decision":
        services.decision_add(actor=user, meeting=meeting, text=d["text"])
    elif kind == "action":
        decision = next((x for x in meeting.decisions.all() if str(x.pk) == d["decision"]), None)
        services.action_create(
            actor=user,
            meeting=meeting,
            title=d["title"],
            decision=decision,
            owner_organisation=d["owner_organisation"],
            owner_user=user_by_email(d["owner_email"]),
            due=d["due"],
        )
    elif kind == "invite":
        n = services.meeting_invite(actor=user, meeting=meeting)
        messages.success(request, _("Invitations sent to %(n)d members.") % {"n": n})


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    forum = meeting.forum
    can_manage = permissions.can_manage(request.user, forum)
    can_propose = can_manage or permissions.is_member(request.user, forum)
    kind = request.POST.get("form", "")
    forms = _forms(request, meeting, can_manage, can_propose, kind)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise Http404
        if kind in MEETING_FORMS and (forms.get(kind) is None if kind != "invite" else not can_manage):
            raise selectors.write_refused(request.user, meeting, forum.area_id)
        if kind != "invite" and forms.get(kind) is None:
            raise Http404
        form = forms.get(kind)
        if form is None or form.is_valid():
            try:
                _save(request, meeting, kind, form.cleaned_data if form else {})
            except DomainError as exc:
                if form is None or exc.status_code in (403, 409, 413):
                    return error_page(request, exc)
                add_errors(form, exc)
            else:
                if kind != "invite":
                    messages.success(request, _("Saved."))
                return redirect("dialogue:meeting", pk=meeting.pk)
        status = 422
    return render(
        request,
        "dialogue/meeting.html",
        {
            "meeting": meeting,
            "forum": forum,
            "forms": forms,
            "can_manage": can_manage,
            "agenda": meeting.agenda.select_related("action_item", "proposer_organisation"),
            "attachments": meeting.attachments.all(),
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
            "decisions": meeting.decisions.prefetch_related("actions"),
            "attendance": meeting.attendance.select_related("member"),
            "actions": meeting.actions.select_related("owner_user", "owner_organisation", "decision"),
        },
        status=status,
    )


def meeting_ics(request: HttpRequest, pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    return _ics_response(calendar_bytes([meeting], meeting.forum.name), "meeting.ics")


def attachment_download(request: HttpRequest, pk, attachment_pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk)
    att = meeting.attachments.filter(pk=attachment_pk).first()
    if att is None:
        raise Http404
    response = FileResponse(att.file.open("rb"), content_type=att.content_type, as_attachment=True, filename=att.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    can_update = request.user.is_authenticated and permissions.can_update_action(request.user, action)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status}) if can_update else None
    if request.method == "POST":
        if form is None and request.user.is_authenticated:
            raise selectors.write_refused(request.user, action, action.forum.area_id)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.action_set_status(actor=request.user, action=action, **form.cleaned_data)
            except DomainError as exc:
                return error_page(request, exc)
            messages.success(request, _("Saved."))
            return redirect("dialogue:action", pk=action.pk)
    return render(
        request,
        "dialogue/action.html",
        {
            "action": action,
            "form": form,
            "comments": action.comments.select_related("author"),
            "agenda_items": action.agenda_items.select_related("meeting"),
        },
        status=422 if form is not None and form.errors else 200,
    )
