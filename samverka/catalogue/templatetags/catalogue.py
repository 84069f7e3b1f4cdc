"""Template tags for including the catalogue in other apps' pages (no business logic: selectors and permissions), and
the finder's results block."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from samverka.core.html import esc
from samverka.core.templatetags.pagination import pagination

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


@register.simple_tag(takes_context=True)
def finder_results(context):
    """The finder's results (catalogue/_results.html): the count, "more than" and correction notes, the cards and
    the previous/next links; or the no-match text, or the note to correct the search. Written in Python like the
    cards: as template markup its translations cost a search more than a tenth of its rendering. Reads `result`,
    `page` and `cards` (cards.cards_html) from the context."""
    result = context.get("result")
    if result is None:
        heading = esc(gettext("Please correct the search."))
        return mark_safe(f'<h2 id="results-heading" aria-live="polite">{heading}</h2>')  # noqa: S308  # nosec B308 B703
    count = result.page.count
    if result.capped:
        heading = ngettext("More than %(counter)s service", "More than %(counter)s services", count)
    else:
        heading = ngettext("%(counter)s service", "%(counter)s services", count)
    parts = [f'<h2 id="results-heading" aria-live="polite">{esc(heading % {"counter": count})}</h2>']
    if result.capped:
        note = gettext("Showing the most relevant of them. Add words or filters to narrow the search.")
        parts.append(f'<p class="muted">{esc(note)}</p>')
    if result.corrected:
        words = ", ".join(esc(word) for word in result.corrected)
        parts.append(f'<p class="muted">{esc(gettext("Also showing results for:"))} {words}</p>')
    if count:
        parts.append(f'<ul class="card-list">\n  {context.get("cards", "")}\n</ul>')
        parts.append(f'<div hx-boost="true" hx-target="#results" hx-push-url="true">{pagination(context)}</div>')
    else:
        no_match = gettext("No service matches your search. Try other words or fewer filters.")
        parts.append(f"<p>{esc(no_match)}</p>")
    # Every text is escaped by esc(); the cards and the links are safe HTML built the same way.
    return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703
