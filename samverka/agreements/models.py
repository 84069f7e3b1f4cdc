"""Agreements: kinds, parties with signatories, principles and commitments, versions, signatures, reviews."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.core.errors import ConflictError
from samverka.core.models import BaseModel


class AgreementKind(models.TextChoices):
    SECTOR_AGREEMENT = "sector_agreement", _("Sector agreement (överenskommelse)")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement (samarbeidsavtale)")
    IOP = "iop", _("Non-profit public partnership (IOP)")
    MUNICIPAL_COOPERATION = "municipal_cooperation", _("Municipal cooperation agreement")
    SERVICE_CONTRACT = "service_contract", _("Service contract")
    GRANT_AGREEMENT = "grant_agreement", _("Grant agreement")


# Kinds that are long-term service or partnership commitments: these get the minimum duration warning.
LONG_TERM_KINDS = (AgreementKind.SERVICE_CONTRACT, AgreementKind.IOP, AgreementKind.MUNICIPAL_COOPERATION)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    AGREED = "agreed", _("Agreed text")
    SIGNING = "signing", _("Signing")
    ACTIVE = "active", _("Active")
    REVIEW = "review", _("Under review")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")


IN_FORCE = (AgreementStatus.ACTIVE, AgreementStatus.REVIEW, AgreementStatus.RENEWED)
TEXT_EDITABLE = (AgreementStatus.DRAFT, AgreementStatus.CONSULTATION, AgreementStatus.REVIEW)


def localised(obj, base: str) -> str:
    language = (get_language() or "en")[:2]
    return getattr(obj, f"{base}_{language}", "") or getattr(obj, f"{base}_en", "") or getattr(obj, base, "")


class PrincipleSet(BaseModel):
    """A named list of principles. Shipped sets have no area; coordinators define their own for their area."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_nb = models.CharField(max_length=200, blank=True)
    name_sv = models.CharField(max_length=200, blank=True)
    name_fi = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self, "name")


class Principle(BaseModel):
    principle_set = models.ForeignKey(PrincipleSet, on_delete=models.CASCADE, related_name="principles")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    title_nb = models.CharField(max_length=200, blank=True)
    title_sv = models.CharField(max_length=200, blank=True)
    title_fi = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["principle_set", "order"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localised(self, "title")


class Template(BaseModel):
    """A model agreement in one language. `sections` is [{"heading", "text"}]; text holds {field} placeholders."""

    code = models.SlugField(_("code"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    sections = models.JSONField(default=list)
    fields = models.JSONField(default=list, help_text="[{'name', 'label'}] placeholders to fill in")
    principle_set = models.ForeignKey(PrincipleSet, null=True, blank=True, on_delete=models.SET_NULL)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["code", "language"]
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="agreement_template_unique_code_language")
        ]

    def __str__(self) -> str:
        return self.title


class RenewalDecision(models.TextChoices):
    NONE = "", _("Not decided")
    RENEW = "renew", _("Renew")
    END = "end", _("End")


class Agreement(BaseModel):
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="agreements")
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices, default="draft")
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    review_date = models.DateField(_("next review"), null=True, blank=True)
    published = models.BooleanField(_("published in the public register"), default=False)
    renewal_decision = models.CharField(max_length=10, choices=RenewalDecision.choices, blank=True, default="")
    principle_set = models.ForeignKey(PrincipleSet, null=True, blank=True, on_delete=models.SET_NULL)
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL)
    current_version = models.ForeignKey(
        "AgreementVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "status", "ends"])]

    def __str__(self) -> str:
        return self.title

    @property
    def version(self) -> "AgreementVersion":
        """The current version. Every saved agreement has one (agreement_create sets it in the same transaction)."""
        if self.current_version is None:
            raise ConflictError(str(_("This agreement has no text yet.")))
        return self.current_version


class Party(BaseModel):
    """One side of an agreement: a public body (area) or an organisation."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="agreement_parties"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, organisation__isnull=True)
                | Q(area__isnull=True, organisation__isnull=False),
                name="agreement_party_area_xor_organisation",
            )
        ]

    def __str__(self) -> str:
        if self.organisation is not None:
            return self.organisation.display_name
        return self.area.name if self.area is not None else ""


class Signatory(BaseModel):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatories")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="agreement_signatory_unique")]

    def __str__(self) -> str:
        return self.name


class AgreementPrinciple(BaseModel):
    """A principle the agreement carries (copied from a set or written for this agreement)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="principles")
    principle = models.ForeignKey(Principle, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Commitment(BaseModel):
    principle = models.ForeignKey(AgreementPrinciple, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("commitment"))

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["principle", "party"], name="agreement_commitment_unique")]


def canonical_text(title: str, sections: list[dict]) -> str:
    """The exact text a signature covers: title, then each heading and text, normalised line endings."""
    parts = [title.strip()]
    for section in sections:
        parts.append(str(section.get("heading", "")).strip())
        parts.append(str(section.get("text", "")).replace("\r\n", "\n").strip())
    return "\n\n".join(parts) + "\n"


class AgreementVersion(BaseModel):
    """One text of an agreement. Frozen when signing starts: from then on it can never change."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    sections = models.JSONField(default=list)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    frozen = models.BooleanField(default=False)
    text_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    @property
    def text(self) -> str:
        return canonical_text(self.title, self.sections)

    def compute_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, frozen=True).exists():
            raise ConflictError(_("A version that is being signed or has been signed can never change."))
        self.text_sha256 = self.compute_sha256()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk, frozen=True).exists():
            raise ConflictError(_("A version that is being signed or has been signed can never change."))
        return super().delete(*args, **kwargs)


def signed_pdf_path(instance: "SignedPdf", filename: str) -> str:
    return f"agreements/signed/{instance.version.agreement_id}/v{instance.version.number}-{instance.sha256}.pdf"


class SignedPdf(BaseModel):
    """The PDF of a fully signed version, printed once and kept: every download serves these bytes.

    Append-only like the signed text: a stored PDF can be neither replaced nor deleted."""

    version = models.OneToOneField(AgreementVersion, on_delete=models.PROTECT, related_name="signed_pdf")
    file = models.FileField(upload_to=signed_pdf_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    language = models.CharField(max_length=10)

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise ConflictError(_("The PDF of a signed version can never change."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConflictError(_("The PDF of a signed version can never change."))


class SectionComment(BaseModel):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    section_index = models.PositiveSmallIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["section_index", "created_at"]


class Signature(BaseModel):
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    signatory = models.ForeignKey(Signatory, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    text_sha256 = models.CharField(max_length=64)
    mfa_device = models.CharField(max_length=200)

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["version", "signatory"], name="agreement_signature_unique")]

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).exists():
            raise ConflictError(_("A signature can never change."))
        super().save(*args, **kwargs)


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Review(BaseModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="agreement_review_unique_year")]


class ReviewScore(BaseModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    principle = models.ForeignKey(AgreementPrinciple, on_delete=models.CASCADE, related_name="scores")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    evidence_links = models.JSONField(default=list, blank=True)
    disagreement = models.TextField(_("disagreement"), blank=True)
    disagreement_resolved = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["principle__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "principle", "party"], name="agreement_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="agreement_score_1_5"),
        ]


class ReminderKind(models.TextChoices):
    REVIEW = "review", _("Review date")
    END = "end", _("End date without renewal decision")


class Reminder(BaseModel):
    """One sent reminder; the unique key makes the reminder task safe to run again."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_date = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "due_date"], name="agreement_reminder_once")
        ]
