"""Form widgets written in Python for the busiest pages (the finder's and the registry's filter forms).

Django renders each <input> through two templates (input.html, attrs.html); these write the same markup directly.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


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
