"""Hearings: a document in sections opened for comments from residents and organisations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel


class HearingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORTED = "reported", _("Report published")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Residents and organisations")
    RESIDENTS = "residents", _("Residents")
    ORGANISATIONS = "organisations", _("Organisations")


class Hearing(BaseModel):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="hearings")
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(_("who may comment"), max_length=20, choices=Audience.choices, default="everyone")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(max_length=10, choices=HearingStatus.choices, default=HearingStatus.DRAFT)
    summary = models.TextField(_("summary report"), blank=True)
    # The draft agreement the hearing is about, when it is one (the document's text is copied into the sections).
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="hearings"
    )

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title


class HearingSection(BaseModel):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["order"]


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class HearingComment(BaseModel):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        HearingSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name (optional)"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    response = models.TextField(_("response"), blank=True)
    supports = models.PositiveIntegerField(default=0)
    # sha256(secret, hearing, client IP) of an anonymous comment: the rate limit counts these across processes.
    client_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["hearing", "client_hash", "created_at"], name="dialogue_comment_rate_idx")]

    @property
    def display_author(self) -> str:
        if self.organisation is not None:
            return self.organisation.display_name
        return self.name


class CommentSupport(BaseModel):
    comment = models.ForeignKey(HearingComment, on_delete=models.CASCADE, related_name="support_rows")
    supporter_key = models.CharField(max_length=64)  # user id, or a hash of the anonymous session

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "supporter_key"], name="dialogue_support_once")]
