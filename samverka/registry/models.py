"""Organisations of an area, what they do, and their yearly figures."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.areas.models import Country
from samverka.core.models import BaseModel
from samverka.core.refcache import ClearsReferenceCache


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    COOPERATIVE = "cooperative", _("Cooperative")
    NONPROFIT_COMPANY = "nonprofit_company", _("Limited company with non-profit purpose")
    RELIGIOUS_COMMUNITY = "religious_community", _("Religious community")
    OTHER = "other", _("Other")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DISSOLVED = "dissolved", _("Dissolved")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered in Samverka")
    BRREG = "brreg", _("Enhetsregisteret (Norway)")
    PRH = "prh", _("PRH/YTJ (Finland)")
    SE = "se", _("Swedish registers")
    GENERATED = "generated", _("Generated test data")


class LocalisedNameMixin(models.Model):
    name = models.CharField(_("name"), max_length=300)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=300, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=300, blank=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "en")[:2]
        localised = getattr(self, f"name_{language}", "") if language in {"nb", "sv", "fi", "en"} else ""
        return localised or self.name


class Category(ClearsReferenceCache, LocalisedNameMixin):
    """Field of work (health, social care, …): a controlled list with codes."""

    code = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class TargetGroup(ClearsReferenceCache, LocalisedNameMixin):
    code = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Organisation(BaseModel, LocalisedNameMixin):
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    # Stored normalised: NO 9 digits, SE 10 digits, FI "NNNNNNN-C".
    org_number = models.CharField(_("organisation number"), max_length=12)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE
    )
    home_area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered municipality"),
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="organisations", verbose_name=_("areas served")
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="organisations", verbose_name=_("categories")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="organisations", verbose_name=_("target groups")
    )
    expertise = models.TextField(_("special expertise"), blank=True)
    expertise_tags = models.JSONField(_("expertise tags"), default=list, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    in_volunteer_register = models.BooleanField(_("in the volunteer register"), default=False)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    # Coordinators may let a trusted organisation publish its catalogue edits directly.
    trusted_publisher = models.BooleanField(_("may publish directly"), default=False)

    # Set by selectors.organisation_page on the organisations of a list page: their categories by code.
    listed_categories: list[Category]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "org_number"], name="organisation_unique_number"),
        ]
        indexes = [
            models.Index(fields=["name"], name="organisation_name_idx"),
            models.Index(fields=["status", "name"], name="organisation_status_name_idx"),
            models.Index(fields=["legal_form", "name"], name="organisation_form_name_idx"),
            models.Index(fields=["org_number"], name="organisation_number_idx"),
            models.Index(fields=["-updated_at"], name="organisation_updated_idx"),
            models.Index(fields=["home_area", "name"], name="organisation_home_name_idx"),
            # Covers "organisations registered in these areas" without reading the rows (the area filter's UNION).
            models.Index(fields=["home_area", "id"], name="organisation_home_id_idx"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class OrganisationYear(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    peer_supporters = models.PositiveIntegerField(_("peer supporters"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="organisationyear_unique")]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def person_years(self) -> Decimal | None:
        if self.volunteer_hours is None:
            return None
        per_year = settings.HOURS_PER_PERSON_YEAR[self.organisation.country]
        return (Decimal(self.volunteer_hours) / Decimal(per_year)).quantize(Decimal("0.1"), ROUND_HALF_UP)


class OrganisationFacet(models.Model):
    """A denormalised index of the registry list's common filters (maintained by facets.facets_rebuild).

    One row per (organisation, area, category): every area the organisation serves or is registered in and each
    ancestor of those areas below country level, times each of its categories plus one row with no category
    ("any category"). So "area X (and below) + category C, by name" is one range of the (area, category, name)
    index, and its count the same range. Name, status and legal form are copies for ordering and filtering on
    the index alone. About (1 + categories) × (areas + ancestors) rows per organisation: 6 on average in the
    generated national data (one municipality and its county or region, 1.5 categories).
    """

    id = models.BigAutoField(primary_key=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.ForeignKey(Category, null=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(max_length=300)
    status = models.CharField(max_length=12)
    legal_form = models.CharField(max_length=30)

    class Meta:
        indexes = [
            # Covering: the page of ids, its count and the status / legal form tests read only this index.
            models.Index(
                fields=["area", "category", "name", "organisation", "status", "legal_form"],
                name="registry_facet_area_cat_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.area_id} {self.category_id}"
