"""The client's address behind trusted proxies, refused HTTP methods, and no caching of private answers."""

import json
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client

from samverka.accounts.services import api_token_create
from samverka.accounts.tests.factories import PASSWORD, make_user, plain_login
from samverka.core.protection import forwarded_client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),  # the leftmost is the client's own claim
        ("198.51.100.1, 203.0.113.7", 2, "198.51.100.1"),
        ("203.0.113.7", 2, None),  # fewer hops than proxies: not trusted
        ("not-an-address", 1, None),
        ("2001:db8::1", 1, "2001:db8::1"),
        ("203.0.113.7", 0, None),
        ("", 1, None),
    ],
)
def test_forwarded_client_takes_the_address_the_nearest_trusted_proxy_saw(header, proxies, expected):
    assert forwarded_client(header, proxies) == expected


def _fail_login(client, email, address):
    return client.post(LOGIN, {"username": email, "password": "wrong"}, headers={"X-Forwarded-For": address})


def test_behind_a_trusted_proxy_lockout_keys_on_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user()
    attacker, owner = Client(), Client()
    for _ in range(5):
        _fail_login(attacker, user.email, "198.51.100.66")
    assert _fail_login(attacker, user.email, "198.51.100.66").status_code in (403, 429)
    # The account's owner, from another address through the same proxy, can still sign in.
    response = owner.post(
        LOGIN, {"username": user.email, "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.66"
    assert AccessLog.objects.filter(ip_address="203.0.113.9").exists()


def test_without_trusted_proxies_a_client_cannot_choose_its_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = make_user()
    for n in range(6):
        _fail_login(client, user.email, f"198.51.100.{n}")  # a new claimed address each time
    assert _fail_login(client, user.email, "198.51.100.200").status_code in (403, 429)


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_methods_no_view_serves_are_refused_with_405(client, method):
    response = client.generic(method, "/")
    assert response.status_code == 405
    assert "TRACE" not in response.headers["Allow"] and "GET" in response.headers["Allow"]


def test_signed_in_pages_and_token_calls_are_not_cached_public_pages_may_be(client):
    user = make_user()
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    plain_login(client, user)
    assert "no-store" in client.get("/accounts/").headers["Cache-Control"]
    _token, raw = api_token_create(actor=user, user=user, name="sync")
    response = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert "no-store" in response.headers["Cache-Control"]


def test_the_browser_keeps_no_history_copies_of_pages(client):
    html = client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'", html)
    assert config is not None and json.loads(config.group(1))["historyCacheSize"] == 0
