"""Double-entry ledger. Transactions and entries are insert-only (ORM here, trigger on PostgreSQL).

Sign convention: an entry's amount adds to its account's balance; every transaction's entries sum to zero
per currency. Balances are always derivable from entries; `balance_minor` is a cache kept in the same database
transaction, only on voucher and scheme budget accounts (the balances checked under a row lock; `ledger.CACHED_KINDS`),
and checked by `samverka ledger-verify`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverka.audit.models import AppendOnlyModel
from samverka.core.models import BaseModel

from ..money import Currency


class AccountKind(models.TextChoices):
    APPROPRIATION = "appropriation", _("Appropriation (funding of the scheme)")
    SCHEME_BUDGET = "scheme_budget", _("Scheme budget")
    VOUCHER = "voucher", _("Voucher or personal budget")
    PROVIDER_PAYABLE = "provider_payable", _("Provider payable")
    COPAYMENT_RECEIVABLE = "copayment_receivable", _("Co-payment receivable")
    SETTLEMENT_CLEARING = "settlement_clearing", _("Settlement clearing")


class TransactionKind(models.TextChoices):
    FUND = "fund", _("Budget funded")
    ISSUE = "issue", _("Voucher issued")
    CLAIM = "claim", _("Claim")
    LAPSE = "lapse", _("Voucher lapsed")
    CANCEL = "cancel", _("Voucher cancelled")
    SETTLE = "settle", _("Settlement")
    REVERSAL = "reversal", _("Reversal")


class LedgerAccount(BaseModel):
    kind = models.CharField(_("kind"), max_length=32, choices=AccountKind.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    scheme = models.ForeignKey("vouchers.VoucherScheme", on_delete=models.PROTECT, related_name="accounts")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("label"), max_length=200)
    balance_minor = models.BigIntegerField(_("cached balance (minor units)"), default=0)

    class Meta:
        indexes = [models.Index(fields=["scheme", "kind"], name="vouchers_account_scheme_kind")]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind"],
                condition=models.Q(
                    kind__in=["appropriation", "scheme_budget", "copayment_receivable", "settlement_clearing"]
                ),
                name="vouchers_one_scheme_account_per_kind",
            ),
            models.UniqueConstraint(
                fields=["scheme", "organisation"],
                condition=models.Q(kind="provider_payable"),
                name="vouchers_one_payable_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class LedgerTransaction(AppendOnlyModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    # Indexed by vouchers_tx_scheme_kind (scheme, kind): no second index on the scheme alone to keep up at every write.
    scheme = models.ForeignKey(
        "vouchers.VoucherScheme", on_delete=models.PROTECT, related_name="transactions", db_index=False
    )
    voucher = models.ForeignKey(
        "vouchers.Voucher", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    # Never looked up by actor (who did what is found in the audit trail, indexed by actor): no index to keep up.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["scheme", "kind"], name="vouchers_tx_scheme_kind")]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class LedgerEntry(AppendOnlyModel):
    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    # Indexed by vouchers_entry_account_cover (account, kind, amount): no second index on the account alone.
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # The kind of the entry's transaction, copied by ledger.post (checked by ledger-verify), so reconciliation is
    # one grouped pass over the entries instead of a join with a million transactions.
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    # Personal budgets: which budget line an entry on the voucher's account belongs to. A line's balance is the
    # sum of its entries (the per-line sub-ledger); the voucher account stays the one source of truth.
    budget_line = models.ForeignKey(
        "vouchers.BudgetLine", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    class Meta:
        indexes = [models.Index(fields=["account", "kind", "amount_minor"], name="vouchers_entry_account_cover")]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_minor=0), name="vouchers_entry_nonzero")]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
