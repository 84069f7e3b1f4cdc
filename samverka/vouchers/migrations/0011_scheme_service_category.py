"""A scheme's service category becomes a term of the catalogue's service taxonomy (step 1 of 3: the new column)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_search_name_tokens"),
        ("vouchers", "0010_voucher_choice_link"),
    ]

    operations = [
        migrations.AddField(
            model_name="voucherscheme",
            name="service_category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalogue.taxonomyterm",
            ),
        ),
    ]
