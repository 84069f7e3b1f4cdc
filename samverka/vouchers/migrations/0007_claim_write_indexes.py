"""Five indexes fewer for every claim to keep up: those on a column a composite index already leads with
(ledger entry account → vouchers_entry_account_cover, transaction scheme → vouchers_tx_scheme_kind, claim accreditation →
vouchers_claim_idempotency) and those on who wrote a transaction or claim (never looked up; the audit trail is, by actor).
The foreign keys stay as they are (only the indexes are dropped, no constraint is validated again)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = [
    ("vouchers_claim_accreditation_id_4fc51630", "vouchers_claim", "accreditation_id"),
    ("vouchers_claim_created_by_id_530c4967", "vouchers_claim", "created_by_id"),
    ("vouchers_ledgerentry_account_id_ecc07117", "vouchers_ledgerentry", "account_id"),
    ("vouchers_ledgertransaction_actor_id_63620b8b", "vouchers_ledgertransaction", "actor_id"),
    ("vouchers_ledgertransaction_scheme_id_68f83b0e", "vouchers_ledgertransaction", "scheme_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0006_claim_seq_settlement_watermark"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name, _table, _column in INDEXES],
                    reverse_sql=[
                        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")'
                        for name, table, column in INDEXES
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="accreditation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="vouchers.accreditation",
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="vouchers.ledgeraccount",
                    ),
                ),
                migrations.AlterField(
                    model_name="ledgertransaction",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="ledgertransaction",
                    name="scheme",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transactions",
                        to="vouchers.voucherscheme",
                    ),
                ),
            ],
        )
    ]
