"""Load the shipped principle sets and model agreements (idempotent)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from samverka.agreements.library import install

    install(apps)


def backwards(apps, schema_editor):
    apps.get_model("agreements", "Template").objects.filter(area__isnull=True).delete()
    apps.get_model("agreements", "PrincipleSet").objects.filter(area__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
