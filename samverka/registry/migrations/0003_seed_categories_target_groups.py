"""Seed the controlled lists: categories (fields of work) and target groups, named in nb/sv/fi/en."""

from django.db import migrations

# code: (en, nb, sv, fi)
CATEGORIES = {
    "health": ("Health", "Helse", "Hälsa", "Terveys"),
    "social-care": ("Social care", "Sosiale tjenester og omsorg", "Social omsorg", "Sosiaalihuolto"),
    "addiction": ("Addiction", "Rus og avhengighet", "Beroende", "Päihteet ja riippuvuudet"),
    "rehabilitation": ("Rehabilitation", "Rehabilitering", "Rehabilitering", "Kuntoutus"),
    "child-welfare": ("Child welfare", "Barnevern", "Barnskydd", "Lastensuojelu"),
    "elderly": ("Older people", "Eldre", "Äldre", "Ikääntyneet"),
    "disability": ("Disability", "Funksjonsnedsettelse", "Funktionsnedsättning", "Vammaisuus"),
    "mental-health": ("Mental health", "Psykisk helse", "Psykisk hälsa", "Mielenterveys"),
    "preparedness": ("Preparedness", "Beredskap", "Beredskap", "Varautuminen"),
    "culture": ("Culture", "Kultur", "Kultur", "Kulttuuri"),
    "sport": ("Sport", "Idrett", "Idrott", "Liikunta ja urheilu"),
    "integration": ("Integration", "Inkludering og integrering", "Integration", "Kotoutuminen"),
    "housing": ("Housing", "Bolig", "Boende", "Asuminen"),
    "education": ("Education", "Opplæring", "Utbildning", "Koulutus"),
    "other": ("Other", "Annet", "Övrigt", "Muu"),
}

TARGET_GROUPS = {
    "children": ("Children", "Barn", "Barn", "Lapset"),
    "youth": ("Young people", "Ungdom", "Unga", "Nuoret"),
    "families": ("Families", "Familier", "Familjer", "Perheet"),
    "adults": ("Adults", "Voksne", "Vuxna", "Aikuiset"),
    "elderly": ("Older people", "Eldre", "Äldre", "Ikääntyneet"),
    "immigrants": ("Immigrants", "Innvandrere", "Invandrare", "Maahanmuuttajat"),
    "people-with-disabilities": (
        "People with disabilities", "Personer med funksjonsnedsettelse", "Personer med funktionsnedsättning",
        "Vammaiset henkilöt",
    ),
    "relatives": ("Relatives and carers", "Pårørende", "Anhöriga", "Omaiset ja läheiset"),
    "unemployed": ("Unemployed people", "Arbeidsledige", "Arbetslösa", "Työttömät"),
    "homeless": ("Homeless people", "Bostedsløse", "Hemlösa", "Asunnottomat"),
    "substance-users": ("People who use substances", "Personer som bruker rusmidler", "Personer med missbruk",
                        "Päihteitä käyttävät"),
    "everyone": ("Everyone", "Alle", "Alla", "Kaikki"),
}


def _seed(Model, rows):
    for code, (en, nb, sv, fi) in rows.items():
        Model.objects.update_or_create(
            code=code, defaults={"name": en, "name_en": en, "name_nb": nb, "name_sv": sv, "name_fi": fi}
        )


def seed(apps, schema_editor):
    _seed(apps.get_model("registry", "Category"), CATEGORIES)
    _seed(apps.get_model("registry", "TargetGroup"), TARGET_GROUPS)


def unseed(apps, schema_editor):
    apps.get_model("registry", "Category").objects.filter(code__in=CATEGORIES).delete()
    apps.get_model("registry", "TargetGroup").objects.filter(code__in=TARGET_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
