import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from samverka.accounts.models import ApiToken
from samverka.accounts.services import api_token_create, api_token_revoke
from samverka.audit.models import AuditEvent
from samverka.core.errors import ValidationError

from .factories import grant_area_role, grant_organisation_role, make_area, make_organisation, make_user, plain_login

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"
TOKENS = "/api/v1/accounts/tokens"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def alice():
    return make_user("alice@example.org", full_name="Alice")


@pytest.fixture
def bob():
    return make_user("bob@example.org", full_name="Bob")


def test_token_is_stored_as_sha256_only(alice):
    token, raw = api_token_create(actor=alice, user=alice, name="sync")
    assert raw.startswith("svk_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.last_four == raw[-4:]
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_token_with_past_expiry_or_no_name_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        api_token_create(actor=alice, user=alice, name="", expires_at=timezone.now() - datetime.timedelta(days=1))
    assert set(exc.value.errors) == {"name", "expires_at"}
    assert not ApiToken.objects.exists()


def test_nobody_creates_a_token_for_someone_else(alice, bob):
    with pytest.raises(ValidationError):
        api_token_create(actor=alice, user=bob, name="sneaky")


def test_token_authenticates_the_api_as_its_user(client, alice):
    area = make_area("Testby")
    grant_area_role(alice, area, "viewer")
    org = make_organisation("Lag")
    grant_organisation_role(alice, org, "member")
    _token, raw = api_token_create(actor=alice, user=alice, name="sync")
    response = client.get(ME, **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "alice@example.org"
    expected = {"area_id": str(area.pk), "area_name": "Testby", "role": "viewer", "capabilities": []}
    assert body["area_roles"] == [expected]
    assert body["organisation_roles"][0]["role"] == "member"


def test_api_without_credentials_or_with_a_bad_token_is_401(client):
    assert client.get(ME).status_code == 401
    response = client.get(ME, **bearer("svk_not-a-real-token"))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_revoked_token_is_refused_at_once(client, alice):
    token, raw = api_token_create(actor=alice, user=alice, name="sync")
    assert client.get(ME, **bearer(raw)).status_code == 200
    api_token_revoke(actor=alice, token=token)
    assert client.get(ME, **bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_expired_token_is_refused(client, alice):
    token, raw = api_token_create(actor=alice, user=alice, name="sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, alice):
    _token, raw = api_token_create(actor=alice, user=alice, name="sync")
    alice.is_active = False
    alice.save()
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_token_of_a_cannot_revoke_or_see_the_tokens_of_b(client, alice, bob):
    _a, raw_a = api_token_create(actor=alice, user=alice, name="a")
    b_token, raw_b = api_token_create(actor=bob, user=bob, name="b")
    listed = client.get(TOKENS, **bearer(raw_a)).json()
    assert [t["name"] for t in listed["results"]] == ["a"]
    response = client.delete(f"{TOKENS}/{b_token.pk}", **bearer(raw_a))
    assert response.status_code == 404
    assert client.get(ME, **bearer(raw_b)).json()["email"] == "bob@example.org"
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(b_token.pk), actor=alice).exists()


def test_token_list_never_shows_raw_values(client, alice):
    _t, raw = api_token_create(actor=alice, user=alice, name="sync")
    body = client.get(TOKENS, **bearer(raw)).json()
    assert body["count"] == 1 and "token" not in body["results"][0]
    assert raw not in str(body)


def test_delete_revokes_own_token(client, alice):
    token, raw = api_token_create(actor=alice, user=alice, name="sync")
    other, raw_other = api_token_create(actor=alice, user=alice, name="other")
    assert client.delete(f"{TOKENS}/{other.pk}", **bearer(raw)).status_code == 204
    assert client.get(ME, **bearer(raw_other)).status_code == 401
    assert client.get(ME, **bearer(raw)).status_code == 200


def test_creating_a_token_needs_a_browser_session(client, alice):
    _t, raw = api_token_create(actor=alice, user=alice, name="sync")
    refused = client.post(TOKENS, {"name": "via token"}, content_type="application/json", **bearer(raw))
    assert refused.status_code == 401
    plain_login(client, alice)
    response = client.post(TOKENS, {"name": "via session"}, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("svk_") and created["name"] == "via session"
    assert Client().get(ME, **bearer(created["token"])).status_code == 200


def test_session_token_create_needs_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    plain_login(client, alice)
    response = client.post(TOKENS, {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_api_create_with_bad_input_is_422(client, alice):
    plain_login(client, alice)
    response = client.post(TOKENS, {"name": ""}, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


# -- pages ---------------------------------------------------------------------


def test_tokens_page_shows_the_raw_token_once(client, alice):
    plain_login(client, alice)
    response = client.post("/accounts/tokens/", {"name": "Grants sync", "expires_on": ""})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw and raw in response.content.decode()
    later = client.get("/accounts/tokens/")
    assert raw not in later.content.decode()
    assert "Grants sync" in later.content.decode()


def test_tokens_page_refuses_a_past_expiry(client, alice):
    plain_login(client, alice)
    response = client.post("/accounts/tokens/", {"name": "x", "expires_on": "2001-01-01"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoke_page_asks_first_then_revokes(client, alice):
    token, raw = api_token_create(actor=alice, user=alice, name="sync")
    plain_login(client, alice)
    url = f"/accounts/tokens/{token.pk}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(ME, **bearer(raw)).status_code == 401


def test_revoke_page_for_someone_elses_token_is_404_and_audited(client, alice, bob):
    b_token, _raw = api_token_create(actor=bob, user=bob, name="b")
    plain_login(client, alice)
    assert client.get(f"/accounts/tokens/{b_token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{b_token.pk}/revoke/").status_code == 404
    b_token.refresh_from_db()
    assert b_token.revoked_at is None
    assert AuditEvent.objects.filter(action="access.denied", actor=alice).count() == 2


def test_tokens_page_query_count_does_not_grow_with_rows(client, alice, django_assert_max_num_queries):
    for i in range(30):
        api_token_create(actor=alice, user=alice, name=f"t{i}")
    plain_login(client, alice)
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/tokens/").status_code == 200
