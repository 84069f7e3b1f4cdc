"""Hostile input on every form and endpoint: never a 5xx, refused input stores nothing, output is escaped.

The forms are found by crawling the site with demo data as a platform admin (with MFA), then as the roles that see
forms the admin does not (NGO admin and member, a voucher provider, an officer, a coordinator), so a form added by a
later capability is covered without editing this file.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from samverka.accounts.models import User
from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.registry.demo import ADMIN_EMAIL

from .crawl import Form, crawl, row_counts
from .roles import STAFF, role_users
from .test_access_matrix import START as MATRIX_START

pytestmark = pytest.mark.django_db

# No value but "nul" carries NUL: the middleware refuses NUL up front, and the others must reach the forms.
HOSTILE = {
    "long": "Å" * 20_000,
    "nul": "a\x00b",
    "mixed": 'a\x01\x1b[31m\u202e Ωμέγα Привет 中文 العربية 👩🏽‍⚕️ "><script>alert(1)</script><img src=x '
    "onerror=alert(2)> ' OR 1=1; DROP TABLE registry_organisation; --",
    "malformed": "9" * 40 + " 2024-13-45T25:61:61 ../../etc/passwd",
}
SCRIPT_NAME = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
START = [
    "/",
    "/organisations/",
    "/services/",
    "/registry/",
    "/accounts/",
    "/areas/",
    "/agreements/",
    "/forums/",
    "/hearings/",
    "/vouchers/",
    "/vouchers/schemes/",
    "/vouchers/residents/",
    "/catalogue/proposals/",
    "/catalogue/freshness/",
    "/agreements/library/",
    "/agreements/public/",
    "/forums/calendar/",
]
# Forms whose whole point is to end the session; posting to them would log the crawler out.
QUERY_PARAMS = [
    "q",
    "page",
    "page_size",
    "area",
    "category",
    "target_group",
    "status",
    "sort",
    "year",
    "lang",
    "from",
    "to",
    "date",
    "kind",
    "language",
    "country",
    "near",
    "open_now",
]
SESSION_ENDING = {"accounts:logout", "accounts:logout_everywhere"}
# After the admin, these roles crawl too; each sends the hostile values to the forms (by URL name and method) that
# no earlier crawler found. The provider is the demo's second accredited organisation, with a client voucher; the
# anonymous visitor sees the forms the signed-in roles do not (log-in, password reset).
OTHER_ROLES = ["ngo_admin", "ngo_member", "provider", "officer", "coordinator_own", "anonymous"]
PROVIDER_EMAIL = "ngo2.akershus@samverka.example"


@pytest.fixture
def admin_client() -> Client:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client(raise_request_exception=False)
    staff_login(client, User.objects.get(email=ADMIN_EMAIL))
    return client


def _payload(form, value: str) -> dict[str, str]:
    data = dict(form.hidden)
    for name in form.fields:
        data[name] = value
    return data


def _role_clients() -> dict[str, Client]:
    users = role_users("hostile") | {"provider": User.objects.get(email=PROVIDER_EMAIL)}
    clients = {}
    for role in OTHER_ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            (staff_login if role in STAFF else plain_login)(clients[role], users[role])
    return clients


def _hostile_post(client: Client, form: Form, kind: str, value: str) -> tuple | None:
    """Send one hostile value to every field of a form inside a rolled-back transaction (the next form sees the
    same data): the failure, if any."""
    with transaction.atomic():
        before = row_counts()
        response = client.post(form.action, _payload(form, value))
        after = row_counts()
        transaction.set_rollback(True)
    if response.status_code >= 500:
        return (form.route, kind, response.status_code)
    refused = response.status_code >= 400 or (response.status_code == 200 and b"error" in response.content)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
    return (form.route, kind, f"refused but stored {changed}") if refused and changed else None


def _hostile_gets(client: Client, route: str, url: str) -> list[tuple]:
    failures = []
    for kind, value in HOSTILE.items():
        response = client.get(url, dict.fromkeys(QUERY_PARAMS, value))
        if response.status_code >= 500:
            failures.append((route, f"GET {kind}", response.status_code))
    response = client.get(url, {"page": "9" * 30, "page_size": "-1", "sort": "-nonexistent_field"})
    if response.status_code >= 500:
        failures.append((route, "GET huge page", response.status_code))
    return failures


def _get_targets(site) -> dict[str, str]:
    """Every GET form and every page once per URL name."""
    targets = {f.route: f.action.split("?")[0] for f in site.forms if f.method == "get"}
    for url, status in site.pages.items():
        if status == 200:
            targets.setdefault(resolve(urlsplit(url).path).view_name, url.split("?")[0])
    return targets


def test_every_crawled_page_form_and_query_survives_hostile_values(admin_client):
    site = crawl(admin_client, START)
    errors = {url: status for url, status in site.pages.items() if status >= 500}
    assert not errors, errors
    assert len(site.pages) > 40, f"the crawl reached only {len(site.pages)} pages"

    forms = {}
    for form in site.forms:
        forms.setdefault((form.route, form.method), form)
    post_forms = [f for (route, method), f in forms.items() if method == "post" and route not in SESSION_ENDING]
    assert len(post_forms) > 10, sorted(forms)

    failures = []
    for form in post_forms:
        for kind, value in HOSTILE.items():
            before = row_counts()
            response = admin_client.post(form.action, _payload(form, value))
            if response.status_code >= 500:
                failures.append((form.route, kind, response.status_code))
                continue
            refused = response.status_code >= 400 or (response.status_code == 200 and b"error" in response.content)
            if refused:
                after = row_counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
                if changed:
                    failures.append((form.route, kind, f"refused but stored {changed}"))

    # Every GET form and every page once per URL pattern, with hostile values in the usual query parameters.
    targets = _get_targets(site)
    for route, url in sorted(targets.items()):
        failures.extend(_hostile_gets(admin_client, route, url))

    # The other roles: only what no earlier crawler covered (forms by URL name and method, pages by URL name).
    covered_forms, covered_pages = set(forms), set(targets)
    role_forms: dict[str, list[str]] = {}
    for role, client in _role_clients().items():
        site = crawl(client, list(dict.fromkeys(START + MATRIX_START)))
        errors = {url: status for url, status in site.pages.items() if status >= 500}
        failures.extend((role, "crawl", url, status) for url, status in errors.items())
        for form in site.forms:
            key = (form.route, form.method)
            if key in covered_forms or form.route in SESSION_ENDING or form.route.startswith("http"):
                continue
            covered_forms.add(key)
            if form.method == "post":
                role_forms.setdefault(role, []).append(form.route)
                for kind, value in HOSTILE.items():
                    if failure := _hostile_post(client, form, kind, value):
                        failures.append((role, *failure))
        for route, url in sorted(_get_targets(site).items()):
            if route not in covered_pages:
                covered_pages.add(route)
                failures.extend((role, *failure) for failure in _hostile_gets(client, route, url))
    assert not failures, "\n".join(map(str, failures))
    reached = {route for routes in role_forms.values() for route in routes}
    assert {"vouchers:claim_create", "vouchers:voucher_issue", "accounts:login"} <= reached, role_forms


def _uuid_routes():
    """(url name, kwargs) for every page whose URL takes UUIDs, with fresh UUIDs (and an int or slug if asked)."""

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
            elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
                yield namespace + entry.name, entry.pattern.converters

    for name, converters in walk(get_resolver()):
        if name.startswith("admin:") or not any(type(c).__name__ == "UUIDConverter" for c in converters.values()):
            continue
        kwargs = {}
        for key, conv in converters.items():
            kind = type(conv).__name__
            kwargs[key] = uuid.uuid4() if kind == "UUIDConverter" else (1 if kind == "IntConverter" else "approve")
        yield name, kwargs


def test_unknown_ids_in_urls_are_404_never_500(admin_client):
    failures = []
    routes = list(_uuid_routes())
    assert len(routes) > 30
    for name, kwargs in routes:
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(admin_client, method)(url)
            if response.status_code not in (404, 405):
                failures.append((name, method, response.status_code))
        malformed = url.replace(str(next(v for v in kwargs.values() if isinstance(v, uuid.UUID))), "not-a-uuid")
        if admin_client.get(malformed).status_code != 404:
            failures.append((name, "malformed", malformed))
    assert not failures, failures


def _api_operations():
    from config.api import api

    spec = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, item in spec["paths"].items():
        for method in item:
            if method in {"post", "put", "patch"}:
                yield method, path


@pytest.fixture
def admin_token(admin_client) -> str:
    from samverka.accounts.models import ApiToken, hash_token

    raw = ApiToken.generate_raw()
    user = User.objects.get(email=ADMIN_EMAIL)
    ApiToken.objects.create(user=user, name="hostile", token_hash=hash_token(raw), last_four=raw[-4:])
    return raw


def _fill(path: str) -> str:
    from samverka.registry.models import Organisation

    org = Organisation.objects.first()
    for name in ("pk", "token_id", "scheme_id", "voucher_id"):
        path = path.replace("{" + name + "}", str(org.pk))
    return path.replace("{year}", "2024").replace("{action}", "approve")


def test_api_writes_refuse_wrong_content_types_malformed_and_oversized_bodies(client, admin_token):
    auth = {"Authorization": f"Bearer {admin_token}"}
    bodies = [
        ("text/plain", b"name=hello"),
        ("application/json", b"{not json"),
        ("application/json", b'{"name": "' + b"\x00" * 10 + b'"}'),
        ("application/xml", b"<a>&xxe;</a>"),
    ]
    oversized = ("application/json", b'{"name": "' + b"x" * (6 * 1024 * 1024) + b'"}')
    failures = []
    for index, (method, path) in enumerate(_api_operations()):
        url = _fill(path)
        for content_type, body in bodies + ([oversized] if index < 3 else []):
            before = row_counts()
            response = getattr(client, method)(url, data=body, content_type=content_type, headers=auth)
            if not 400 <= response.status_code < 500:
                failures.append((method, path, content_type, len(body), response.status_code))
                continue
            body_json = response.json()
            if set(body_json) != {"detail", "errors"} or not body_json["detail"]:
                failures.append((method, path, content_type, "error body", body_json))
            if row_counts() != before:
                failures.append((method, path, content_type, "stored something"))
    assert not failures, failures


def test_a_stored_script_name_renders_escaped(admin_client):
    from samverka.registry.models import Organisation

    org = Organisation.objects.filter(status="active").first()
    Organisation.objects.filter(pk=org.pk).update(name=SCRIPT_NAME, name_en=SCRIPT_NAME)
    for url in (f"/organisations/{org.pk}/", "/registry/", f"/registry/{org.pk}/edit/", "/organisations/?q=script"):
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "<img src=x onerror" not in html, url
    page = admin_client.get(f"/organisations/{org.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
