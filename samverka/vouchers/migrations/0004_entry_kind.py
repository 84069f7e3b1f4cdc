"""Entries carry their transaction's kind (reconciliation in one grouped pass); covering index on entries by
account; accounts by (scheme, kind). Existing entries are filled from their transactions once, here."""

from django.db import migrations, models

BACKFILL = (
    "UPDATE vouchers_ledgerentry SET kind = "
    "(SELECT t.kind FROM vouchers_ledgertransaction t WHERE t.id = vouchers_ledgerentry.transaction_id)"
)


def backfill(apps, schema_editor):
    # Entries are append-only (a trigger on PostgreSQL); filling the new column is the one sanctioned write.
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE vouchers_ledgerentry DISABLE TRIGGER vouchers_ledgerentry_append_only")
    schema_editor.execute(BACKFILL)
    if postgres:
        schema_editor.execute("ALTER TABLE vouchers_ledgerentry ENABLE TRIGGER vouchers_ledgerentry_append_only")


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0003_budget_lines_scheme_status")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("fund", "Budget funded"),
                    ("issue", "Voucher issued"),
                    ("claim", "Claim"),
                    ("lapse", "Voucher lapsed"),
                    ("cancel", "Voucher cancelled"),
                    ("settle", "Settlement"),
                    ("reversal", "Reversal"),
                ],
                default="",
                max_length=16,
                verbose_name="kind",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="ledgerentry", name="vouchers_entry_account"),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                fields=["account", "kind", "amount_minor"], name="vouchers_entry_account_cover"
            ),
        ),
        migrations.AddIndex(
            model_name="ledgeraccount",
            index=models.Index(fields=["scheme", "kind"], name="vouchers_account_scheme_kind"),
        ),
    ]
