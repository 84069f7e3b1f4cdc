"""Template tags for including the catalogue in other apps' pages (no business logic: selectors and permissions)."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.simple_tag
def organisation_services(organisation):
    """Published services of an organisation: `{% organisation_services org as services %}`."""
    return list(selectors.services_for_organisation(organisation))


@register.simple_tag(takes_context=True)
def may_manage_services(context, organisation) -> bool:
    request = context.get("request")
    return bool(request and permissions.can_manage_organisation(request.user, organisation))


@register.simple_tag
def service_texts(service, groups=None) -> dict:
    """The long texts of a service in the reader's language (with fallback), and the other languages' versions.

    With the finder's query `groups`, matching words are marked in every language shown, not only the reader's."""
    from django.utils.translation import get_language

    from ..forms import LABELS
    from ..models import LANGUAGE_NAMES, localised, localised_language
    from ..search.text import highlight

    def mark(value: str):
        return highlight(value, groups) if groups else value

    fields = ("description", "eligibility", "fees_description", "how_to_access")
    main = [
        {"title": LABELS[f], "text": mark(localised(service, f)), "lang": localised_language(service, f)}
        for f in fields
        if localised(service, f)
    ]
    shown = (get_language() or "en")[:2]
    shown = localised_language(service, "name", shown)
    others = []
    for code in service.content_languages:
        if code == shown:
            continue
        blocks = [
            {"title": LABELS[f], "text": mark(getattr(service, f"{f}_{code}"))} for f in ("name", "summary", *fields)
        ]
        blocks = [b for b in blocks if b["text"]]
        if blocks:
            matched = bool(groups) and any("<mark>" in str(b["text"]) for b in blocks)
            others.append({"code": code, "language": LANGUAGE_NAMES[code], "blocks": blocks, "matched": matched})
    return {"main": main, "others": others}
