"""On PostgreSQL, refuse UPDATE and DELETE on the audit tables for every client, not only the ORM."""

from django.db import migrations

from samverka.core.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only_trigger("audit_auditevent", "audit_accessevent")]
