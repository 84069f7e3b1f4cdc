"""Step 2 of 3: each scheme's registry category (field of work) mapped onto the catalogue term with the same code,
else the same English name (elderly → older-people); a scheme whose category has no such term is left without one
(such schemes keep working, as those made before the category was required). Backwards maps the same way."""

from django.db import migrations


def _key(value: str) -> str:
    return (value or "").strip().casefold()


def _match(source, targets) -> object | None:
    by_code = {_key(t.code): t for t in targets}
    by_name: dict[str, object] = {}
    for t in targets:
        for name in (t.name, getattr(t, "name_en", "")):
            if _key(name):
                by_name.setdefault(_key(name), t)
    found = by_code.get(_key(source.code))
    if found is None:
        for name in (getattr(source, "name_en", ""), source.name):
            found = by_name.get(_key(name)) if _key(name) else None
            if found is not None:
                break
    return found


def forwards(apps, schema_editor):
    VoucherScheme = apps.get_model("vouchers", "VoucherScheme")
    TaxonomyTerm = apps.get_model("catalogue", "TaxonomyTerm")
    terms = list(TaxonomyTerm.objects.all())
    for scheme in VoucherScheme.objects.filter(category__isnull=False).select_related("category"):
        term = _match(scheme.category, terms)
        if term is not None:
            VoucherScheme.objects.filter(pk=scheme.pk).update(service_category=term)


def backwards(apps, schema_editor):
    VoucherScheme = apps.get_model("vouchers", "VoucherScheme")
    Category = apps.get_model("registry", "Category")
    categories = list(Category.objects.all())
    for scheme in VoucherScheme.objects.filter(service_category__isnull=False).select_related("service_category"):
        category = _match(scheme.service_category, categories)
        VoucherScheme.objects.filter(pk=scheme.pk).update(category=category)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_seed_categories_target_groups"),
        ("catalogue", "0004_taxonomy_external_codes"),
        ("vouchers", "0011_scheme_service_category"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
