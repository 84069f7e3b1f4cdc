"""Principle sets and model agreements shipped with Samverka (written by the developers, not official texts).

`install(apps)` is used by a data migration and by `samverka` demo code; it is idempotent (matched by code).
"""

from .principles import PRINCIPLE_SETS
from .templates import TEMPLATES


def install(apps=None) -> tuple[int, int]:
    """Create missing shipped principle sets and templates; returns (sets created, templates created)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    PrincipleSet = apps.get_model("agreements", "PrincipleSet")
    Principle = apps.get_model("agreements", "Principle")
    Template = apps.get_model("agreements", "Template")
    sets = templates = 0
    for spec in PRINCIPLE_SETS:
        names = spec["name"]
        obj, created = PrincipleSet.objects.get_or_create(
            code=spec["code"],
            defaults={"name": names["en"], "country": spec["country"], **{f"name_{k}": v for k, v in names.items()}},
        )
        if created:
            sets += 1
            for order, titles in enumerate(spec["principles"], start=1):
                Principle.objects.create(
                    principle_set=obj,
                    order=order,
                    title=titles["en"],
                    description=titles.get("description", ""),
                    **{f"title_{k}": v for k, v in titles.items() if k in ("nb", "sv", "fi", "en")},
                )
    for spec in TEMPLATES:
        principle_set = PrincipleSet.objects.filter(code=spec.get("principle_set") or "").first()
        for language, text in spec["languages"].items():
            _obj, created = Template.objects.get_or_create(
                code=spec["code"],
                language=language,
                defaults={
                    "kind": spec["kind"],
                    "title": text["title"],
                    "description": text["description"],
                    "sections": [{"heading": h, "text": t} for h, t in text["sections"]],
                    "fields": [{"name": n, "label": label} for n, label in text["fields"]],
                    "principle_set": principle_set,
                },
            )
            templates += int(created)
    return sets, templates
