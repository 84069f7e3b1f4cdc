"""Decisions (vouchers and personal budgets), claims against them, and monthly settlements."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.audit.models import AppendOnlyModel
from samverka.core.models import BaseModel


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")


class Voucher(BaseModel):
    scheme = models.ForeignKey("vouchers.VoucherScheme", on_delete=models.PROTECT, related_name="vouchers")
    resident = models.ForeignKey("vouchers.Resident", on_delete=models.PROTECT, related_name="vouchers")
    units = models.DecimalField(_("units"), max_digits=10, decimal_places=2, null=True, blank=True)
    value_minor = models.BigIntegerField(_("value issued (minor units)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE)
    provider = models.ForeignKey(
        "vouchers.Accreditation", null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    copayment_percent = models.DecimalField(_("co-payment share (%)"), max_digits=5, decimal_places=2, default=0)
    account = models.OneToOneField("vouchers.LedgerAccount", on_delete=models.PROTECT, related_name="voucher")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # A personal budget with an amount per period: what may be claimed for services delivered within each period
    # (month, quarter, year: the scheme's budget period, fixed on the voucher at the decision). Null: no such limit.
    budget_period = models.CharField(_("budget period"), max_length=10, blank=True)
    period_amount_minor = models.BigIntegerField(_("amount per period (minor units)"), null=True, blank=True)
    # The current link for the resident to choose the provider (services/links.py): a random value inside the signed
    # link; a new link replaces it, so the older link stops working. Empty: no link.
    choice_link_nonce = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "valid_to"], name="vouchers_voucher_expiry")]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(condition=models.Q(value_minor__gt=0), name="vouchers_value_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="vouchers_valid_range"
            ),
            models.CheckConstraint(
                condition=models.Q(period_amount_minor__isnull=True)
                | (models.Q(period_amount_minor__gt=0) & ~models.Q(budget_period="")),
                name="vouchers_period_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"voucher {str(self.pk)[:8]}"


class BudgetLine(BaseModel):
    """What a personal budget is meant for (e.g. "practical help 30 000", "respite 12 000")."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="budget_lines")
    label = models.CharField(_("budget line"), max_length=200)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="vouchers_budget_line_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class NextClaimSeq(models.Expression):
    """The next claim sequence, computed by the database in the INSERT itself (returned into `Claim.seq`): a sequence
    on PostgreSQL (no lock, no hot row); MAX + 1 on SQLite, whose IMMEDIATE transactions have one writer."""

    output_field = models.BigIntegerField()

    @staticmethod
    def sql_for(vendor: str) -> str:
        if vendor == "postgresql":
            return "nextval('vouchers_claim_seq')"
        # Above every claim and every settlement run's watermark, so a claim recorded after a run is never in it.
        return (
            "(SELECT MAX(m) + 1 FROM (SELECT COALESCE(MAX(seq), 0) AS m FROM vouchers_claim "
            "UNION ALL SELECT COALESCE(MAX(watermark), 0) FROM vouchers_settlementrun))"
        )

    def as_sql(self, compiler, connection, **extra_context):
        return self.sql_for(connection.vendor), []


class Claim(AppendOnlyModel):
    """Units a provider delivered. Insert-only: a correction is a reversing ledger transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="claims")
    # Indexed by vouchers_claim_idempotency (accreditation, idempotency_key): no index on the accreditation alone.
    accreditation = models.ForeignKey(
        "vouchers.Accreditation", on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    service_date = models.DateField(_("date delivered"))
    units = models.DecimalField(_("units"), max_digits=10, decimal_places=2, null=True, blank=True)
    unit_price_minor = models.BigIntegerField(null=True, blank=True)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    copayment_minor = models.BigIntegerField(_("co-payment (minor units)"), default=0)
    budget_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("budget line"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The order in which claims were recorded, given by the database at insert (`claim_seq()`): a settlement run
    # records the highest sequence it saw, and which run settled a claim is derived from it (see SettlementRun).
    seq = models.BigIntegerField(_("sequence"), editable=False)
    idempotency_key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    transaction = models.OneToOneField("vouchers.LedgerTransaction", on_delete=models.PROTECT, related_name="claim")
    # Never looked up by its author (the audit trail is, by actor): no index to keep up at every claim.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-service_date", "-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            # Settlement reads every due claim of a scheme from this index alone (PostgreSQL: index-only scan).
            models.Index(
                fields=[
                    "seq",
                    "voucher",
                    "accreditation",
                    "service_date",
                    "amount_minor",
                    "copayment_minor",
                    "transaction",
                ],
                name="vouchers_claim_seq_cover",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["accreditation", "idempotency_key"], name="vouchers_claim_idempotency"),
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="vouchers_claim_positive"),
        ]

    @property
    def net_minor(self) -> int:
        return self.amount_minor - self.copayment_minor


class SettlementRun(BaseModel):
    """One monthly settlement of a scheme. The unique constraint makes "settled twice" impossible.

    Which claims a run settled is derived, not written per claim: the run blocks new claims and corrections while
    it reads (a table lock on PostgreSQL, the one writer on SQLite) and records in `watermark` the highest claim
    sequence it saw (a value taken from the claim sequence itself, so watermarks are unique and increasing). Claim c
    was settled by the first run R (in watermark order) with c.seq ≤ R.watermark and c.service_date < R.period_end,
    unless c was corrected (a settled claim cannot be corrected afterwards)."""

    scheme = models.ForeignKey("vouchers.VoucherScheme", on_delete=models.PROTECT, related_name="settlement_runs")
    month = models.DateField(_("month"))  # first day of the month
    watermark = models.BigIntegerField(_("highest claim sequence settled"), default=0)
    period_end = models.DateField(_("end of the month (exclusive)"))
    transaction = models.OneToOneField(
        "vouchers.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["scheme", "month"], name="vouchers_settle_month_once")]


class Settlement(BaseModel):
    run = models.ForeignKey(SettlementRun, on_delete=models.PROTECT, related_name="settlements")
    accreditation = models.ForeignKey("vouchers.Accreditation", on_delete=models.PROTECT, related_name="settlements")
    gross_minor = models.BigIntegerField(default=0)
    copayment_minor = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["accreditation__organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "accreditation"], name="vouchers_one_settlement_per_provider"),
        ]


class SettlementLine(models.Model):
    """What a provider is paid for one voucher in one settlement: the sums of the voucher's claims it settled
    (written by one grouped INSERT … SELECT; the claims themselves are derived, see SettlementRun)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="lines")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="+")
    claims = models.IntegerField(_("claims"))
    gross_minor = models.BigIntegerField()
    copayment_minor = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["settlement", "voucher"], name="vouchers_settlement_line_per_voucher"),
        ]

    def __str__(self) -> str:
        return f"{self.settlement_id}: {self.voucher_id}"

    @property
    def net_minor(self) -> int:
        return self.gross_minor - self.copayment_minor
