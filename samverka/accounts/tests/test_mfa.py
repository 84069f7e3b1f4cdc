import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.audit.models import AuditEvent

from .factories import (
    PASSWORD,
    confirmed_device,
    grant_area_role,
    grant_organisation_role,
    make_area,
    make_organisation,
    make_user,
    plain_login,
    staff_login,
    totp_code,
)

pytestmark = pytest.mark.django_db

SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"


@pytest.fixture
def coordinator():
    user = make_user("coord@example.org")
    grant_area_role(user, make_area(), "coordinator")
    return user


def _password_login(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_staff_without_a_device_is_sent_to_setup_with_next(client, coordinator):
    _password_login(client, coordinator)
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Faccounts%2Ftokens%2F"


def test_officer_and_platform_admin_are_staff_too(client):
    officer = make_user()
    grant_area_role(officer, make_area(), "officer", ["grants"])
    plain_login(client, officer)
    assert client.get("/accounts/").status_code == 302
    admin = make_user(is_superuser=True, is_staff=True)
    other = Client()
    plain_login(other, admin)
    assert other.get("/accounts/").status_code == 302


def test_staff_with_a_device_is_sent_to_verify_and_passes_with_a_code(client, coordinator):
    device = confirmed_device(coordinator)
    _password_login(client, coordinator)
    response = client.get("/accounts/")
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2F"
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200


def test_verify_refuses_a_wrong_code(client, coordinator):
    confirmed_device(coordinator)
    _password_login(client, coordinator)
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 422
    assert client.get("/accounts/").status_code == 302


def test_a_wrong_second_factor_code_is_an_audit_event(client, coordinator):
    confirmed_device(coordinator)
    _password_login(client, coordinator)
    client.post(VERIFY, {"code": "000000"})
    event = AuditEvent.objects.get(action="mfa.check_failed")
    assert event.object_id == str(coordinator.pk) and "000000" not in str(event.changes)


def test_passing_the_second_factor_gives_the_session_a_new_key(client, coordinator):
    device = confirmed_device(coordinator)
    _password_login(client, coordinator)
    before = client.session.session_key
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    assert client.session.session_key != before
    assert client.get("/accounts/").status_code == 200


def test_verify_never_redirects_to_another_site(client, coordinator):
    device = confirmed_device(coordinator)
    _password_login(client, coordinator)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/steal"})
    assert response["Location"] == reverse("accounts:home")


def test_viewer_and_organisation_member_are_not_forced_through_mfa(client):
    viewer = make_user()
    grant_area_role(viewer, make_area(), "viewer")
    member = make_user()
    grant_organisation_role(member, make_organisation(), "admin")
    for user in (viewer, member):
        c = Client()
        plain_login(c, user)
        assert c.get("/accounts/").status_code == 200


def test_enrolment_shows_inline_svg_qr_and_secret_and_confirms_with_a_code(client, coordinator):
    _password_login(client, coordinator)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "style=" not in svg and "<script" not in svg
    assert "style=" not in html and "<script>" not in html
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    wrong = client.post(SETUP, {"code": "123"})
    assert wrong.status_code == 422

    done = client.post(SETUP, {"code": totp_code(device), "next": "/accounts/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/").status_code == 200  # verified in this session
    assert AuditEvent.objects.filter(action="mfa.totp_confirm").exists()


def test_setup_with_a_device_but_unverified_session_goes_to_verify(client, coordinator):
    confirmed_device(coordinator)
    _password_login(client, coordinator)
    response = client.get(SETUP + "?replace=1")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_recovery_code_works_once(coordinator):
    device = confirmed_device(coordinator)
    staff = Client()
    staff_login(staff, coordinator)
    codes = staff.post("/accounts/mfa/recovery-codes/").context["codes"]
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10

    first = Client()
    _password_login(first, coordinator)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get("/accounts/").status_code == 200

    second = Client()
    _password_login(second, coordinator)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 422
    assert second.get("/accounts/").status_code == 302
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    assert AuditEvent.objects.filter(action="mfa.recovery_code_used").count() == 1
    assert device.pk


def test_regenerated_recovery_codes_replace_the_old_ones(client, coordinator):
    staff_login(client, coordinator)
    confirm = client.get("/accounts/mfa/recovery-codes/")
    assert confirm.status_code == 200 and "button-danger" in confirm.content.decode()
    old = client.post("/accounts/mfa/recovery-codes/").context["codes"]
    new = client.post("/accounts/mfa/recovery-codes/").context["codes"]
    assert set(old).isdisjoint(new)
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(new)


def test_optional_enrolment_for_organisation_user(client):
    member = make_user()
    grant_organisation_role(member, make_organisation(), "member")
    plain_login(client, member)
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=member)
    assert client.post(SETUP, {"code": totp_code(device)}).status_code == 200
    assert "Two-factor authentication" in client.get("/accounts/").content.decode()


def test_api_refuses_an_unverified_staff_session(client, coordinator):
    _password_login(client, coordinator)
    assert client.get("/api/v1/accounts/me").status_code == 401
