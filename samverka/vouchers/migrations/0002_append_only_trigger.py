"""On PostgreSQL, refuse UPDATE and DELETE of ledger rows and claims for every client, not only the ORM."""

from django.db import migrations

from samverka.core.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0001_initial"), ("audit", "0002_append_only_trigger")]
    operations = [append_only_trigger("vouchers_ledgertransaction", "vouchers_ledgerentry", "vouchers_claim")]
