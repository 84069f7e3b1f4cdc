"""Residents: only what a scheme needs. Every read goes through a selector that writes an AccessEvent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel


class IdCountry(models.TextChoices):
    NO = "NO", _("Norway (fødselsnummer)")
    SE = "SE", _("Sweden (personnummer)")
    FI = "FI", _("Finland (henkilötunnus)")


class Resident(BaseModel):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="voucher_residents")
    full_name = models.CharField(_("name"), max_length=200)
    id_country = models.CharField(_("identity number country"), max_length=2, choices=IdCountry.choices)
    national_id = models.CharField(_("national identity number"), max_length=64)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="nb")
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(fields=["id_country", "national_id"], name="vouchers_one_resident_per_id"),
        ]

    def __str__(self) -> str:
        # Never the name: audit labels and logs must not copy personal data.
        return f"resident {self.pk}"
