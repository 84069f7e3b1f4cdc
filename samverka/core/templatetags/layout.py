"""`{% site_header %}`: every page's header — skip link, brand, main navigation and language form — written in
Python like the list rows (core/html.py).

As template markup, its thirty-odd tags (links, translations, the log-out form with its CSRF token, the language
form and its loop) cost each page about a tenth of a millisecond more than the whole header does here; on the
busiest staff list that was a tenth of the request. The links are reversed once per process (`paths.path_tag`).
Only a signed-in user's header holds a CSRF token (the log-out form): a visitor's page makes none, nor its cookie.
"""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from samverka.core.html import esc
from samverka.core.templatetags.paths import path_tag

register = template.Library()

# (URL name, label) of the links every visitor sees, then those of coordinators; labels translated when shown
# (gettext_noop marks them for the catalogues; a lazy string costs more to show).
PUBLIC_LINKS = (
    ("catalogue:index", gettext_noop("Services")),
    ("registry:public_list", gettext_noop("Organisations")),
    ("agreements:public_register", gettext_noop("Agreements")),
    ("dialogue:index", gettext_noop("Forums")),
    ("dialogue:hearings", gettext_noop("Hearings")),
    ("vouchers:index", gettext_noop("Vouchers")),
    ("areas:list", gettext_noop("Areas")),
)
COORDINATOR_LINKS = (("catalogue:proposals", gettext_noop("Change proposals")),)


def _link(name: str, label: str) -> str:
    return f'<li><a href="{esc(path_tag(name))}">{esc(gettext(label))}</a></li>'


def _csrf_input(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'


def _nav_items(context) -> list[str]:
    items = [_link(name, label) for name, label in PUBLIC_LINKS]
    user = context.get("user")
    if user is not None and user.is_authenticated:
        # The context's token, which the page's other forms show too: each get_token() call masks it anew.
        token = str(context.get("csrf_token") or get_token(context["request"]))
        items.append(_link("registry:list", gettext_noop("Registry")))
        if context.get("is_coordinator"):
            items += [_link(name, label) for name, label in COORDINATOR_LINKS]
        items.append(_link("accounts:home", gettext_noop("My account")))
        items.append(
            f'<li><form action="{esc(path_tag("accounts:logout"))}" method="post" class="inline-form">'
            f'{_csrf_input(token)}<button type="submit" class="link-button">{esc(gettext("Log out"))}</button>'
            "</form></li>"
        )
    else:
        items.append(_link("accounts:login", gettext_noop("Log in")))
    return items


def _language_form(request) -> str:
    # A GET form (core.views.set_language): no CSRF token, so a visitor's page need not make one.
    current = get_language()
    options = "".join(
        f'<option value="{esc(code)}" lang="{esc(code)}"{" selected" if code == current else ""}>{esc(name)}</option>'
        for code, name in settings.LANGUAGES
    )
    return (
        f'<form class="language-form" action="{esc(path_tag("set_language"))}" method="get">'
        f'<input type="hidden" name="next" value="{esc(request.get_full_path())}">'
        f'<label for="language-select">{esc(gettext("Language"))}</label>'
        f'<select id="language-select" name="language">{options}</select>'
        f'<button type="submit" class="button-small">{esc(gettext("Change"))}</button>'
        "</form>"
    )


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The page's skip link and header for the request of `context` (its user, language and CSRF token)."""
    request = context["request"]
    nav = "\n          ".join(_nav_items(context))
    html = f"""<a class="skip-link" href="#main">{esc(gettext("Skip to main content"))}</a>
  <header class="site-header">
    <div class="container header-row">
      <a class="brand" href="{esc(path_tag("core:home"))}">{esc(settings.SAMVERKA_SITE_NAME)}</a>
      <nav aria-label="{esc(gettext("Main"))}">
        <ul class="nav-list">
          {nav}
        </ul>
      </nav>
      {_language_form(request)}
    </div>
  </header>"""
    return mark_safe(html)  # noqa: S308 (every value is escaped by esc())  # nosec B308 B703
