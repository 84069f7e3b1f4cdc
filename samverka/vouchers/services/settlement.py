"""Monthly settlement per scheme: one settlement per provider, moved to settlement clearing in one transaction."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
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
            run = SettlementRun.objects.create(
                scheme=scheme, month=month, created_by=actor if getattr(actor, "is_authenticated", False) else None
            )
            _settle(actor, scheme, run, end)
    except IntegrityError:
        raise ConflictError(_("This month has already been settled for this scheme.")) from None
    return run


def _settle(actor, scheme, run, end: datetime.date) -> None:
    """Set-based, so a month with a million claims settles in seconds: one settlement row per approved provider
    of the scheme, then ONE `INSERT … SELECT` puts every due claim into its provider's settlement lines in the
    database, and ONE grouped aggregate over those very lines gives each provider's totals (a claim recorded
    meanwhile is either in both or in neither). Providers without due claims get no settlement. The ledger
    transaction has one entry per provider with the amounts the database summed. A claim is settled once
    (unique settlement line per claim)."""
    due = Claim.objects.filter(
        voucher__scheme=scheme,
        service_date__lt=end,
        settlement_line__isnull=True,
        transaction__reversed_by__isnull=True,
    )
    Settlement.objects.bulk_create(
        [Settlement(run=run, accreditation=a) for a in Accreditation.objects.filter(scheme=scheme).order_by("pk")]
    )
    totals = _insert_lines(run, due)
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


def _insert_lines(run, claims) -> dict:
    """INSERT INTO settlement lines SELECT every due claim with its provider's settlement of this run, in one
    statement in the database (no rows through Python), and return {settlement id: (gross, co-payment, claims)}
    summed over exactly those lines. On PostgreSQL the insert and the sums are one statement (one snapshot); on
    SQLite (one writer) the sums are a second grouped query over the lines just inserted."""
    due_sql, params = claims.values(
        claim_ref=F("pk"), acc_ref=F("accreditation_id"), gross=F("amount_minor"), copay=F("copayment_minor")
    ).query.sql_with_params()
    table = SettlementLine._meta.db_table
    settlements = Settlement._meta.db_table
    select = (
        f"SELECT s.id AS sid, c.claim_ref, c.gross, c.copay FROM ({due_sql}) AS c "  # noqa: S608
        f"JOIN {settlements} s ON s.accreditation_id = c.acc_ref AND s.run_id = %s"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH due AS MATERIALIZED ({select}), "  # noqa: S608
                f"lines AS (INSERT INTO {table} (settlement_id, claim_id) SELECT sid, claim_ref FROM due) "
                "SELECT sid, COALESCE(SUM(gross), 0), COALESCE(SUM(copay), 0), COUNT(*) FROM due GROUP BY sid",
                [*params, run.pk],
            )
            return {sid: (int(gross), int(copay), n) for sid, gross, copay, n in cursor.fetchall()}
        cursor.execute(
            f"INSERT INTO {table} (settlement_id, claim_id) SELECT sid, claim_ref FROM ({select})",  # noqa: S608
            [*params, run.pk.hex],
        )
    return {
        row["settlement_id"]: (row["gross"] or 0, row["copay"] or 0, row["n"])
        for row in SettlementLine.objects.filter(settlement__run=run)
        .values("settlement_id")
        .annotate(gross=Sum("claim__amount_minor"), copay=Sum("claim__copayment_minor"), n=Count("pk"))
        .order_by()
    }
