"""The reads of every signed-in request (session, user, MFA device, area roles), made without the ORM, decide as
Django's and django-otp's own reads do."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.access import Access
from samverka.accounts.backends import ModelBackend
from samverka.accounts.models import AreaRole
from samverka.accounts.sessions import SessionStore

from .factories import grant_area_role, make_area, make_user, staff_login

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_its_data_and_an_expired_one_loads_empty_and_loses_its_key():
    store = SessionStore()
    store["colour"] = "blue"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "blue"}

    expired = SessionStore()
    expired["colour"] = "red"
    expired.set_expiry(timezone.now() - timedelta(seconds=1))
    expired.create()
    later = SessionStore(expired.session_key)
    assert later.load() == {}
    assert later.session_key is None

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_the_backend_gives_the_user_with_every_field_and_none_for_inactive_unknown_or_malformed_ids():
    user = make_user(full_name="Kari Nordmann")
    found = ModelBackend().get_user(str(user.pk))
    assert found is not None and found.get_deferred_fields() == set()
    assert (found.pk, found.email, found.full_name, found.password, found.session_epoch) == (
        user.pk,
        user.email,
        user.full_name,
        user.password,
        user.session_epoch,
    )
    assert ModelBackend().get_user("not-a-uuid") is None
    assert ModelBackend().get_user("00000000-0000-0000-0000-000000000000") is None
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(str(user.pk)) is None


def _verified(client) -> bool:
    response = client.get("/accounts/")
    return bool(response.wsgi_request.user.is_verified())


def test_the_session_device_verifies_its_own_confirmed_user_only(client):
    user = make_user()
    device = staff_login(client, user)
    assert _verified(client)

    device.confirmed = False
    device.save()
    assert not _verified(client)

    other = TOTPDevice.objects.create(user=make_user(), name="other", confirmed=True)
    session = client.session
    session["otp_device_id"] = other.persistent_id
    session.save()
    assert not _verified(client)

    for broken in ("otp_totp.totpdevice/not-a-number", "otp_totp.totpdevice/999999", "no.such/1"):
        session = client.session
        session["otp_device_id"] = broken
        session.save()
        assert not _verified(client)
        assert client.session.get(SESSION_KEY) == str(user.pk)  # still signed in, only not verified


def test_a_device_of_another_kind_is_still_loaded_as_django_otp_loads_it(client):
    user = make_user()
    staff_login(client, user)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    session = client.session
    session["otp_device_id"] = static.persistent_id
    session.save()
    assert _verified(client)


def test_area_grants_are_the_roles_the_orm_reads():
    user = make_user()
    county = make_area("Fylke")
    town = make_area("By", parent=county)
    grant_area_role(user, county, "officer", capabilities=["grants", "vouchers"])
    grant_area_role(user, town, "coordinator")
    rows = AreaRole.objects.filter(user=user).values_list("area_id", "area__path", "role", "capabilities")
    expected = sorted((a, p, r, tuple(c or ())) for a, p, r, c in rows)
    grants = sorted((g.area_id, g.path, g.role, g.capabilities) for g in Access(user).area_grants)
    assert grants == expected
    assert ("grants", "vouchers") in [g[3] for g in grants]
    assert Access(make_user()).area_grants == ()


def test_deactivating_or_deleting_an_account_ends_its_sessions_on_the_next_request(client):
    from .factories import plain_login

    for end in ("deactivate", "delete"):
        user = make_user()
        plain_login(client, user)
        assert client.get("/accounts/").wsgi_request.user.is_authenticated
        if end == "deactivate":
            user.is_active = False
            user.save()
        else:
            user.delete()
        response = client.get("/accounts/")
        assert not response.wsgi_request.user.is_authenticated
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
