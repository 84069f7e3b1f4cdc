"""Form widgets written in Python for the busiest pages (the finder's and the registry's filter forms).

Django renders each <input> through two templates (input.html, attrs.html); these write the same markup directly.
"""

from django import forms
from django.utils.safestring import SafeData, SafeString, mark_safe

from .html import esc, options_html


def _text(value: object) -> str:
    """`value` escaped unless already marked safe: what format_html does with each argument."""
    return str(value) if isinstance(value, SafeData) else esc(value)


def _attributes(attrs: dict) -> str:
    """HTML attributes in their order, as Django's attrs.html writes them (True: the name alone; False: left out),
    escaped."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def mark_chosen(html: str, chosen: str, mark_blank: bool) -> str:
    """Rendered <option>s (or HTML holding one select's options) with the option of value `chosen` marked selected;
    nothing chosen marks the blank option when `mark_blank`. Only the constant word "selected" is added to options
    that were escaped when they were rendered."""
    if not (chosen or mark_blank):
        return html
    option = f'<option value="{esc(chosen)}">'
    return html.replace(option, option[:-1] + " selected>", 1)


class QuickInputMixin:
    """Writes the <input> in Python, as Django's input.html does, instead of through two templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        value_attribute = f' value="{_text(widget["value"])}"' if widget["value"] is not None else ""
        attributes = _attributes(widget["attrs"])
        return mark_safe(  # nosec B308 B703 (every part escaped by _text)
            f'<input type="{_text(widget["type"])}" name="{_text(name)}"{value_attribute}{attributes}>'
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickNumberInput(QuickInputMixin, forms.NumberInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


def rendered_options(choices) -> SafeString:
    """The <option>s of (value, label) pairs, escaped, none selected: what QuickSelect renders, or is given."""
    return mark_safe(options_html(choices, None))  # nosec B308 B703 (options_html escapes)


class QuickSelect(forms.Select):
    """A single-choice select written in Python, with the same HTML as Django's Select, without rendering a
    template per option (which cost the finder and the registry list more than their queries). The options are
    rendered in one pass, or given already rendered and escaped (`rendered_options`, e.g. cached per language);
    the chosen one is then marked selected."""

    rendered_options: SafeString | None = None
    # Whether the blank option is marked selected when nothing is chosen.
    mark_blank = True

    def render(self, name, value, attrs=None, renderer=None):
        options = self.rendered_options
        if options is None:
            options = rendered_options(self.choices)
        options = mark_chosen(options, "" if value is None else str(value), self.mark_blank)
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{_text(name)}"{attributes}>{options}</select>')  # nosec B308 B703
