"""Monthly settlement per scheme: one settlement per provider, moved to settlement clearing in one transaction."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, NotFound

from .. import ledger, permissions
from ..models import (
    AccountKind,
    Accreditation,
    Claim,
    LedgerAccount,
    LedgerTransaction,
    NextClaimSeq,
    Settlement,
    SettlementLine,
    SettlementRun,
    TransactionKind,
)
from ..money import fmt
from .common import invalid


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def settlement_run(*, actor, scheme, month: datetime.date, today: datetime.date | None = None) -> SettlementRun:
    """Settle every unsettled claim delivered up to the end of `month` (late claims of earlier months
    included). A month is settled once: a second run answers 409."""
    if not permissions.is_voucher_officer(actor, scheme.area):
        raise NotFound(_("Not found."))
    if month is None:
        raise invalid({"month": [_("Choose the month to settle.")]})
    month = month_start(month)
    end = next_month(month)
    if end > (today or timezone.localdate()):
        raise invalid({"month": [_("A month can be settled once it has ended.")]})
    if SettlementRun.objects.filter(scheme=scheme, month=month).exists():
        raise ConflictError(_("This month has already been settled for this scheme."))
    try:
        with transaction.atomic():
            block_claims_for_settlement()
            run = SettlementRun.objects.create(
                scheme=scheme,
                month=month,
                period_end=end,
                watermark=_next_watermark(),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _settle(actor, scheme, run)
    except IntegrityError:
        raise ConflictError(_("This month has already been settled for this scheme.")) from None
    return run


def block_claims_for_settlement() -> None:
    """PostgreSQL: wait for every claim and correction in flight to commit, and hold new ones until this transaction
    ends (SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE lock a claim's INSERT and a correction take, and with
    itself, so runs queue too). Every claim with a sequence at or below the watermark taken next is then committed
    and visible, and no claim can join or leave the set while it is read. SQLite: IMMEDIATE transactions already
    have one writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Claim._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def block_settlement() -> None:
    """Taken by a correction before it reads whether its claim is settled: conflicts with a run in progress."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Claim._meta.db_table} IN ROW EXCLUSIVE MODE")


def _next_watermark() -> int:
    """A value of the claim sequence: above every claim recorded so far, below every claim recorded later."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {NextClaimSeq.sql_for(connection.vendor)}")  # noqa: S608 (a fixed expression)
        return int(cursor.fetchone()[0])


def settled_claims(run, accreditation_ids) -> QuerySet:
    """The claims of these providers (accreditations of the run's scheme) that `run` settled (or, during the run,
    settles), derived from the watermarks: delivered before the month's end, recorded before the run, not settled by
    an earlier run of the scheme, not corrected. Filtering on the providers' ids (a handful) rather than joining the
    scheme's vouchers lets the database estimate the rows from the claims' own statistics."""
    earlier = list(
        SettlementRun.objects.filter(scheme_id=run.scheme_id, watermark__lt=run.watermark).values_list(
            "watermark", "period_end"
        )
    )
    qs = Claim.objects.filter(
        accreditation_id__in=list(accreditation_ids), seq__lte=run.watermark, service_date__lt=run.period_end
    ).exclude(
        Exists(
            LedgerTransaction.objects.filter(
                scheme_id=run.scheme_id, kind=TransactionKind.REVERSAL, reverses_id=OuterRef("transaction_id")
            )
        )
    )
    if earlier:
        before = Q()
        for watermark, period_end in earlier:
            before |= Q(seq__lte=watermark, service_date__lt=period_end)
        qs = qs.exclude(before)
    return qs


def _settle(actor, scheme, run) -> None:
    """Set-based, so a month with millions of claims settles in about the time of one aggregate over them: one
    settlement row per provider of the scheme, then ONE `INSERT … SELECT … GROUP BY provider, voucher` writes the
    settlement lines (one per voucher, with count, gross and co-payment) from the due claims, read under the lock
    taken by `block_claims_for_settlement`; the settlements' totals are summed from those few lines. Providers without
    due claims get no settlement. The ledger transaction has one entry per provider with the amounts the database
    summed. No claim passes through Python, and no row is written per claim."""
    providers = list(Accreditation.objects.filter(scheme=scheme).order_by("pk").values_list("pk", flat=True))
    Settlement.objects.bulk_create([Settlement(run=run, accreditation_id=pk) for pk in providers])
    _insert_lines(run, providers)
    totals = {
        row["settlement_id"]: (row["gross"], row["copay"], row["n"])
        for row in SettlementLine.objects.filter(settlement__run=run)
        .values("settlement_id")
        .annotate(gross=Sum("gross_minor"), copay=Sum("copayment_minor"), n=Sum("claims"))
        .order_by()
    }
    Settlement.objects.filter(run=run).exclude(pk__in=list(totals)).delete()
    settlements = list(Settlement.objects.filter(run=run).select_related("accreditation").order_by("pk"))
    payables = {
        a.organisation_id: a for a in LedgerAccount.objects.filter(scheme=scheme, kind=AccountKind.PROVIDER_PAYABLE)
    }
    lines = []
    total_gross = total_copay = n_claims = 0
    for settlement in settlements:
        gross, copay, n = totals[settlement.pk]
        settlement.gross_minor, settlement.copayment_minor, settlement.net_minor = gross, copay, gross - copay
        settlement.updated_at = timezone.now()
        lines.append((payables[settlement.accreditation.organisation_id], -(gross - copay)))
        total_gross += gross
        total_copay += copay
        n_claims += n
    Settlement.objects.bulk_update(settlements, ["gross_minor", "copayment_minor", "net_minor", "updated_at"])
    if total_gross:
        receivable = LedgerAccount.objects.get(scheme=scheme, kind=AccountKind.COPAYMENT_RECEIVABLE)
        clearing = LedgerAccount.objects.get(scheme=scheme, kind=AccountKind.SETTLEMENT_CLEARING)
        tx = ledger.post(
            kind=TransactionKind.SETTLE,
            scheme=scheme,
            actor=actor,
            memo=f"Settlement {run.month:%Y-%m}",
            lines=[*lines, (receivable, -total_copay), (clearing, total_gross)],
        )
        run.transaction = tx
        run.save(update_fields=["transaction", "updated_at"])
    audit_record(
        actor=actor,
        action="vouchers.settlement.run",
        obj=run,
        area_id=scheme.area_id,
        changes={
            "month": f"{run.month:%Y-%m}",
            "providers": len(settlements),
            "claims": n_claims,
            "gross": fmt(total_gross, scheme.currency),
            "co_payment": fmt(total_copay, scheme.currency),
        },
    )


def _insert_lines(run, providers: list) -> None:
    """INSERT INTO settlement lines SELECT settlement, voucher, COUNT(*), SUM(gross), SUM(co-payment) of the due
    claims GROUP BY provider, voucher: one statement in the database, the grouped SELECT compiled from the ORM query
    of the due claims; its few groups are then joined to the run's settlements."""
    grouped = (
        settled_claims(run, providers)
        .values("accreditation_id", "voucher_id")
        .annotate(n=Count("*"), gross=Sum("amount_minor"), copay=Sum("copayment_minor"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    settlements = Settlement.objects.filter(run=run).values("pk", "accreditation_id").order_by()
    s_sql, s_params = settlements.query.sql_with_params()
    table = SettlementLine._meta.db_table
    with connection.cursor() as cursor:
        # The table name is the model's and both SELECTs are compiled by the ORM with their parameters kept apart.
        statement = (
            f"INSERT INTO {table} (settlement_id, voucher_id, claims, gross_minor, copayment_minor) "  # noqa: S608  # nosec B608
            f"SELECT s.pk, due.voucher_id, due.n, due.gross, due.copay FROM ({sql}) AS due "
            f"JOIN ({s_sql}) AS s ON s.accreditation_id = due.accreditation_id"
        )
        cursor.execute(statement, (*params, *s_params))
