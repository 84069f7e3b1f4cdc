"""Step 3 of 3: the registry category goes and the catalogue term takes its name, `category`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0012_scheme_service_category_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="voucherscheme", name="category"),
        migrations.RenameField(model_name="voucherscheme", old_name="service_category", new_name="category"),
        migrations.AlterField(
            model_name="voucherscheme",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voucher_schemes",
                to="catalogue.taxonomyterm",
                verbose_name="service category",
            ),
        ),
    ]
