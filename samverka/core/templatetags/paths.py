"""`{% path "app:name" %}`: the URL of a view that takes no arguments, reversed once per process; and
`{% asset "file" %}`: a static file's URL ({% static %}), looked up once per process.

Every page's header and navigation name a dozen such URLs; reversing each on every request cost a good part of
rendering the layout. The URL of a name without arguments depends only on the URLconf and the script prefix, which
are part of the key.
"""

from django import template
from django.templatetags.static import static
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


_assets: dict[tuple, str] = {}


@register.simple_tag(name="asset")
def asset_tag(name: str) -> str:
    """{% static name %}, whose storage lookup and URL join cost every page as much as the header's links: a
    static file's URL only changes with a new deployment (the manifest is read at start) or script prefix."""
    key = (get_script_prefix(), name)
    url = _assets.get(key)
    if url is None:
        url = _assets[key] = static(name)
    return url
