"""The header every page shares (core/templatetags/layout.py): links by role, language form, one CSRF token."""

import re

import pytest
from django.urls import reverse

from samverka.registry.tests.factories import UserFactory, area, grant_area_role, staff_login

pytestmark = pytest.mark.django_db


def _nav(html: str) -> list[str]:
    nav = html.split('<ul class="nav-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_a_visitor_sees_the_public_links_and_log_in_only(client):
    html = client.get(reverse("core:home")).text
    links = _nav(html)
    assert reverse("catalogue:index") in links and reverse("accounts:login") in links
    assert reverse("registry:list") not in links and reverse("accounts:logout") not in html
    assert html.index('class="skip-link"') < html.index("<header")


def test_a_coordinator_sees_the_registry_proposals_and_a_log_out_form_with_the_pages_csrf_token(client):
    user = UserFactory()
    grant_area_role(user, area("NO", "32"))
    staff_login(client, user)
    html = client.get(reverse("core:home")).text
    links = _nav(html)
    assert [reverse("registry:list"), reverse("catalogue:proposals"), reverse("accounts:home")] == links[-3:]
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    assert tokens == {header_token}  # the logout and language forms carry the page's one token
    assert client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": header_token}).status_code == 302


def test_an_officer_without_the_coordinator_role_sees_no_change_proposals(client):
    user = UserFactory()
    grant_area_role(user, area("NO", "32"), role="viewer")
    staff_login(client, user)
    links = _nav(client.get(reverse("core:home")).text)
    assert reverse("registry:list") in links and reverse("catalogue:proposals") not in links


def test_the_language_form_marks_the_active_language_and_returns_to_the_same_page_escaped(client):
    html = client.get(reverse("registry:public_list"), {"q": "a", "category": "health"}, HTTP_ACCEPT_LANGUAGE="sv").text
    assert '<option value="sv" lang="sv" selected>' in html
    assert f'name="next" value="{reverse("registry:public_list")}?q=a&amp;category=health"' in html
    assert '<a class="skip-link" href="#main">Hoppa till huvudinnehållet</a>' in html
