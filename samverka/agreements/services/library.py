"""Coordinators add their own principle sets and templates for their area."""

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record

from .. import permissions
from ..models import AgreementKind, Principle, PrincipleSet, Template
from .common import PLACEHOLDER, Forbidden, clean_sections, invalid


def _require(actor, area):
    if not permissions.can_manage_area(actor, area):
        raise Forbidden(_("Only the coordinators of the area may do this."))


def _unique_code(model, base: str, **extra) -> str:
    base = slugify(base)[:50] or "custom"
    code, n = base, 1
    while model.objects.filter(code=code, **extra).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def principle_set_create(*, actor, area, name: str, principles: list[str]) -> PrincipleSet:
    name = name.strip()[:200]
    titles = [t.strip()[:200] for t in principles if t.strip()]
    errors = {}
    if not name:
        errors["name"] = [_("Give the set a name.")]
    if not titles:
        errors["principles"] = [_("Write at least one principle, one per line.")]
    if errors:
        raise invalid(errors)
    _require(actor, area)
    with transaction.atomic():
        obj = PrincipleSet.objects.create(
            code=_unique_code(PrincipleSet, f"{area.code}-{name}"), name=name, country=area.country, area=area
        )
        Principle.objects.bulk_create(
            Principle(principle_set=obj, order=i, title=t) for i, t in enumerate(titles, start=1)
        )
        audit_record(
            actor=actor,
            action="agreement.principle_set_create",
            obj=obj,
            area_id=area.pk,
            changes={"name": name, "principles": titles},
        )
    return obj


def template_create(
    *,
    actor,
    area,
    title: str,
    language: str,
    kind: str,
    sections: list,
    description: str = "",
    principle_set: PrincipleSet | None = None,
) -> Template:
    errors = {}
    title = title.strip()[:300]
    if not title:
        errors["title"] = [_("Give the template a title.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language.")]
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose a kind of agreement.")]
    if errors:
        raise invalid(errors)
    sections = clean_sections(sections)
    _require(actor, area)
    names = sorted(
        {m for s in sections for m in PLACEHOLDER.findall(s["heading"] + " " + s["text"])}
        | set(PLACEHOLDER.findall(title))
    )
    with transaction.atomic():
        template = Template.objects.create(
            code=_unique_code(Template, f"{area.code}-{title}", language=language),
            language=language,
            kind=kind,
            title=title,
            description=description.strip()[:2000],
            sections=sections,
            fields=[{"name": n, "label": n.replace("_", " ").capitalize()} for n in names],
            principle_set=principle_set,
            area=area,
        )
        audit_record(
            actor=actor,
            action="agreement.template_create",
            obj=template,
            area_id=area.pk,
            changes={"title": title, "language": language, "kind": kind},
        )
    return template
