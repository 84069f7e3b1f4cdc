"""Public bodies and their geography: country → county/region/welfare area → municipality."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel
from samverka.core.refcache import ClearsReferenceCache


class Country(models.TextChoices):
    NO = "NO", _("Norway")
    SE = "SE", _("Sweden")
    FI = "FI", _("Finland")


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    COUNTY = "county", _("County")
    REGION = "region", _("Region")
    WELFARE_AREA = "welfare_area", _("Welfare area")
    MUNICIPALITY = "municipality", _("Municipality")


COUNTRY_TIME_ZONES = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm", "FI": "Europe/Helsinki"}
COUNTRY_LANGUAGES = {"NO": "nb", "SE": "sv", "FI": "fi"}


class AreaQuerySet(models.QuerySet):
    def within(self, area: "Area") -> "AreaQuerySet":
        """The area and every area below it."""
        return self.filter(path__startswith=area.path)


# A path segment is an area's UUID in hex and a slash: a fixed width, so the ancestor of depth k of an area is the
# area whose path is the first k + 1 segments of its path (registry.facets looks ancestors up that way).
PATH_SEGMENT_LENGTH = 33


class Area(ClearsReferenceCache, BaseModel):
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("official code"), max_length=12)
    name = models.CharField(_("official name"), max_length=200)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    other_names = models.CharField(_("other official names"), max_length=300, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Finnish municipalities also belong to a region (maakunta) beside their welfare area.
    region = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="region_members")
    # Materialised path of ids ("/<country>/<county>/<municipality>/") so "this area and below" is one prefix match.
    path = models.CharField(max_length=200, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    default_language = models.CharField(_("default language"), max_length=5, default="en")
    time_zone = models.CharField(_("time zone"), max_length=40, default="Europe/Oslo")

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["country", "depth", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "kind", "code"], name="area_unique_code"),
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "en")[:2]
        localised = getattr(self, f"name_{language}", "") if language in {"nb", "sv", "fi", "en"} else ""
        return localised or self.name

    @property
    def external_code(self) -> str:
        """Country-qualified code, e.g. NO-3201, SE-1780, FI-wellbeing-05."""
        return f"{self.country}-{self.code}"

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent is not None else "/"
        return f"{prefix}{self.pk.hex}/"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
