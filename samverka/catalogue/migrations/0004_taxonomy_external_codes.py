"""Map the shipped categories onto Open Eligibility-style human-service terms (docs/catalogue.md, "Taxonomy mapping").

The codes are paths of Open Eligibility's human-service categories (top level / term, lower-case, hyphenated),
so an HSDS consumer that files services under Open Eligibility can place ours; the exact term names are kept in
`EXTERNAL` below and in the documentation.
"""

from django.db import migrations

EXTERNAL_TAXONOMY = "open-eligibility"
EXTERNAL = {
    "mental-health": "health/mental-health-care",
    "peer-support": "care/support-network/peer-support",
    "loneliness": "care/support-network/companionship",
    "substance-use": "health/addiction-and-recovery",
    "family": "care/family-services",
    "children-youth": "care/youth-services",
    "older-people": "care/senior-services",
    "disability": "care/disability-services",
    "migration": "education/immigration-and-integration",
    "housing": "housing/help-find-housing",
    "money-advice": "money/financial-education/debt-counseling",
    "violence": "emergency/safety/abuse-and-violence-support",
    "health-promotion": "health/health-education/physical-activity",
    "grief": "care/support-network/bereavement",
    "carers": "care/support-network/caregiver-support",
}


def forwards(apps, schema_editor):
    TaxonomyTerm = apps.get_model("catalogue", "TaxonomyTerm")
    for code, external in EXTERNAL.items():
        TaxonomyTerm.objects.filter(code=code).update(external_taxonomy=EXTERNAL_TAXONOMY, external_code=external)


def backwards(apps, schema_editor):
    TaxonomyTerm = apps.get_model("catalogue", "TaxonomyTerm")
    TaxonomyTerm.objects.filter(code__in=list(EXTERNAL)).update(external_taxonomy="", external_code="")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
