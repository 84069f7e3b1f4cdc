"""Dialogue API: /api/v1/dialogue/… Thin: parse → selector/service → schema."""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from samverka.accounts.auth import public_api_actor
from samverka.core.errors import ValidationError
from samverka.core.pagination import NumberedPagination
from samverka.registry.models import Organisation

from . import hearings, permissions, selectors, services
from .schemas import (
    ActionOut,
    ActionStatusIn,
    ForumOut,
    HearingCommentIn,
    HearingCommentOut,
    HearingDetailOut,
    HearingOut,
    MeetingOut,
)

router = Router(tags=["dialogue"])


def _actor(request: HttpRequest):
    """The caller of a public operation: a token's holder, a session user (staff after MFA) or anonymous."""
    return public_api_actor(request)


@router.get("/forums", response=list[ForumOut], auth=None)
@paginate(NumberedPagination)
def list_forums(request: HttpRequest):
    """Public forums, and closed forums of your areas or where you are a member (when logged in)."""
    return selectors.forum_list(actor=_actor(request))


@router.get("/forums/{pk}", response=ForumOut, auth=None)
def get_forum(request: HttpRequest, pk: uuid.UUID):
    return selectors.forum_get(actor=_actor(request), pk=pk)


@router.get("/forums/{pk}/meetings", response=list[MeetingOut], auth=None)
@paginate(NumberedPagination)
def list_meetings(request: HttpRequest, pk: uuid.UUID):
    return selectors.meetings(selectors.forum_get(actor=_actor(request), pk=pk))


@router.get("/actions", response=list[ActionOut])
@paginate(NumberedPagination)
def list_actions(request: HttpRequest, status: str = ""):
    qs = selectors.actions_for_api(actor=request.user)
    return qs.filter(status=status) if status else qs


@router.post("/actions/{pk}/status", response=ActionOut)
def set_action_status(request: HttpRequest, pk: uuid.UUID, payload: ActionStatusIn):
    action = selectors.action_get(actor=request.user, pk=pk)
    return services.action_set_status(actor=request.user, action=action, status=payload.status, comment=payload.comment)


# -- hearings -------------------------------------------------------------------------------------
@router.get("/hearings", response=list[HearingOut], auth=None)
@paginate(NumberedPagination)
def list_open_hearings(request: HttpRequest):
    """Hearings open for comments now, closing soonest first."""
    return selectors.hearing_list_open()


@router.get("/hearings/{pk}", response=HearingDetailOut, auth=None)
def get_hearing(request: HttpRequest, pk: uuid.UUID):
    """A hearing with its sections. A draft is visible only to the coordinators of its area."""
    hearing = selectors.hearing_get(actor=_actor(request), pk=pk)
    # The schema reads these two from the object: the sections with counts and whether it takes comments now.
    setattr(hearing, "section_list", selectors.hearing_sections_with_counts(hearing))  # noqa: B010
    setattr(hearing, "accepting_comments", hearings.is_open(hearing))  # noqa: B010
    return hearing


@router.get("/hearings/{pk}/comments", response=list[HearingCommentOut], auth=None)
@paginate(NumberedPagination)
def list_hearing_comments(request: HttpRequest, pk: uuid.UUID):
    """Published comments (coordinators of the area see every comment, with its moderation status)."""
    actor = _actor(request)
    hearing = selectors.hearing_get(actor=actor, pk=pk)
    return selectors.hearing_comments(hearing, moderator=permissions.can_manage_area(actor, hearing.area))


@router.post("/hearings/{pk}/comments", response={201: HearingCommentOut})
def post_hearing_comment(request: HttpRequest, pk: uuid.UUID, payload: HearingCommentIn):
    """Comment as yourself or as one of your organisations (signed in; residents without an account use the
    hearing page). The comment waits for moderation."""
    hearing = selectors.hearing_get(actor=request.user, pk=pk)
    section = None
    if payload.section_id is not None:
        section = hearing.sections.filter(pk=payload.section_id).first()
        if section is None:
            raise ValidationError(_("Please correct the errors below."), {"section_id": [_("No such section.")]})
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise ValidationError(
                _("Please correct the errors below."), {"organisation_id": [_("No such organisation.")]}
            )
    comment = hearings.comment_add(
        actor=request.user,
        hearing=hearing,
        text=payload.text,
        section=section,
        name=payload.name,
        organisation=organisation,
    )
    return 201, comment
