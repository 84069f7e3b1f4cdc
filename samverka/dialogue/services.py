"""Writes on forums, meetings, minutes and action items. Each validates, writes in one transaction, is audited."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.access import access_for
from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, DomainError, ValidationError

from . import permissions, uploads
from .calendar import calendar_bytes
from .models import (
    OPEN_ACTION_STATUSES,
    ActionComment,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    Minutes,
)


class Forbidden(DomainError):
    status_code = 403


def _invalid(errors) -> ValidationError:
    return ValidationError(_("Please correct the errors below."), errors)


def _require_manager(actor, forum: Forum) -> None:
    if not permissions.can_manage(actor, forum):
        raise Forbidden(_("Only the coordinators of the area may do this."))


def _clean(obj, exclude=None):
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationError.from_django(exc) from None


def _audit(actor, action, obj, forum, **changes):
    audit_record(actor=actor, action=action, obj=obj, area_id=forum.area_id, changes=changes)


def forum_create(*, actor, area, name: str, mandate: str = "", is_public: bool = True, kind: str = "council") -> Forum:
    if not permissions.can_manage_area(actor, area):
        raise Forbidden(_("Only the coordinators of the area may create forums."))
    forum = Forum(area=area, name=name.strip(), mandate=mandate.strip(), is_public=is_public, kind=kind)
    _clean(forum)
    with transaction.atomic():
        forum.save()
        _audit(actor, "forum.create", forum, forum, name=forum.name, is_public=is_public)
    return forum


def forum_member_add(
    *,
    actor,
    forum: Forum,
    name: str = "",
    user=None,
    organisation=None,
    email: str = "",
    represents_public_body: bool = False,
    role: str = "",
) -> ForumMember:
    _require_manager(actor, forum)
    name = (name or (user.full_name if user else "") or (organisation.display_name if organisation else "")).strip()
    member = ForumMember(
        forum=forum,
        user=user,
        organisation=organisation,
        name=name,
        email=email or (user.email if user else ""),
        represents_public_body=represents_public_body,
        role=role,
    )
    if organisation is not None and forum.members.filter(organisation=organisation, name=name).exists():
        raise _invalid({"name": [_("This person is already a member for this organisation.")]})
    if organisation is None and user is not None and forum.members.filter(user=user).exists():
        raise _invalid({"email": [_("This person is already a member.")]})
    _clean(member)
    with transaction.atomic():
        member.save()
        _audit(
            actor,
            "forum.member_add",
            forum,
            forum,
            member={"before": None, "after": _member_snapshot(member)},
        )
    return member


def _member_snapshot(member: ForumMember) -> dict:
    return {
        "id": str(member.pk),
        "name": member.name,
        "organisation": str(member.organisation_id) if member.organisation_id else None,
        "user": str(member.user_id) if member.user_id else None,
        "represents_public_body": member.represents_public_body,
        "role": member.role,
    }


def forum_member_remove(*, actor, member: ForumMember) -> None:
    """Remove a member from the forum. The row stays (marked removed) so past attendance keeps the name."""
    with transaction.atomic():
        current = ForumMember.objects.select_for_update().select_related("forum__area").filter(pk=member.pk).first()
        if current is None:
            raise ConflictError(_("This member has already been removed."))
        forum = current.forum
        _require_manager(actor, forum)
        before = _member_snapshot(current)
        current.removed_at = timezone.now()
        current.save(update_fields=["removed_at", "updated_at"])
        _audit(actor, "forum.member_remove", forum, forum, member={"before": before, "after": None})


def meeting_create(
    *,
    actor,
    forum: Forum,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    link: str = "",
    send_invitations: bool = False,
) -> Meeting:
    """A meeting; every open action item of the forum is put on its agenda automatically. With
    `send_invitations` the members get the e-mail with the .ics file once the meeting is saved."""
    _require_manager(actor, forum)
    if ends_at <= starts_at:
        raise _invalid({"ends_at": [_("The meeting must end after it starts.")]})
    if send_invitations and not _recipients(forum):
        raise _invalid({"send_invitations": [_("No member has an e-mail address.")]})
    meeting = Meeting(
        forum=forum, title=title.strip(), starts_at=starts_at, ends_at=ends_at, place=place.strip(), link=link.strip()
    )
    _clean(meeting)
    with transaction.atomic():
        meeting.save()
        carried = carry_open_actions(meeting)
        _audit(actor, "meeting.create", meeting, forum, starts_at=starts_at, carried_actions=carried)
        if send_invitations:
            _invite(actor, meeting, forum)
    return meeting


def carry_open_actions(meeting: Meeting) -> int:
    """Put the forum's open action items (from earlier meetings) on this meeting's agenda once each."""
    existing = set(meeting.agenda.exclude(action_item=None).values_list("action_item_id", flat=True))
    actions = ActionItem.objects.filter(
        forum_id=meeting.forum_id, status__in=OPEN_ACTION_STATUSES, meeting__starts_at__lt=meeting.starts_at
    ).exclude(pk__in=existing)
    start = meeting.agenda.count()
    items = [
        AgendaItem(
            meeting=meeting,
            order=start + i,
            title=_("Follow-up: %(action)s") % {"action": a.title},
            action_item=a,
            proposer_name=_("Open action"),
        )
        for i, a in enumerate(actions.order_by("due", "created_at"), start=1)
    ]
    AgendaItem.objects.bulk_create(items)
    return len(items)


def agenda_item_add(
    *, actor, meeting: Meeting, title: str, description: str = "", proposer_name: str = "", proposer_organisation=None
) -> AgendaItem:
    forum = meeting.forum
    manager = permissions.can_manage(actor, forum)
    if not (manager or permissions.is_member(actor, forum)):
        raise Forbidden(_("Only members of the forum may propose agenda items."))
    # Coordinators record proposals that reached them (by e-mail, at the meeting); members speak for their own.
    own = manager or (
        proposer_organisation is not None and proposer_organisation.pk in access_for(actor).organisation_ids()
    )
    if proposer_organisation is not None and not own:
        raise _invalid({"proposer_organisation": [_("You can propose only on behalf of your own organisations.")]})
    item = AgendaItem(
        meeting=meeting,
        title=title.strip(),
        description=description.strip(),
        proposer_name=(proposer_name or actor.full_name or actor.email).strip()[:200],
        proposer_organisation=proposer_organisation,
        order=meeting.agenda.count() + 1,
    )
    _clean(item, exclude=["action_item"])
    with transaction.atomic():
        item.save()
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1)
        _audit(actor, "meeting.agenda_add", meeting, forum, title=item.title, proposer=item.proposer_name)
    return item


def attachment_add(*, actor, meeting: Meeting, upload) -> Attachment:
    """Size and type are checked before anything is stored (413 too large, 422 a type we do not accept)."""
    _require_manager(actor, meeting.forum)
    content_type = uploads.check(upload)
    base = (upload.name or "file").rsplit("/", 1)[-1].rsplit(".", 1)[0][:150] or "file"
    name = base + uploads.ALLOWED[content_type]
    with transaction.atomic():
        att = Attachment(meeting=meeting, name=name, content_type=content_type, size=upload.size, uploaded_by=actor)
        upload.seek(0)
        att.file.save(name, upload, save=False)
        att.save()
        _audit(
            actor,
            "meeting.attachment_add",
            meeting,
            meeting.forum,
            name=name,
            content_type=content_type,
            size=upload.size,
        )
    return att


def minutes_save(
    *, actor, meeting: Meeting, text: str, open_space_summary: str = "", present_member_ids=None
) -> Minutes:
    _require_manager(actor, meeting.forum)
    with transaction.atomic():
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
        before = {"text": minutes.text, "open_space_summary": minutes.open_space_summary}
        minutes.text = text.strip()
        minutes.open_space_summary = open_space_summary.strip()
        minutes.save()
        if present_member_ids is not None:
            wanted = {str(i) for i in present_member_ids}
            for member in meeting.forum.members.all():
                Attendance.objects.update_or_create(
                    meeting=meeting, member=member, defaults={"present": str(member.pk) in wanted}
                )
        _audit(
            actor,
            "meeting.minutes_save",
            meeting,
            meeting.forum,
            text={"before": before["text"], "after": minutes.text},
        )
    return minutes


def decision_add(*, actor, meeting: Meeting, text: str) -> Decision:
    _require_manager(actor, meeting.forum)
    text = text.strip()
    if not text:
        raise _invalid({"text": [_("Write the decision.")]})
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text, order=meeting.decisions.count() + 1)
        _audit(actor, "meeting.decision_add", meeting, meeting.forum, decision=text)
    return decision


def action_create(
    *,
    actor,
    meeting: Meeting,
    title: str,
    decision: Decision | None = None,
    owner_user=None,
    owner_organisation=None,
    due: datetime.date | None = None,
) -> ActionItem:
    _require_manager(actor, meeting.forum)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise _invalid({"decision": [_("Choose a decision of this meeting.")]})
    if owner_user is None and owner_organisation is None:
        raise _invalid({"owner": [_("Name an owner: a person or an organisation.")]})
    action = ActionItem(
        forum=meeting.forum,
        meeting=meeting,
        decision=decision,
        title=title.strip(),
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        due=due,
    )
    _clean(action)
    with transaction.atomic():
        action.save()
        _audit(actor, "action.create", action, meeting.forum, title=action.title, due=due)
    return action


def action_set_status(*, actor, action: ActionItem, status: str, comment: str = "") -> ActionItem:
    if status not in ActionStatus.values:
        raise _invalid({"status": [_("Choose a status.")]})
    with transaction.atomic():
        action = ActionItem.objects.select_for_update().select_related("forum__area").get(pk=action.pk)
        if not permissions.can_update_action(actor, action):
            raise Forbidden(_("Only the owner or the coordinators may update this action."))
        if action.status == status and not comment.strip():
            raise ConflictError(_("The action already has this status."))
        before = action.status
        action.status = status
        action.closed_at = timezone.now() if status not in OPEN_ACTION_STATUSES else None
        action.save()
        if comment.strip():
            ActionComment.objects.create(action=action, author=actor, text=comment.strip()[:5000])
        _audit(actor, "action.status", action, action.forum, status={"before": before, "after": status})
    return action


def _recipients(forum: Forum) -> list[str]:
    return sorted({m.email for m in forum.members.all() if m.email})


def meeting_invite(*, actor, meeting: Meeting) -> int:
    """E-mail every member with an address an invitation with the meeting as an .ics file."""
    forum = meeting.forum
    _require_manager(actor, forum)
    if not _recipients(forum):
        raise _invalid({"members": [_("No member has an e-mail address.")]})
    with transaction.atomic():
        return _invite(actor, meeting, forum)


def _invite(actor, meeting: Meeting, forum: Forum) -> int:
    """Inside the caller's transaction: mark the meeting invited, audit, send after commit (with the agenda)."""
    recipients = _recipients(forum)
    Meeting.objects.filter(pk=meeting.pk).update(invited_at=timezone.now())
    _audit(actor, "meeting.invite", meeting, forum, recipients=len(recipients))
    meeting_pk = meeting.pk

    def send():
        fresh = Meeting.objects.select_related("forum").prefetch_related("agenda").get(pk=meeting_pk)
        ics = calendar_bytes([fresh], forum.name, method="REQUEST")
        message = EmailMessage(
            subject=_("Invitation: %(forum)s – %(title)s") % {"forum": forum.name, "title": fresh.title},
            body=_("You are invited to %(title)s on %(date)s. The calendar file is attached.")
            % {"title": fresh.title, "date": timezone.localtime(fresh.starts_at).strftime("%Y-%m-%d %H:%M")},
            bcc=recipients,
        )
        message.attach("meeting.ics", ics, "text/calendar; method=REQUEST")
        message.send()

    transaction.on_commit(send)
    return len(recipients)
