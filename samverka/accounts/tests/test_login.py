import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverka.accounts.middleware import SESSION_EPOCH_KEY
from samverka.accounts.models import User
from samverka.audit.models import AuditEvent

from .factories import PASSWORD, make_user, plain_login

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_page_has_labelled_fields(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html


def test_login_with_argon2_password_works(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("argon@example.org")
    assert user.password.startswith("argon2")
    response = _login(client, "ARGON@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200


def test_login_rotates_session_key_and_stores_epoch(client):
    user = make_user()
    User.objects.filter(pk=user.pk).update(session_epoch=3)
    session = client.session
    session["before-login"] = True
    session.save()
    before = session.session_key
    assert _login(client, user.email).status_code == 302
    after = client.session
    assert after.session_key != before
    assert after[SESSION_EPOCH_KEY] == 3


def test_wrong_password_shows_a_message_and_no_session(client):
    user = make_user()
    response = _login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures_refuses_even_the_right_password(client):
    user = make_user()
    for _ in range(4):
        assert _login(client, user.email, "wrong-password").status_code == 200
    fifth = _login(client, user.email, "wrong-password")
    assert fifth.status_code in (403, 429)
    response = _login(client, user.email)
    assert response.status_code in (403, 429)
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_post_without_csrf_token_is_refused():
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_with_csrf_token_works():
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_login_ignores_a_next_url_on_another_host(client):
    user = make_user()
    response = _login(client, user.email, next="https://evil.example/")
    assert response["Location"] == reverse("accounts:home")


def test_logout_asks_the_browser_to_forget_cached_pages_and_storage(client):
    plain_login(client, make_user())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_failed_and_successful_logins_are_recorded_without_the_password(client):
    from axes.models import AccessFailureLog, AccessLog

    user = make_user()
    _login(client, user.email, "wrong-password-123")
    _login(client, user.email)
    failure = AccessFailureLog.objects.get()
    assert failure.username == user.email and "wrong-password-123" not in str(failure.__dict__)
    assert AccessLog.objects.filter(username=user.email).exists()


def test_logout_is_post_only(client):
    user = make_user()
    plain_login(client, user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_everywhere_ends_other_sessions_but_keeps_this_one():
    user = make_user()
    here, elsewhere = Client(), Client()
    assert _login(here, user.email).status_code == 302
    assert _login(elsewhere, user.email).status_code == 302
    assert elsewhere.get("/accounts/").status_code == 200

    response = here.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302

    assert here.get("/accounts/").status_code == 200
    gone = elsewhere.get("/accounts/")
    assert gone.status_code == 302 and gone["Location"].startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert user.session_epoch == 1
    assert AuditEvent.objects.filter(action="user.logout_everywhere", object_id=str(user.pk)).exists()


def test_logout_everywhere_refuses_get(client):
    plain_login(client, make_user())
    assert client.get(reverse("accounts:logout_everywhere")).status_code == 405


def test_home_requires_login(client):
    response = client.get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def _reset_link(user, generator=None):
    generator = generator or PasswordResetTokenGenerator()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", args=[uid, generator.make_token(user)])


def test_password_reset_sends_an_email_with_a_link_that_works_once(client):
    user = make_user("reset@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "another-Good-pass-42"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(action="user.password_reset", object_id=str(user.pk)).count() == 1

    again = Client().get(path, follow=True)
    assert "does not work any more" in again.content.decode()


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_expired_password_reset_link_is_refused(client, settings):
    user = make_user()

    class Yesterday(PasswordResetTokenGenerator):
        def _now(self):
            import datetime

            return datetime.datetime.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    response = client.get(_reset_link(user, Yesterday()), follow=True)
    assert "does not work any more" in response.content.decode()


def test_password_change_keeps_this_session(client):
    user = make_user()
    assert _login(client, user.email).status_code == 302
    new = "brand-New-secret-77"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/accounts/").status_code == 200
    event = AuditEvent.objects.get(action="user.password_change", object_id=str(user.pk))
    assert event.actor_id == user.pk and new not in str(event.changes) and PASSWORD not in str(event.changes)


def test_password_change_with_wrong_old_password_shows_error(client):
    user = make_user()
    plain_login(client, user)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": "nope", "new_password1": "x", "new_password2": "x"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action="user.password_change").exists()
