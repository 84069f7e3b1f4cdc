"""The Samverka service taxonomy: categories with stable codes (external_taxonomy/external_code map them later)."""

import uuid

from django.db import migrations

TAXONOMY_ID = uuid.UUID("5a3c0c1e-2f51-4c55-9a4e-0d6c6a1c0001")
# code, en, nb, sv, fi
TERMS = [
    ("mental-health", "Mental health", "Psykisk helse", "Psykisk hälsa", "Mielenterveys"),
    ("peer-support", "Peer support", "Likepersonsarbeid", "Kamratstöd", "Vertaistuki"),
    ("loneliness", "Loneliness and social contact", "Ensomhet og sosial kontakt", "Ensamhet och social kontakt",
     "Yksinäisyys ja sosiaaliset suhteet"),
    ("substance-use", "Alcohol, drugs and gambling", "Rus og spill", "Alkohol, droger och spel",
     "Päihteet ja rahapelit"),
    ("family", "Families and parenting", "Familie og foreldre", "Familj och föräldraskap", "Perheet ja vanhemmuus"),
    ("children-youth", "Children and young people", "Barn og unge", "Barn och unga", "Lapset ja nuoret"),
    ("older-people", "Older people", "Eldre", "Äldre", "Ikääntyneet"),
    ("disability", "Disability and chronic illness", "Funksjonsnedsettelse og kronisk sykdom",
     "Funktionsnedsättning och kronisk sjukdom", "Vammaisuus ja pitkäaikaissairaus"),
    ("migration", "Migration and integration", "Innvandring og inkludering", "Migration och integration",
     "Maahanmuutto ja kotoutuminen"),
    ("housing", "Housing and homelessness", "Bolig og bostedsløshet", "Boende och hemlöshet",
     "Asuminen ja asunnottomuus"),
    ("money-advice", "Money and debt advice", "Økonomi og gjeld", "Ekonomi och skulder", "Talous- ja velkaneuvonta"),
    ("violence", "Violence and abuse", "Vold og overgrep", "Våld och övergrepp", "Väkivalta ja hyväksikäyttö"),
    ("health-promotion", "Health promotion and activity", "Helsefremmende aktivitet", "Hälsofrämjande aktivitet",
     "Terveyden edistäminen ja liikunta"),
    ("grief", "Grief and crisis support", "Sorg og krisestøtte", "Sorg och krisstöd", "Suru- ja kriisituki"),
    ("carers", "Support for carers", "Støtte til pårørende", "Stöd till anhöriga", "Omaishoitajien tuki"),
]


def seed(apps, schema_editor):
    Taxonomy = apps.get_model("catalogue", "Taxonomy")
    TaxonomyTerm = apps.get_model("catalogue", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        pk=TAXONOMY_ID,
        defaults={
            "name": "Samverka service categories",
            "description": "Categories of health and social care services given by non-profit organisations "
            "and public bodies in Norway, Sweden and Finland.",
            "version": "1",
        },
    )
    for code, en, nb, sv, fi in TERMS:
        TaxonomyTerm.objects.update_or_create(
            code=code,
            defaults={
                "taxonomy": taxonomy,
                "name": en,
                "name_en": en,
                "name_nb": nb,
                "name_sv": sv,
                "name_fi": fi,
                "description": en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
