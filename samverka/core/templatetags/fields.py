"""`{% form_field field %}`: a form field's wrapper written in Python — label, required mark, help text (its id is
the one Django's widgets point aria-describedby at), errors and widget — without rendering a template per field.
includes/field.html is this tag, so every form shares the one markup.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from samverka.core.html import esc

register = template.Library()


@register.simple_tag
def form_field(field) -> SafeString:
    label_for = esc(field.id_for_label)
    errors = field.errors
    required_word = gettext("required")  # outside the f-string, so that makemessages finds it
    required = f' <span class="required">({esc(required_word)})</span>' if field.field.required else ""
    parts = [
        f'<div class="field{" field-error" if errors else ""}">',
        f'  <label for="{label_for}">{conditional_escape(field.label)}{required}</label>',
    ]
    if field.help_text:
        parts.append(f'  <p class="help" id="{label_for}_helptext">{conditional_escape(field.help_text)}</p>')
    parts += [f'  <p class="error" id="{label_for}-error">{conditional_escape(error)}</p>' for error in errors]
    parts += [f"  {field}", "</div>"]
    # Labels, help texts and errors are escaped unless already safe; the widget renders itself escaped.
    return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703
