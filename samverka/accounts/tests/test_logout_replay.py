"""A session cookie copied before logout must be useless afterwards (issue 8: "logout invalidates").

The other logout tests look at the client that logged out, whose cookie jar the logout already cleared.
An attacker who copied the cookie (a shared computer, a leaked log) keeps the old value and sends it again:
these tests replay that value from a fresh client.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _logged_in_client(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _replay(cookie_value: str) -> Client:
    """A new browser that only knows the copied session cookie."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
    return thief


def _assert_sent_to_login(client: Client) -> None:
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_session_cookie_replayed_after_logout_is_sent_to_login():
    user = make_user()
    client = _logged_in_client(user)
    copied = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _replay(copied).get(reverse("accounts:home")).status_code == 200  # the copy works before logout

    assert client.post(reverse("accounts:logout")).status_code == 302

    _assert_sent_to_login(_replay(copied))


def test_session_cookie_of_another_device_replayed_after_logout_everywhere_is_sent_to_login():
    user = make_user()
    here, elsewhere = _logged_in_client(user), _logged_in_client(user)
    copied = elsewhere.cookies[settings.SESSION_COOKIE_NAME].value

    assert here.post(reverse("accounts:logout_everywhere")).status_code == 302

    _assert_sent_to_login(_replay(copied))
    # The session that asked stays logged in: its own cookie still works.
    kept = here.cookies[settings.SESSION_COOKIE_NAME].value
    assert _replay(kept).get(reverse("accounts:home")).status_code == 200


def test_replayed_cookie_after_logout_cannot_post_a_change():
    """A write with the old cookie does not act as the user either (the test client skips the CSRF check)."""
    user = make_user()
    client = _logged_in_client(user)
    copied = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))

    thief = _replay(copied)
    response = thief.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    user.refresh_from_db()
    assert user.session_epoch == 0
