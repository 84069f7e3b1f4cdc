"""`{% pagination %}`: the previous/next links of a list page (includes/pagination.html), written in Python like
the page header (layout.py): as template markup its translations and filters cost a list page more than a
tenth of its rendering. Reads `page` (core.pagination.Page) and `query_without_page` from the context."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from samverka.core.html import esc

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context) -> SafeString:
    page = context.get("page")
    if getattr(page, "num_pages", 0) <= 1:
        return mark_safe("")  # noqa: S308  # nosec B308 B703
    query = esc(context.get("query_without_page", ""))
    parts = [f'<nav class="pagination" aria-label="{esc(gettext("Pages"))}">']
    if page.has_previous:
        parts.append(f'  <a href="?{query}page={page.number - 1}" rel="prev">{esc(gettext("Previous"))}</a>')
    where = gettext("Page %(number)s of %(total)s") % {"number": page.number, "total": page.num_pages}
    parts.append(f"  <span>{esc(where)}</span>")
    if page.has_next:
        parts.append(f'  <a href="?{query}page={page.number + 1}" rel="next">{esc(gettext("Next"))}</a>')
    parts.append("</nav>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every value is escaped by esc())  # nosec B308 B703
