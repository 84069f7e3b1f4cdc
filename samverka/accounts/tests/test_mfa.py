import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import RecoveryCode
from samverka.accounts.services import recovery_codes_remaining
from samverka.accounts.services.mfa import normalise_code, recovery_code_hash
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
    assert recovery_codes_remaining(coordinator) == 10

    first = Client()
    _password_login(first, coordinator)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get("/accounts/").status_code == 200

    second = Client()
    _password_login(second, coordinator)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 422
    assert second.get("/accounts/").status_code == 302
    assert recovery_codes_remaining(coordinator) == 9
    used = AuditEvent.objects.get(action="mfa.recovery_code_used")
    assert used.changes == {"remaining": 9}
    assert device.pk


def test_regenerated_recovery_codes_replace_the_old_ones(client, coordinator):
    staff_login(client, coordinator)
    confirm = client.get("/accounts/mfa/recovery-codes/")
    assert confirm.status_code == 200 and "button-danger" in confirm.content.decode()
    old = client.post("/accounts/mfa/recovery-codes/").context["codes"]
    new = client.post("/accounts/mfa/recovery-codes/").context["codes"]
    assert set(old).isdisjoint(new)
    stored = set(RecoveryCode.objects.filter(device__user=coordinator).values_list("code_hash", flat=True))
    assert stored == {recovery_code_hash(normalise_code(code)) for code in new}


def test_recovery_codes_have_120_bits_and_the_database_holds_only_their_sha256(client, coordinator):
    staff_login(client, coordinator)
    response = client.post("/accounts/mfa/recovery-codes/")
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        # 24 base32 characters (5 bits each) shown in six groups of four.
        assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4}){5}", code), code
        assert code in response.content.decode()
    rows = list(RecoveryCode.objects.filter(device__user=coordinator).values_list("code_hash", "used_at"))
    assert len(rows) == 10 and all(used_at is None for _hash, used_at in rows)
    stored = " ".join(code_hash for code_hash, _used in rows)
    for code in codes:
        raw = normalise_code(code)
        assert raw not in stored and raw.upper() not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", code_hash) for code_hash, _used in rows)
    assert not StaticToken.objects.filter(device__user=coordinator).exists()


@pytest.mark.parametrize("shape", ["as_shown", "dashes", "no_spaces_lower", "padded"])
def test_a_recovery_code_is_accepted_with_or_without_spaces_and_dashes_in_either_case(coordinator, shape):
    staff = Client()
    staff_login(staff, coordinator)
    code = staff.post("/accounts/mfa/recovery-codes/").context["codes"][3]
    typed = {
        "as_shown": code,
        "dashes": code.replace(" ", "-"),
        "no_spaces_lower": code.replace(" ", "").lower(),
        "padded": f"  {code.lower()} ",
    }[shape]
    client = Client()
    _password_login(client, coordinator)
    assert client.post(VERIFY, {"code": typed}).status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert recovery_codes_remaining(coordinator) == 9


def test_a_wrong_or_truncated_recovery_code_is_refused_and_audited(client, coordinator):
    staff = Client()
    staff_login(staff, coordinator)
    code = staff.post("/accounts/mfa/recovery-codes/").context["codes"][0]
    _password_login(client, coordinator)
    for wrong in (code[:-1], code[:-1] + ("A" if code[-1] != "A" else "B"), code + "A", "x" * 41):
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 422
    assert recovery_codes_remaining(coordinator) == 10
    # Audited: the two wrong codes of the right length (longer than any code is refused before any check, and 41
    # characters fail the form).
    assert AuditEvent.objects.filter(action="mfa.check_failed").count() == 2


def test_recovery_codes_stop_working_when_the_recovery_device_is_removed(client, coordinator):
    staff = Client()
    staff_login(staff, coordinator)
    code = staff.post("/accounts/mfa/recovery-codes/").context["codes"][0]
    StaticDevice.objects.filter(user=coordinator).delete()
    assert not RecoveryCode.objects.exists()
    _password_login(client, coordinator)
    assert client.post(VERIFY, {"code": code}).status_code == 422


def test_a_plain_code_from_before_hashing_is_hashed_by_the_migration_and_works_once(coordinator):
    from importlib import import_module

    from django.apps import apps

    confirmed_device(coordinator)
    device = StaticDevice.objects.create(user=coordinator, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in ("abcd2345", "efgh6777")])
    import_module("samverka.accounts.migrations.0004_recovery_codes_hashed").hash_plain_codes(apps, None)

    assert not StaticToken.objects.exists()
    hashes = list(RecoveryCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert len(hashes) == 2 and all("$" in h and "abcd2345" not in h for h in hashes)
    assert recovery_codes_remaining(coordinator) == 2

    first = Client()
    _password_login(first, coordinator)
    assert first.post(VERIFY, {"code": "ABCD-2345"}).status_code == 302
    second = Client()
    _password_login(second, coordinator)
    assert second.post(VERIFY, {"code": "abcd2345"}).status_code == 422
    assert recovery_codes_remaining(coordinator) == 1


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
