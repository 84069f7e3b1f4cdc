import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_shipped_library"),
        ("dialogue", "0003_forum_member_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="hearing",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="hearings",
                to="agreements.agreement",
            ),
        ),
    ]
