"""Security headers, the Content Security Policy and `check --deploy` with production settings."""

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import prod_env, run_samverka

pytestmark = pytest.mark.django_db

PAGES = ["core:home", "accounts:login", "areas:list", "registry:public_list"]


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_send_security_headers_and_csp(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"], "no inline scripts, no CDNs"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_json_and_error_responses_carry_the_same_headers(client):
    for path in ("/healthz", "/no-such-page/", "/api/v1/openapi.json"):
        response = client.get(path)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_the_request_id_of_a_trusted_proxy_is_kept_a_client_cannot_choose_one(client, settings):
    assert client.get("/healthz", headers={"X-Request-ID": "abc123"}).headers["X-Request-ID"] != "abc123"
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = Client()
    assert behind_proxy.get("/healthz", headers={"X-Request-ID": "abc123"}).headers["X-Request-ID"] == "abc123"


def test_session_and_csrf_cookies_are_httponly_and_samesite(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"


def test_check_deploy_with_production_settings_has_no_warnings():
    result = run_samverka("check", "--deploy", "--fail-level", "WARNING", env=prod_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    env = {**prod_env(), "SECRET_KEY": "short"}
    result = run_samverka("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_harden_cookies_and_transport():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, list(s.SECURE_PROXY_SSL_HEADER)]))"
    )
    from .helpers import run_python

    result = run_python(code, env=prod_env())
    assert result.returncode == 0, result.stderr
    debug, session_secure, csrf_secure, ssl_redirect, hsts, proxy_header = __import__("json").loads(result.stdout)
    assert debug is False and session_secure and csrf_secure and ssl_redirect
    assert hsts >= 31_536_000
    assert proxy_header == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_demo_data_is_refused_with_production_settings(tmp_path):
    env = {**prod_env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'prod-like.sqlite3'}"}
    result = run_samverka("demo", env=env)
    assert result.returncode != 0
    assert "Refusing to load demo data with production settings" in result.stderr
    assert "Demo logins" not in result.stdout


def test_production_cookie_names_have_the_host_prefix_and_the_api_is_not_redirected():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, s.SESSION_COOKIE_PATH, "
        "s.CSRF_COOKIE_PATH, s.LANGUAGE_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, "
        "s.LANGUAGE_COOKIE_DOMAIN, s.LANGUAGE_COOKIE_SECURE, s.SECURE_REDIRECT_EXEMPT]))"
    )
    from .helpers import run_python

    result = run_python(code, env=prod_env())
    assert result.returncode == 0, result.stderr
    names, paths, domains, (language_secure, exempt) = (lambda v: (v[:3], v[3:6], v[6:9], v[9:]))(
        __import__("json").loads(result.stdout)
    )
    assert names == ["__Host-sessionid", "__Host-csrftoken", "__Host-samverka_language"]
    # What the browser demands of a __Host- cookie: Secure (above), Path=/ and no Domain.
    assert paths == ["/", "/", "/"] and domains == [None, None, None] and language_secure
    assert exempt == [r"^api/"]


HOST_COOKIES = {
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def test_login_over_https_sets_host_prefixed_cookies_that_the_app_reads_back(settings):
    from samverka.accounts.tests.factories import PASSWORD, make_user

    for name, value in HOST_COOKIES.items():
        setattr(settings, name, value)
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    token = page.context["csrf_token"]
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True, headers={"Origin": "https://testserver"},
    )  # fmt: skip
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert client.get("/accounts/", secure=True).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/areas/", "/api/hsds/services/"])
def test_plain_http_to_the_api_is_refused_with_json_not_redirected(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/"]
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 403, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert "HTTPS required" in response.json()["detail"]
        assert "Location" not in response
    assert client.get(path, secure=True).status_code != 403


def test_plain_http_to_a_page_is_still_redirected_and_nothing_is_refused_without_the_redirect(client, settings):
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("areas:list"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    settings.SECURE_SSL_REDIRECT = False
    assert client.get("/api/v1/openapi.json").status_code == 200
