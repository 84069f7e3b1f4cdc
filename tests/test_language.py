"""Language: the user's choice (cookie) beats Accept-Language, which beats the user's home area default."""

import pytest
from django.conf import settings

from samverka.accounts.models import User
from samverka.areas.models import Area

pytestmark = pytest.mark.django_db

PAGE = "/healthz"  # any response carries Content-Language; a page is checked for <html lang> below


def _language(response) -> str:
    return response.headers["Content-Language"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv"),
        ("fi", "fi"),
        ("no", "nb"),
        ("nb-NO", "nb"),
        ("nn-NO,nn;q=0.9", "nb"),
        ("de-DE,fr;q=0.8", "en"),
        ("en-GB", "en"),
    ],
)
def test_accept_language_is_negotiated(client, accept, expected):
    assert _language(client.get(PAGE, headers={"Accept-Language": accept})) == expected


def test_cookie_beats_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    assert _language(client.get(PAGE, headers={"Accept-Language": "sv"})) == "fi"


def test_unknown_cookie_value_is_ignored(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert _language(client.get(PAGE, headers={"Accept-Language": "sv"})) == "sv"


def test_home_area_default_applies_without_cookie_or_accept_language(client):
    area = Area.objects.get(country="SE", kind="municipality", code="1780")  # Karlstad
    user = User.objects.create_user("karlstad@samverka.example", "a-long-password-1", home_area=area)
    client.force_login(user, backend="samverka.accounts.backends.ModelBackend")
    assert _language(client.get(PAGE)) == "sv"
    assert _language(client.get(PAGE, headers={"Accept-Language": "fi"})) == "fi"


def test_language_switcher_sets_a_cookie_that_sticks(client):
    response = client.get("/i18n/setlang/", {"language": "nb", "next": "/services/?q=a"})
    assert response.status_code == 302 and response["Location"] == "/services/?q=a"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    assert _language(client.get(PAGE, headers={"Accept-Language": "en"})) == "nb"


def test_language_switcher_refuses_an_unknown_language_with_a_message_and_sets_no_cookie(client):
    response = client.get("/i18n/setlang/", {"language": "xx", "next": "/"}, headers={"Accept-Language": "sv"})
    assert response.status_code == 400
    assert "Välj ett språk i listan." in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_language_switcher_returns_home_instead_of_to_another_host(client):
    response = client.get("/i18n/setlang/", {"language": "fi", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_visitors_page_makes_no_csrf_token_and_sends_no_csrf_cookie(client):
    response = client.get("/services/", {"q": "frivillig"})
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert "csrfmiddlewaretoken" not in response.text and "X-CSRFToken" not in response.text


def test_home_page_is_rendered_in_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="sv">' in response.content
