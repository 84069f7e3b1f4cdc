"""Posting to the ledger and proving it. The only code that writes LedgerTransaction/LedgerEntry rows."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Sum

from .models import AccountKind, BudgetLine, LedgerAccount, LedgerEntry, LedgerTransaction

# Accounts whose balance a service checks under a row lock keep a cached balance (a voucher's remaining value, the
# budget left to issue from). Every other balance (payables, co-payment receivable, clearing, appropriation) is only
# ever derived from the entries: no hot row that every claim of a provider would have to lock and update.
CACHED_KINDS = frozenset({AccountKind.VOUCHER, AccountKind.SCHEME_BUDGET})


class LedgerError(Exception):
    """A programming error: an unbalanced or malformed transaction. Never caused by user input."""


def prepare(
    *,
    kind: str,
    scheme,
    lines: Sequence[tuple[LedgerAccount, int] | tuple[LedgerAccount, int, BudgetLine | None]],
    memo: str = "",
    actor=None,
    voucher=None,
    reverses: LedgerTransaction | None = None,
) -> tuple[LedgerTransaction, list[LedgerEntry], dict]:
    """The rows of one balanced transaction, checked and not yet saved: (transaction, entries, {account id: change of
    its cached balance}). `post` writes them; the claim statement (services.claims) writes them in one round trip.
    A line is (account, amount) or (account, amount, budget_line) for entries on a personal budget's lines."""
    rows = [(line[0], int(line[1]), line[2] if len(line) > 2 else None) for line in lines]  # type: ignore[misc]
    rows = [row for row in rows if row[1] != 0]
    if len(rows) < 2:
        raise LedgerError("a transaction needs at least two non-zero entries")
    totals: dict[str, int] = defaultdict(int)
    for account, amount, budget_line in rows:
        if budget_line is not None and account.kind != "voucher":
            raise LedgerError("only entries on a voucher account name a budget line")
        if account.scheme_id != scheme.pk:
            raise LedgerError("every account of a transaction belongs to its scheme")
        totals[account.currency] += amount
    unbalanced = {c: t for c, t in totals.items() if t != 0}
    if unbalanced:
        raise LedgerError(f"entries do not sum to zero: {unbalanced}")
    tx = LedgerTransaction(
        kind=kind,
        scheme=scheme,
        voucher=voucher,
        memo=memo[:300],
        reverses=reverses,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entries = [
        LedgerEntry(transaction=tx, account=a, amount_minor=amt, currency=a.currency, kind=kind, budget_line=line)
        for a, amt, line in rows
    ]
    deltas: dict = defaultdict(int)
    for account, amount, _line in rows:
        if account.kind in CACHED_KINDS:
            deltas[account.pk] += amount
    return tx, entries, dict(deltas)


def post(
    *,
    kind: str,
    scheme,
    lines: Sequence[tuple[LedgerAccount, int] | tuple[LedgerAccount, int, BudgetLine | None]],
    memo: str = "",
    actor=None,
    voucher=None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Insert one balanced transaction and keep the cached balances in step. Must run inside atomic().
    A line is (account, amount) or (account, amount, budget_line) for entries on a personal budget's lines."""
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError("ledger.post must run inside transaction.atomic()")
    tx, entries, deltas = prepare(
        kind=kind, scheme=scheme, lines=lines, memo=memo, actor=actor, voucher=voucher, reverses=reverses
    )
    tx.save()
    LedgerEntry.objects.bulk_create(entries)
    for entry in entries:
        if entry.account.kind in CACHED_KINDS:
            entry.account.balance_minor += entry.amount_minor
    for pk, delta in deltas.items():
        LedgerAccount.objects.filter(pk=pk).update(balance_minor=F("balance_minor") + delta)
    return tx


def reverse(*, original: LedgerTransaction, memo: str = "", actor=None) -> LedgerTransaction:
    """The correction of a transaction: the same entries with opposite signs. A transaction is reversed once."""
    lines = [
        (e.account, -e.amount_minor, e.budget_line) for e in original.entries.select_related("account", "budget_line")
    ]
    return post(
        kind="reversal",
        scheme=original.scheme,
        lines=lines,
        memo=memo or f"Reversal of {original.pk}",
        actor=actor,
        voucher=original.voucher,
        reverses=original,
    )


def balance(account: LedgerAccount) -> int:
    """The balance derived from entries (the truth; `balance_minor` is only a cache, kept for CACHED_KINDS)."""
    return LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount_minor"))["s"] or 0


def budget_line_balances(voucher) -> dict:
    """{budget line id: remaining} of a personal budget, summed from the entries that name each line."""
    sums = dict(
        LedgerEntry.objects.filter(budget_line__voucher=voucher)
        .values("budget_line_id")
        .annotate(s=Sum("amount_minor"))
        .values_list("budget_line_id", "s")
    )
    return {line_id: sums.get(line_id) or 0 for line_id in voucher.budget_lines.values_list("pk", flat=True)}


@dataclass
class VerifyReport:
    accounts: int
    transactions: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(scheme=None) -> VerifyReport:
    """Every cached balance (CACHED_KINDS) equals its entries and no other account carries one; every transaction
    sums to zero per currency and has ≥ 2 entries;
    every entry has its account's currency."""
    problems: list[str] = []
    accounts = LedgerAccount.objects.all()
    entries = LedgerEntry.objects.all()
    txs = LedgerTransaction.objects.all()
    if scheme is not None:
        accounts, entries, txs = (
            accounts.filter(scheme=scheme),
            entries.filter(account__scheme=scheme),
            txs.filter(scheme=scheme),
        )
    sums = dict(entries.values("account_id").annotate(s=Sum("amount_minor")).values_list("account_id", "s"))
    n_accounts = 0
    for pk, kind, label, cached in accounts.values_list("pk", "kind", "label", "balance_minor").iterator():
        n_accounts += 1
        derived = (sums.get(pk) or 0) if kind in CACHED_KINDS else 0
        if derived != cached:
            problems.append(f"account {pk} ({label}): cached balance {cached} ≠ entries {derived}")
    for tx_id, currency, total in (
        entries.values("transaction_id", "currency")
        .annotate(s=Sum("amount_minor"))
        .exclude(s=0)
        .values_list("transaction_id", "currency", "s")
    ):
        problems.append(f"transaction {tx_id}: {currency} entries sum to {total}, not 0")
    for tx_id in txs.annotate(n=Count("entries")).filter(n__lt=2).values_list("pk", flat=True):
        problems.append(f"transaction {tx_id}: fewer than two entries")
    for entry_id in entries.exclude(currency=F("account__currency")).values_list("pk", flat=True):
        problems.append(f"entry {entry_id}: currency differs from its account's")
    for entry_id in entries.exclude(kind=F("transaction__kind")).values_list("pk", flat=True):
        problems.append(f"entry {entry_id}: kind differs from its transaction's")
    # A personal budget with lines: every entry on its account names one of its own lines, so the line
    # balances add up to the voucher's balance.
    lined = entries.filter(account__voucher__budget_lines__isnull=False).distinct()
    for entry_id in lined.filter(budget_line__isnull=True).values_list("pk", flat=True):
        problems.append(f"entry {entry_id}: on a budget with lines but names no line")
    for entry_id in (
        entries.filter(budget_line__isnull=False)
        .exclude(budget_line__voucher__account=F("account"))
        .values_list("pk", flat=True)
    ):
        problems.append(f"entry {entry_id}: names a budget line of another voucher")
    return VerifyReport(accounts=n_accounts, transactions=txs.count(), problems=problems)
