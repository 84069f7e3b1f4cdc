"""A filter form's fields kept rendered: rendered once with nothing chosen (per language and whatever else the
caller's key names), kept with the reference cache, and marked with each request's values — instead of building
and rendering the form on every visit, which cost a list or finder page more than its queries.

The result is what `{% form_field %}` gives for each field of the form built with those values as its initial
data: a select's option marked selected (widgets.mark_chosen), a text input's value set, a checkbox checked."""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from django import forms
from django.utils.safestring import SafeString, mark_safe

from samverka.core import refcache
from samverka.core.html import esc
from samverka.core.templatetags.fields import form_field
from samverka.core.widgets import QuickSelect, mark_chosen

# Stands in for every text field's value when the fields are rendered to be kept: no option has it.
_UNSET = "\x00unset\x00"
_UNSET_VALUE = f' value="{esc(_UNSET)}"'


@dataclass(frozen=True)
class _Kept:
    name: str
    html: str
    # A select: mark_chosen marks the value; its blank option when nothing is chosen and mark_blank.
    is_select: bool = False
    mark_blank: bool = False
    # A checkbox: the field rendered checked (html is unchecked).
    checked: str | None = None


def _render(build: Callable[[dict], forms.Form]) -> list[_Kept]:
    fields = build({}).fields

    def initial(checked: bool) -> dict:
        return {
            name: checked if isinstance(field.widget, forms.CheckboxInput) else _UNSET for name, field in fields.items()
        }

    unchecked, checked = build(initial(False)), build(initial(True))
    kept = []
    for field, field_checked in zip(unchecked, checked, strict=True):
        widget = field.field.widget
        html = str(form_field(field))
        if isinstance(widget, forms.CheckboxInput):
            kept.append(_Kept(field.name, html, checked=str(form_field(field_checked))))
        else:
            is_select = isinstance(widget, QuickSelect)
            kept.append(_Kept(field.name, html, is_select, is_select and getattr(widget, "mark_blank", False)))
    return kept


def kept_fields_html(
    table: str, key: Hashable, build: Callable[[dict], forms.Form], values: Mapping[str, object], most: int = 256
) -> SafeString:
    """The fields of `build(initial)` showing `values` (a checkbox is checked when its value is true), rendered
    once per `key` in the reference cache's table `table` (name it per language)."""
    html = []
    for part in refcache.cached_per_key(table, key, lambda: _render(build), most=most):
        value = values.get(part.name)
        if part.checked is not None:
            html.append(part.checked if value else part.html)
        elif part.is_select:
            html.append(mark_chosen(part.html, str(value or ""), part.mark_blank))
        else:
            text = str(value or "")
            html.append(part.html.replace(_UNSET_VALUE, f' value="{esc(text)}"' if text else "", 1))
    return mark_safe("\n".join(html))  # noqa: S308 (rendered by form_field; values escaped by esc())  # nosec B308 B703
