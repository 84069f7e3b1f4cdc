"""Form widgets written in Python for the busiest pages (the finder's and the registry's filter forms).

Django renders each <input> through two templates (input.html, attrs.html); these write the same markup directly.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .html import options_html


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes in their order, as Django's attrs.html writes them (True: the name alone; False: left out)."""
    return mark_safe(  # nosec B308 B703 (each part is built by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickInputMixin:
    """Writes the <input> in Python, as Django's input.html does, instead of through two templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        value_attribute = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, value_attribute, _attributes(widget["attrs"])
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
        chosen = "" if value is None else str(value)
        if chosen or self.mark_blank:
            option = format_html('<option value="{}">', chosen)
            # Only the constant word "selected" is added to options that were escaped when they were rendered.
            options = mark_safe(options.replace(option, option[:-1] + " selected>", 1))  # nosec B308 B703
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)
