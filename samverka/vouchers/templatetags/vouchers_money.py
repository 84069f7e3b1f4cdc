from django import template

from ..money import fmt

register = template.Library()


@register.filter
def money(minor, currency: str = "") -> str:
    """{{ amount_minor|money:scheme.currency }} → "1 234.50 NOK"."""
    if minor is None or minor == "":
        return "–"
    return fmt(int(minor), currency)
