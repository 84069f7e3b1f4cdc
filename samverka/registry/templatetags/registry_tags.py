from django import template

from .. import orgnumbers

register = template.Library()


@register.filter
def org_number_display(org) -> str:
    return orgnumbers.display(org.country, org.org_number)
