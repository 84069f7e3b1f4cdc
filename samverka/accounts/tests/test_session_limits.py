"""Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT after sign-in."""

import time

import pytest
from django.contrib.sessions.models import Session

from samverka.accounts.middleware import SEEN_RESOLUTION_S, SESSION_SEEN_KEY, SESSION_STARTED_KEY

from .factories import PASSWORD, make_user, plain_login

pytestmark = pytest.mark.django_db

HOME = "/accounts/"


def _set_clocks(client, *, started_ago: int, seen_ago: int) -> None:
    now = int(time.time())
    session = client.session
    session[SESSION_STARTED_KEY] = now - started_ago
    session[SESSION_SEEN_KEY] = now - seen_ago
    session.save()


def test_sign_in_starts_both_clocks(client):
    user = make_user()
    before = int(time.time())
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    session = client.session
    assert session[SESSION_STARTED_KEY] >= before and session[SESSION_SEEN_KEY] >= before


def test_a_session_idle_past_the_limit_ends_and_says_why(client, settings):
    plain_login(client, make_user())
    _set_clocks(client, started_ago=settings.SESSION_IDLE_TIMEOUT + 5, seen_ago=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][1] == 302 and "/accounts/login/" in response.redirect_chain[0][0]
    assert "_auth_user_id" not in client.session
    assert "session ended after a time without activity" in response.content.decode()


def test_an_active_session_still_ends_at_the_absolute_limit(client, settings):
    plain_login(client, make_user())
    _set_clocks(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 5, seen_ago=10)
    assert client.get(HOME).status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_within_the_limits_keeps_the_session_and_moves_the_idle_clock(client, settings):
    plain_login(client, make_user())
    _set_clocks(client, started_ago=settings.SESSION_IDLE_TIMEOUT, seen_ago=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get(HOME).status_code == 200
    assert int(time.time()) - client.session[SESSION_SEEN_KEY] < 5


def test_requests_within_a_minute_do_not_write_the_session_each_time(client):
    plain_login(client, make_user())
    _set_clocks(client, started_ago=30, seen_ago=1)
    key = client.session.session_key
    stored = Session.objects.get(session_key=key).session_data
    for _ in range(3):
        assert client.get(HOME).status_code == 200
    assert Session.objects.get(session_key=key).session_data == stored
    assert SEEN_RESOLUTION_S == 60


def test_a_session_from_before_the_clocks_gets_them_on_its_next_request(client):
    plain_login(client, make_user())
    session = client.session
    session.pop(SESSION_STARTED_KEY, None)
    session.pop(SESSION_SEEN_KEY, None)
    session.save()
    assert client.get(HOME).status_code == 200
    assert isinstance(client.session[SESSION_STARTED_KEY], int)
