"""Voucher schemes and the providers accredited to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.core.models import BaseModel

from ..money import Currency


class SchemeKind(models.TextChoices):
    UNIT_VOUCHER = "unit_voucher", _("Voucher with a value per unit")
    FIXED_VOUCHER = "fixed_voucher", _("Voucher with a fixed amount")
    PERSONAL_BUDGET = "personal_budget", _("Personal budget")


class Unit(models.TextChoices):
    HOUR = "hour", _("hour")
    VISIT = "visit", _("visit")
    DAY = "day", _("day")


class BudgetPeriod(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class CopaymentKind(models.TextChoices):
    NONE = "none", _("No co-payment")
    FIXED = "fixed", _("Fixed amount per unit or claim")
    INCOME = "income", _("Share of the price by income (table)")


class SchemeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended (no new decisions or applications for now)")
    CLOSED = "closed", _("Closed (ended for good)")


class VoucherScheme(BaseModel):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="voucher_schemes")
    # The catalogue's service category (a term of the taxonomy the finder filters on): the comparison lists only
    # the providers' services filed under it or a term below it. Null only on schemes made before it was required.
    category = models.ForeignKey(
        "catalogue.TaxonomyTerm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_schemes",
        verbose_name=_("service category"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    price_ceiling_minor = models.BigIntegerField(_("price ceiling (minor units)"))
    budget_period = models.CharField(_("budget period"), max_length=10, choices=BudgetPeriod.choices, blank=True)
    copayment_kind = models.CharField(
        _("co-payment"), max_length=10, choices=CopaymentKind.choices, default=CopaymentKind.NONE
    )
    copayment_fixed_minor = models.BigIntegerField(_("fixed co-payment (minor units)"), default=0)
    # [{"income_up_to": 300000 (major units) or null for "above", "percent": "10"}], ascending.
    copayment_table = models.JSONField(_("co-payment table"), default=list, blank=True)
    criteria = models.JSONField(_("accreditation criteria"), default=list, blank=True)
    provider_terms = models.TextField(_("terms for providers"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.OPEN)

    class Meta:
        ordering = ["name"]
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")
        constraints = [
            models.CheckConstraint(condition=models.Q(price_ceiling_minor__gt=0), name="vouchers_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def per_unit(self) -> bool:
        return self.kind == SchemeKind.UNIT_VOUCHER


class AccreditationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Accreditation(BaseModel):
    scheme = models.ForeignKey(VoucherScheme, on_delete=models.PROTECT, related_name="accreditations")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AccreditationStatus.choices, default=AccreditationStatus.APPLIED
    )
    answers = models.JSONField(_("answers to the criteria"), default=dict, blank=True)
    price_minor = models.BigIntegerField(_("price (minor units)"))
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    quality_info = models.TextField(_("quality information"), blank=True)
    # Openings, kept by the provider's organisation admins and shown on the public comparison page.
    takes_new_clients = models.BooleanField(_("takes new clients"), default=True)
    new_clients_from = models.DateField(_("takes new clients from"), null=True, blank=True)
    openings_note = models.CharField(_("note on openings"), max_length=300, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "organisation__name"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="vouchers_one_accreditation_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.scheme}"

    @property
    def is_approved(self) -> bool:
        return self.status == AccreditationStatus.APPROVED


def document_path(instance, filename: str) -> str:
    return f"vouchers/accreditations/{instance.accreditation_id}/{filename}"


class AccreditationDocument(BaseModel):
    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("accreditation document")
        verbose_name_plural = _("accreditation documents")
