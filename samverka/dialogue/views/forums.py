"""Forum pages: the list, a forum with meetings, decisions and open actions, iCalendar feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverka.accounts.requests import AuthenticatedHttpRequest
from samverka.areas.selectors import area_coordinators
from samverka.core.errors import DomainError
from samverka.core.pagination import paginate

from .. import permissions, selectors, services
from ..calendar import calendar_bytes
from ..forms import ForumForm, MeetingForm, MemberForm
from ..models import ActionStatus, CalendarToken
from .common import add_errors, coordinated_areas, organisations_in, query_without, user_by_email


def index(request: HttpRequest):
    return render(
        request,
        "dialogue/index.html",
        {
            "page": paginate(selectors.forum_list(actor=request.user), request.GET.get("page"), 25),
            "query_without_page": query_without(request, "page"),
            "hearings": selectors.hearing_list_open()[:10],
            "can_create": request.user.is_authenticated and coordinated_areas(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest):
    areas = coordinated_areas(request.user)
    if not areas.exists():
        return render(request, "403.html", status=403)
    form = ForumForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            forum = services.forum_create(
                actor=request.user,
                area=d["area"],
                name=d["name"],
                mandate=d["mandate"],
                is_public=d["is_public"],
                kind=d["kind"],
            )
        except DomainError as exc:
            add_errors(form, exc)
        else:
            return redirect("dialogue:forum", pk=forum.pk)
    return render(
        request, "dialogue/form.html", {"form": form, "heading": _("New forum")}, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def forum_detail(request: HttpRequest, pk):
    forum = selectors.forum_get(actor=request.user, pk=pk)
    can_manage = permissions.can_manage(request.user, forum)
    kind = request.POST.get("form", "")
    post = request.POST if request.method == "POST" else None
    meeting_form = MeetingForm(post if kind == "meeting" else None, prefix="m") if can_manage else None
    member_form = (
        MemberForm(post if kind == "member" else None, organisations=organisations_in(forum.area), prefix="mb")
        if can_manage
        else None
    )
    status = 200
    if request.method == "POST":
        forms_by_kind = {"meeting": meeting_form, "member": member_form}
        form = forms_by_kind.get(kind)
        if form is None and kind in forms_by_kind and request.user.is_authenticated:
            raise selectors.write_refused(request.user, forum, forum.area_id)
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                if kind == "meeting":
                    meeting = services.meeting_create(actor=request.user, forum=forum, **d)
                    if d["send_invitations"]:
                        messages.success(request, _("The meeting is created and the invitations are sent."))
                    return redirect("dialogue:meeting", pk=meeting.pk)
                services.forum_member_add(actor=request.user, forum=forum, user=user_by_email(d["email"]), **d)
                messages.success(request, _("The member is added."))
                return redirect("dialogue:forum", pk=forum.pk)
            except DomainError as exc:
                add_errors(form, exc)
        status = 422
    action_status = request.GET.get("status", "open")
    action_sort = request.GET.get("sort", "due")
    return render(
        request,
        "dialogue/forum.html",
        {
            "forum": forum,
            "coordinators": area_coordinators(forum.area),
            "members": list(forum.members.all()),
            "page": paginate(selectors.meetings(forum), request.GET.get("page"), 20),
            "decisions": selectors.paginate_by_keys(selectors.decisions_page(forum), request.GET.get("dpage"), 10),
            "actions": selectors.paginate_by_keys(
                selectors.forum_actions(forum, status=action_status, sort=action_sort), request.GET.get("apage"), 25
            ),
            "action_status": action_status,
            "action_sort": action_sort,
            "action_statuses": [("open", _("Open or in progress")), ("", _("All")), *ActionStatus.choices],
            "action_sorts": [("due", _("Due date")), ("-due", _("Due date, latest first")), ("status", _("Status"))],
            "can_manage": can_manage,
            "meeting_form": meeting_form,
            "member_form": member_form,
            "query_without_page": query_without(request, "page"),
            "query_without_apage": query_without(request, "apage"),
            "query_without_dpage": query_without(request, "dpage"),
        },
        status=status,
    )


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def forum_ics(request: HttpRequest, pk):
    forum = selectors.forum_get(actor=request.user, pk=pk)
    meetings = forum.meetings.select_related("forum").prefetch_related("agenda").order_by("starts_at")
    return _ics_response(calendar_bytes(meetings, forum.name), "forum.ics")


def user_ics(request: HttpRequest, token: str):
    row = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if row is None:
        raise Http404
    return _ics_response(
        calendar_bytes(selectors.meetings_for_user(row.user).order_by("starts_at"), "Samverka"), "samverka.ics"
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed(request: AuthenticatedHttpRequest):
    """The person's secret feed address; POST makes a new one (old subscriptions stop working)."""
    row, _created = CalendarToken.objects.get_or_create(user=request.user)
    if request.method == "POST":
        row.delete()
        row = CalendarToken.objects.create(user=request.user)
        messages.success(request, _("A new feed address is made; the old one no longer works."))
        return redirect("dialogue:calendar")
    url = request.build_absolute_uri(reverse("dialogue:user_ics", args=[row.token]))
    # `?replace=1` asks before replacing: every calendar subscribed to the old address stops updating.
    return render(request, "dialogue/calendar.html", {"url": url, "confirm": request.GET.get("replace") == "1"})
