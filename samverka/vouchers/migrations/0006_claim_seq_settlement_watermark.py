"""Settlement by watermark: claims get a sequence given by the database, a settlement run records the highest
sequence it saw, and settlement lines become one row per (settlement, voucher) instead of one per claim.

Existing data: claims and runs are numbered in the order they were recorded, so every run's watermark lies above
the claims recorded before it and below those recorded after it; the lines are rebuilt from the claims each run
settled under the new rule (the old rule at run time was the same: unsettled, uncorrected, delivered before the
month's end). Cached balances are kept only on voucher and scheme budget accounts from now on (the others are
derived from entries), so the others are set to zero. The conversion is not reversible.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

CACHED = ("voucher", "scheme_budget")


def _period_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def number_claims_and_runs(apps, schema_editor):
    Claim = apps.get_model("vouchers", "Claim")
    SettlementRun = apps.get_model("vouchers", "SettlementRun")
    LedgerAccount = apps.get_model("vouchers", "LedgerAccount")
    events = [(c.created_at, 0, "claim", c.pk) for c in Claim.objects.only("pk", "created_at")]
    events += [(r.created_at, 1, "run", r.pk) for r in SettlementRun.objects.only("pk", "created_at")]
    events.sort()
    pg = schema_editor.connection.vendor == "postgresql"
    if pg:
        schema_editor.execute("ALTER TABLE vouchers_claim DISABLE TRIGGER vouchers_claim_append_only")
    counter = 0
    for _at, _order, what, pk in events:
        counter += 1
        if what == "claim":
            Claim.objects.filter(pk=pk).update(seq=counter)
        else:
            run = SettlementRun.objects.get(pk=pk)
            SettlementRun.objects.filter(pk=pk).update(watermark=counter, period_end=_period_end(run.month))
    if pg:
        schema_editor.execute("ALTER TABLE vouchers_claim ENABLE TRIGGER vouchers_claim_append_only")
        schema_editor.execute("CREATE SEQUENCE vouchers_claim_seq OWNED BY vouchers_claim.seq")
        schema_editor.execute("SELECT setval('vouchers_claim_seq', %s, %s)", [max(counter, 1), counter > 0])
    LedgerAccount.objects.exclude(kind__in=CACHED).update(balance_minor=0)


def rebuild_lines(apps, schema_editor):
    Claim = apps.get_model("vouchers", "Claim")
    SettlementRun = apps.get_model("vouchers", "SettlementRun")
    Settlement = apps.get_model("vouchers", "Settlement")
    SettlementLine = apps.get_model("vouchers", "SettlementLine")
    LedgerTransaction = apps.get_model("vouchers", "LedgerTransaction")
    reversed_txs = set(
        LedgerTransaction.objects.filter(reverses__isnull=False).values_list("reverses_id", flat=True)
    )
    for scheme_id in SettlementRun.objects.values_list("scheme_id", flat=True).distinct():
        runs = list(SettlementRun.objects.filter(scheme_id=scheme_id).order_by("watermark"))
        lines: dict = {}
        for claim in Claim.objects.filter(voucher__scheme_id=scheme_id).order_by("seq"):
            if claim.transaction_id in reversed_txs:
                continue
            run = next((r for r in runs if claim.seq <= r.watermark and claim.service_date < r.period_end), None)
            if run is None:
                continue
            settlement = Settlement.objects.get(run=run, accreditation_id=claim.accreditation_id)
            line = lines.setdefault((settlement.pk, claim.voucher_id), [0, 0, 0])
            line[0] += 1
            line[1] += claim.amount_minor
            line[2] += claim.copayment_minor
        SettlementLine.objects.bulk_create(
            SettlementLine(settlement_id=sid, voucher_id=vid, claims=n, gross_minor=g, copayment_minor=c)
            for (sid, vid), (n, g, c) in lines.items()
        )


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0005_settlement_line_claim_key")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="settlementrun",
            name="watermark",
            field=models.BigIntegerField(default=0, verbose_name="highest claim sequence settled"),
        ),
        migrations.AddField(
            model_name="settlementrun",
            name="period_end",
            field=models.DateField(null=True, verbose_name="end of the month (exclusive)"),
        ),
        migrations.RunPython(number_claims_and_runs, elidable=False),
        migrations.DeleteModel(name="SettlementLine"),
        migrations.CreateModel(
            name="SettlementLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claims", models.IntegerField(verbose_name="claims")),
                ("gross_minor", models.BigIntegerField()),
                ("copayment_minor", models.BigIntegerField()),
                (
                    "settlement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="lines", to="vouchers.settlement"
                    ),
                ),
                (
                    "voucher",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="vouchers.voucher"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("settlement", "voucher"), name="vouchers_settlement_line_per_voucher"
                    )
                ],
            },
        ),
        migrations.RunPython(rebuild_lines, elidable=False),
        migrations.AlterField(
            model_name="claim",
            name="seq",
            field=models.BigIntegerField(editable=False, verbose_name="sequence"),
        ),
        migrations.AlterField(
            model_name="settlementrun",
            name="period_end",
            field=models.DateField(verbose_name="end of the month (exclusive)"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
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
        ),
    ]
