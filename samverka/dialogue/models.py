"""Cooperation structure (forums, meetings, minutes, decisions, action items) and hearings."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel


class ForumKind(models.TextChoices):
    COUNCIL = "council", _("Cooperation council")
    WORKING_GROUP = "working_group", _("Working group")
    DIALOGUE = "dialogue", _("Dialogue forum")


class Forum(BaseModel):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="forums")
    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices, default=ForumKind.COUNCIL)
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CurrentMemberManager(models.Manager):
    """Members who have not been removed. Removed members stay as rows so past attendance keeps its names."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class ForumMember(BaseModel):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    represents_public_body = models.BooleanField(_("represents the public body"), default=False)
    role = models.CharField(_("role"), max_length=100, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = CurrentMemberManager()
    with_removed = models.Manager()

    class Meta:
        ordering = ["-represents_public_body", "name"]

    def __str__(self) -> str:
        return self.name


class Meeting(BaseModel):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE, raised on each change
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    proposer_name = models.CharField(_("proposed by"), max_length=200, blank=True)
    proposer_organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_item = models.ForeignKey(
        "ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action_item"],
                condition=Q(action_item__isnull=False),
                name="dialogue_agenda_action_once",
            )
        ]


class Attachment(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="dialogue/attachments/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]


class Minutes(BaseModel):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    open_space_summary = models.TextField(_("open space and reflection summary"), blank=True)


class Decision(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class Attendance(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(ForumMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="dialogue_attendance_once")]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(BaseModel):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "created_at"]
        indexes = [models.Index(fields=["forum", "status", "due"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> str:
        if self.owner_organisation is not None:
            return self.owner_organisation.display_name
        if self.owner_user is not None:
            return self.owner_user.full_name or self.owner_user.email
        return ""


class ActionComment(BaseModel):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at"]


class ActionReminder(BaseModel):
    """One overdue reminder per action and due date (the task may run many times)."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    due = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "due"], name="dialogue_action_reminder_once")]


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(BaseModel):
    """The secret in a person's iCalendar feed URL. Replacing it cuts off old subscriptions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_token)


from .hearing_models import *  # noqa: F403,E402
