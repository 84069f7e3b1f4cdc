"""The service catalogue: services and activities, where and when they run, and edits awaiting approval.

Content a resident reads is stored per language (nb, sv, fi, en); a service may exist in only some of them.
The Service row always holds the *published* version; an edit that needs approval waits in a ChangeProposal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel
from samverka.core.refcache import ClearsReferenceCache

CONTENT_LANGUAGES = ("nb", "sv", "fi", "en")
# Order to fall back in when a service has no text in the reader's language.
FALLBACK_ORDER = ("en", "nb", "sv", "fi")
# (field, label, max_length or None for text) of the per-language content of a service.
LOCALISED_FIELDS = (
    ("name", _("name"), 300),
    ("summary", _("summary"), 500),
    ("description", _("description"), None),
    ("eligibility", _("who it is for"), None),
    ("fees_description", _("cost details"), None),
    ("how_to_access", _("how to start"), None),
)
LANGUAGE_NAMES = {"nb": _("Norwegian"), "sv": _("Swedish"), "fi": _("Finnish"), "en": _("English")}


def localised(obj, field: str, language: str | None = None) -> str:
    """The value of `field` in the reader's language, else the first language that has it."""
    language = (language or get_language() or "en")[:2]
    order = ((language,) if language in CONTENT_LANGUAGES else ()) + FALLBACK_ORDER
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


def localised_language(obj, field: str, language: str | None = None) -> str:
    """The language code `localised()` takes its value from (for lang="" attributes)."""
    language = (language or get_language() or "en")[:2]
    order = ((language,) if language in CONTENT_LANGUAGES else ()) + FALLBACK_ORDER
    return next((code for code in order if getattr(obj, f"{field}_{code}", "")), language)


class Taxonomy(BaseModel):
    """A controlled vocabulary of service categories (HSDS `taxonomy`)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("address"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(ClearsReferenceCache, BaseModel):
    """A category with a stable code; `external_*` maps it onto another taxonomy (e.g. Open Eligibility)."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("name"), max_length=200)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    external_taxonomy = models.CharField(_("mapped taxonomy"), max_length=100, blank=True)
    external_code = models.CharField(_("code in the mapped taxonomy"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self, "name") or self.name


class ServiceKind(models.TextChoices):
    LOW_THRESHOLD = "low_threshold", _("Low-threshold support")
    ADVICE = "advice", _("Advice and guidance")
    PEER_SUPPORT = "peer_support", _("Peer support")
    PREVENTION = "prevention", _("Prevention")
    ACTIVITY = "activity", _("Activity")
    CONTRACTED = "contracted", _("Contracted service")


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Published")
    INACTIVE = "inactive", _("Inactive")


class Fee(models.TextChoices):
    FREE = "free", _("Free of charge")
    COST = "cost", _("Costs money")


class AccessMode(models.TextChoices):
    DROP_IN = "drop_in", _("Drop in, no appointment")
    BOOKING = "booking", _("Book a time")
    REFERRAL = "referral", _("Referral needed")


OFFERED_LANGUAGES = (
    ("nb", _("Norwegian")),
    ("nn", _("Norwegian Nynorsk")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("en", _("English")),
    ("se", _("Northern Sami")),
    ("da", _("Danish")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Persian")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("pl", _("Polish")),
    ("et", _("Estonian")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("fr", _("French")),
    ("tr", _("Turkish")),
    ("sgn", _("Sign language")),
)


class ServiceQuerySet(models.QuerySet):
    def public(self) -> "ServiceQuerySet":
        """What anyone may see: published services."""
        return self.filter(status=ServiceStatus.ACTIVE)


class Service(BaseModel):
    # Exactly one owner: an organisation, or the public body (an area) itself.
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_services",
        verbose_name=_("organisation"),
    )
    area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_catalogue_services",
        verbose_name=_("public body"),
    )
    for _code in CONTENT_LANGUAGES:
        for _field, _label, _max in LOCALISED_FIELDS:
            _verbose = f"{_field} ({_code})"
            locals()[f"{_field}_{_code}"] = (
                models.CharField(_verbose, max_length=_max, blank=True)
                if _max
                else models.TextField(_verbose, blank=True)
            )
    del _code, _field, _label, _max, _verbose
    # The name shown in lists and sorted on: the first language that has one.
    sort_name = models.CharField(max_length=300, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    categories = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services", verbose_name=_("categories"))
    target_groups = models.ManyToManyField(
        "registry.TargetGroup", blank=True, related_name="catalogue_services", verbose_name=_("target groups")
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="catalogue_services", verbose_name=_("areas served")
    )
    locations: "models.ManyToManyField[Location, ServiceAtLocation]" = models.ManyToManyField(
        "Location", through="ServiceAtLocation", blank=True, related_name="services", verbose_name=_("locations")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    fee = models.CharField(_("cost"), max_length=8, choices=Fee.choices, default=Fee.FREE)
    accepts_vouchers = models.BooleanField(_("accepts service vouchers"), default=False)
    access_mode = models.CharField(_("how to access"), max_length=10, choices=AccessMode.choices)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, area__isnull=True)
                | Q(organisation__isnull=True, area__isnull=False),
                name="service_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=models.F("max_age")),
                name="service_age_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sort_name"], name="service_status_name_idx"),
            models.Index(fields=["status", "-updated_at"], name="service_status_updated_idx"),
            models.Index(fields=["organisation", "sort_name"], name="service_org_name_idx"),
            models.Index(fields=["status", "last_verified"], name="service_status_verified_idx"),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self, "name") or self.sort_name

    @property
    def display_summary(self) -> str:
        return localised(self, "summary")

    @property
    def name_language(self) -> str:
        return localised_language(self, "name")

    @property
    def content_languages(self) -> list[str]:
        return [code for code in CONTENT_LANGUAGES if getattr(self, f"name_{code}", "")]

    @property
    def owner_area_id(self):
        return self.area_id if self.organisation_id is None else self.organisation.home_area_id


class ServiceLanguage(BaseModel):
    """A language the service is given in (HSDS `language`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=8, choices=OFFERED_LANGUAGES)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="servicelanguage_unique")]
        indexes = [models.Index(fields=["code", "service"], name="servicelanguage_code_idx")]


class Location(BaseModel):
    """A place where services are given. Belongs to an organisation or to the public body."""

    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="catalogue_locations"
    )
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name of the place"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_locations",
        verbose_name=_("municipality"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.street_address, f"{self.postal_code} {self.city}".strip()) if p)


class ServiceAtLocation(BaseModel):
    """A service given at a location; its UUID is the HSDS `service_at_location` id."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        ordering = ["location__name", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="serviceatlocation_unique")]


class ScheduleKind(models.TextChoices):
    OPENING_HOURS = "opening_hours", _("Opening hours")
    SESSION = "session", _("Recurring session")


class Schedule(BaseModel):
    """Opening hours or recurring sessions as an RFC 5545 RRULE, with dates on which it does not happen."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ScheduleKind.choices, default=ScheduleKind.OPENING_HOURS)
    rrule = models.CharField(_("repeats (RRULE)"), max_length=500)
    dtstart = models.DateField(_("from"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    exceptions = models.JSONField(_("dates it does not happen"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # Derived from the RRULE when saved (",mo,we,") so "open on a weekday" is one portable filter.
    weekdays = models.CharField(max_length=30, editable=False, default="")

    class Meta:
        ordering = ["kind", "dtstart", "opens_at", "id"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeProposal(BaseModel):
    """An organisation's edit of a published service, waiting for the area coordinator.

    `base` is the published version when the edit was made and `data` the proposed one (same shape as
    services.service_state()); approving applies `data`, so the public sees the old version until then.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="proposals")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    base = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"], condition=Q(status="pending"), name="changeproposal_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="changeproposal_status_idx")]
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")


class ErrorReport(BaseModel):
    """ "Report an error" from the public service page."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField(_("what is wrong"))
    email = models.EmailField(_("your e-mail (optional)"), blank=True)

    class Meta:
        ordering = ["-created_at"]


class StaleReminder(BaseModel):
    """One row per service and month an out-of-date reminder went out: the daily task never sends twice."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="stale_reminders")
    period = models.CharField(max_length=7)  # "YYYY-MM"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "period"], name="stalereminder_unique")]


class SearchWord(models.Model):
    """Every word seen in indexed service text: the vocabulary the one-typo fallback corrects against."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word


class SearchStem(models.Model):
    """SQLite: every stem the search index holds, per content language (a superset: stems of services since removed
    stay). A search reads only the texts of languages holding one of its stems (search/query.py)."""

    language = models.CharField(max_length=2)
    stem = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stem", "language"], name="searchstem_unique")]

    def __str__(self) -> str:
        return f"{self.language}:{self.stem}"
