"""Sortable column headings and export links for the voucher lists."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _query(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_heading(context, key: str, label: str, numeric: bool = False):
    """A column heading that sorts by `key`; a second click reverses. aria-sort tells screen readers the order."""
    request, current = context["request"], context.get("sort", "")
    active = current.removeprefix("-") == key
    descending = active and current.startswith("-")
    next_sort = key if (not active or descending) else f"-{key}"
    aria = ("descending" if descending else "ascending") if active else "none"
    arrow = (" ↓" if descending else " ↑") if active else ""
    hint = _("sorted descending") if descending else _("sorted ascending") if active else ""
    return format_html(
        '<th scope="col" aria-sort="{}"{}><a href="{}">{}{}</a>{}</th>',
        aria,
        format_html(' class="{}"', "numeric") if numeric else "",
        _query(request, sort=next_sort),
        label,
        arrow,
        format_html(' <span class="visually-hidden">({})</span>', hint) if hint else "",
    )


@register.simple_tag(takes_context=True)
def csv_url(context) -> str:
    """The current list (filters and sort kept, every page) as CSV."""
    return _query(context["request"], format="csv")
