"""Reads of forums, meetings, actions and hearings, scoped to what the actor may see."""

import uuid

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverka.accounts.access import ALL_AREA_ROLES, access_for
from samverka.audit.services import audit_record
from samverka.core.pagination import Page, clamp_page, clamp_page_size

from . import permissions
from .hearing_models import CommentStatus, Hearing, HearingComment, HearingStatus
from .models import OPEN_ACTION_STATUSES, ActionItem, ActionStatus, Decision, Forum, ForumMember, Meeting


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def forum_visible_q(actor) -> Q:
    access = access_for(actor)
    if access.is_platform_admin:
        return Q()
    q = Q(is_public=True) | access.area_filter("area__path", ALL_AREA_ROLES)
    if access.authenticated:
        member_forums = ForumMember.objects.filter(
            Q(user=actor) | Q(organisation_id__in=list(access.organisation_ids()))
        ).values("forum_id")
        q |= Q(pk__in=member_forums)
    return q


def forum_list(*, actor) -> QuerySet:
    return (
        Forum.objects.filter(forum_visible_q(actor))
        .select_related("area")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES)))
        .order_by("area__name", "name")
    )


def _denied(actor, obj, area_id, purpose: str = "view") -> Http404:
    audit_record(actor=actor, action="access.denied", obj=obj, area_id=area_id, changes={"purpose": purpose})
    return Http404()


def write_refused(actor, obj, area_id) -> Http404:
    """A form on a page the actor may read but not act on (a public forum's management forms, say): audited like a
    cross-area read, answered 404. The caller raises what this returns."""
    return _denied(actor, obj, area_id, purpose="manage")


def forum_get(*, actor, pk, manage: bool = False) -> Forum:
    forum = (
        Forum.objects.select_related("area")
        .prefetch_related(Prefetch("members", queryset=ForumMember.objects.select_related("organisation", "user")))
        .filter(pk=_uuid(pk))
        .first()
        if _uuid(pk)
        else None
    )
    if forum is None:
        raise Http404
    allowed = permissions.can_manage(actor, forum) if manage else permissions.can_view(actor, forum)
    if not allowed:
        raise _denied(actor, forum, forum.area_id)
    return forum


def meeting_get(*, actor, pk) -> Meeting:
    meeting = Meeting.objects.select_related("forum__area").filter(pk=_uuid(pk)).first() if _uuid(pk) else None
    if meeting is None:
        raise Http404
    forum_get(actor=actor, pk=meeting.forum_id)
    return meeting


def meetings(forum: Forum) -> QuerySet:
    return forum.meetings.order_by("-starts_at")


NAME_FIELDS = ("name", "name_nb", "name_sv", "name_fi", "name_en")
# What `ActionItem.owner` reads: a page of actions loads only these columns of the owners.
OWNER_FIELDS = (
    *(f"owner_organisation__{f}" for f in NAME_FIELDS),
    "owner_user__full_name",
    "owner_user__email",
)


def _actions_with_owners() -> QuerySet:
    return ActionItem.objects.select_related("owner_user", "owner_organisation").only(
        "id", "forum_id", "meeting_id", "decision_id", "title", "due", "status", *OWNER_FIELDS
    )


def decisions_with_outcomes(forum: Forum) -> QuerySet:
    """Each decision of the forum with what became of it (its action items and their status)."""
    return (
        Decision.objects.filter(meeting__forum=forum)
        .select_related("meeting")
        .prefetch_related(Prefetch("actions", queryset=_actions_with_owners().order_by("due", "created_at")))
        .order_by("-meeting__starts_at", "order")
    )


def paginate_by_keys(queryset: QuerySet, page, page_size) -> Page:
    """`paginate`, but the page's rows are picked by their keys first: the ordered, offset key query runs on the
    bare table (its index, no joins) inside the query that reads the joined rows of that page only. Same rows,
    same order and the same number of queries (count + page); a deep page no longer joins every row before it."""
    size = clamp_page_size(page_size)
    count = queryset.count()
    number = min(clamp_page(page), max(1, -(-count // size)))
    offset = (number - 1) * size
    keys = queryset.values("pk")[offset : offset + size]
    return Page(items=list(queryset.filter(pk__in=keys)), number=number, size=size, count=count)


def decisions_page(forum: Forum) -> QuerySet:
    """`decisions_with_outcomes` for the forum page, which shows each action's title and status only (the CSV
    also shows owners): no owner joins, only the columns shown."""
    actions = ActionItem.objects.only("id", "decision_id", "title", "status", "due", "created_at")
    return (
        Decision.objects.filter(meeting__forum=forum)
        .select_related("meeting")
        .only("id", "meeting_id", "order", "text", "meeting__starts_at")
        .prefetch_related(Prefetch("actions", queryset=actions.order_by("due", "created_at")))
        .order_by("-meeting__starts_at", "order")
    )


ACTION_SORTS = {
    "due": ("due", "created_at", "id"),
    "-due": ("-due", "-created_at", "id"),
    "status": ("status", "due", "id"),
    "title": ("title", "id"),
    "created": ("-created_at", "id"),
}


def forum_actions(forum: Forum, *, status: str = "", sort: str = "") -> QuerySet:
    """All action items of the forum (optionally one status, or "open" for open and in progress)."""
    qs = forum.actions.select_related("owner_user", "owner_organisation", "decision", "meeting").only(
        "id",
        "forum_id",
        "title",
        "due",
        "status",
        "decision__text",
        "meeting__title",
        "meeting__starts_at",
        *OWNER_FIELDS,
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(*ACTION_SORTS.get(sort, ACTION_SORTS["due"]))


def open_actions(forum: Forum) -> QuerySet:
    return (
        forum.actions.filter(status__in=OPEN_ACTION_STATUSES)
        .select_related("owner_user", "owner_organisation", "decision", "meeting")
        .order_by("due", "created_at")
    )


def action_get(*, actor, pk) -> ActionItem:
    action = (
        ActionItem.objects.select_related("forum__area", "decision", "meeting", "owner_user", "owner_organisation")
        .filter(pk=_uuid(pk))
        .first()
        if _uuid(pk)
        else None
    )
    if action is None:
        raise Http404
    forum_get(actor=actor, pk=action.forum_id)
    return action


def actions_for_api(*, actor) -> QuerySet:
    forums = Forum.objects.filter(forum_visible_q(actor)).values("pk")
    return (
        ActionItem.objects.filter(forum_id__in=forums)
        .select_related("owner_user", "owner_organisation")
        .order_by("due", "created_at")
    )


def meetings_for_user(user) -> QuerySet:
    access = access_for(user)
    member_forums = ForumMember.objects.filter(
        Q(user=user) | Q(organisation_id__in=list(access.organisation_ids()))
    ).values("forum_id")
    return Meeting.objects.filter(forum_id__in=member_forums).select_related("forum").prefetch_related("agenda")


# -- hearings -------------------------------------------------------------------------------------
def hearing_list_public() -> QuerySet:
    return Hearing.objects.exclude(status=HearingStatus.DRAFT).select_related("area").order_by("-opens_at")


def hearing_list_open(*, now=None) -> QuerySet:
    """Hearings that accept comments now."""
    now = now or timezone.now()
    return (
        Hearing.objects.filter(status=HearingStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
        .select_related("area")
        .order_by("closes_at", "id")
    )


def hearings_on_agreement(*, actor, agreement) -> QuerySet:
    """Hearings about an agreement: all of them for its area's coordinators, the opened ones for others."""
    qs = Hearing.objects.filter(agreement=agreement).select_related("area").order_by("-opens_at")
    if not permissions.can_manage_area(actor, agreement.area):
        qs = qs.exclude(status=HearingStatus.DRAFT)
    return qs


def hearing_sections_with_counts(hearing: Hearing) -> list:
    """The sections in order, each with `number` (1-based) and `published_comments`."""
    sections = list(
        hearing.sections.annotate(
            published_comments=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED))
        ).order_by("order")
    )
    for number, section in enumerate(sections, start=1):
        setattr(section, "number", number)  # noqa: B010
    return sections


def hearing_get(*, actor, pk) -> Hearing:
    hearing = (
        Hearing.objects.select_related("area", "agreement__area")
        .prefetch_related("sections")
        .filter(pk=_uuid(pk))
        .first()
        if _uuid(pk)
        else None
    )
    if hearing is None:
        raise Http404
    if hearing.status == HearingStatus.DRAFT and not permissions.can_manage_area(actor, hearing.area):
        raise _denied(actor, hearing, hearing.area_id)
    return hearing


def hearing_comments(hearing: Hearing, *, moderator: bool) -> QuerySet:
    qs = hearing.comments.select_related("section", "organisation")
    if not moderator:
        qs = qs.filter(status=CommentStatus.PUBLISHED)
    return qs.order_by("section__order", "created_at")


def group_by_section(comments) -> dict:
    """Comments keyed by section id (None: on the whole document), in the order given."""
    grouped: dict = {}
    for c in comments:
        grouped.setdefault(c.section_id, []).append(c)
    return grouped


def pending_comments(hearing: Hearing) -> QuerySet:
    return HearingComment.objects.filter(hearing=hearing, status=CommentStatus.PENDING).select_related("section")
