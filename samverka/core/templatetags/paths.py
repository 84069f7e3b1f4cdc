"""`{% path "app:name" %}`: the URL of a view that takes no arguments, reversed once per process.

Every page's header and navigation name a dozen such URLs; reversing each on every request cost a good part of
rendering the layout. The URL of a name without arguments depends only on the URLconf and the script prefix, which
are part of the key.
"""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_reversed: dict[tuple, str] = {}


@register.simple_tag(name="path")
def path_tag(name: str) -> str:
    key = (get_urlconf(), get_script_prefix(), name)
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = reverse(name)
    return url
