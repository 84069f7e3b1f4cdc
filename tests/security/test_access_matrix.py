"""The access-control matrix: every role × every page (own area and another area), generated and tested.

The pages are found by crawling the demo as the Akershus coordinator (own area) and as the platform admin. Each
role then asks for each page; the answers form the table in docs/security.md ("Access matrix"), kept in
tests/security/access_matrix.json. The test checks the rules every row must follow, then compares the whole
table with the recorded one, so any change of who may reach what shows up in review. After an intended change:
`SAMVERKA_UPDATE_ACCESS_MATRIX=1 .venv/bin/pytest tests/security/test_access_matrix.py` rewrites both.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse

from samverka.accounts.models import User
from samverka.accounts.tests.factories import grant_area_role, make_user, plain_login, staff_login
from samverka.areas.models import Area
from samverka.audit.models import AuditEvent

from .crawl import Form, crawl
from .matrix_objects import METRICS_OFF, objects_the_demo_does_not_link, token_and_link_objects
from .roles import STAFF, role_users

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MATRIX_FILE = Path(__file__).with_name("access_matrix.json")
DOC = ROOT / "docs" / "security.md"
DOC_START, DOC_END = "<!-- access-matrix:start -->", "<!-- access-matrix:end -->"
WRITE_MATRIX_FILE = Path(__file__).with_name("access_matrix_writes.json")
WRITE_DOC_START, WRITE_DOC_END = "<!-- access-matrix-writes:start -->", "<!-- access-matrix-writes:end -->"
ROLES = [
    "anonymous",
    "ngo_member",
    "ngo_admin",
    "viewer",
    "officer",
    "coordinator_own",
    "coordinator_other",
    "platform_admin",
]
# The page tables add an other-area twin for every area role (the coordinator's is in ROLES, shared with the API
# table): the Värmland viewer and officer ask for the same Akershus URLs as their Akershus counterparts.
PAGE_ROLES = [*ROLES[:4], "viewer_other", "officer", "officer_other", *ROLES[5:]]
# Area roles and their other-area twin: a private object the first reads must be refused (404, audited) to the twin.
AREA_PAIRS = [("viewer", "viewer_other"), ("officer", "officer_other"), ("coordinator_own", "coordinator_other")]
# Pages anyone may read. Everything else must not answer 200 to an anonymous visitor.
PUBLIC_ROUTES = {
    "core:home",
    "areas:list",
    "areas:detail",
    "registry:public_list",
    "registry:public_detail",
    "catalogue:index",
    "catalogue:service_detail",
    "catalogue:report_error",
    "agreements:public_register",
    "agreements:public_detail",
    "agreements:public_register_csv",  # the public register as CSV
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "dialogue:index",  # the list of public forums
    "dialogue:hearings",
    "dialogue:hearing",
    "dialogue:hearing_report",
    "vouchers:index",
    "vouchers:compare",
    "vouchers:apply",
    "api-v1:openapi-view",  # the API documentation pages and documents
    "hsds:openapi-view",
    "api-v1:openapi-json",
    "hsds:openapi-json",
    "hsds:api-root",  # the HSDS API is open data: its root answers like `hsds:info`
    "healthz",  # for load balancers and monitors: says only whether the database answers
}
# Pages reached by a secret in the URL (a one-off or personal link): whoever holds the link may open it, so an
# anonymous visitor reaches them too; the tests create the secrets (`matrix_objects.token_and_link_objects`).
TOKEN_ROUTES = {
    "accounts:accept_invitation",
    "accounts:password_reset_confirm",
    "dialogue:user_ics",  # a person's calendar feed, subscribed to by calendar programs without a session
    "vouchers:resident_choose",  # a resident's one-off link to choose a provider, made by the officer
}
# The metrics endpoint is asked for with METRICS_ENABLED on (row `metrics`) and off (this row).
RESIDENT_DATA = (
    "residents' personal data: only officers granted the vouchers capability in the area, never admins as such"
)
# Pages the platform admin is refused, and why (anything else refused to the admin fails the test).
ADMIN_REFUSED = {
    "accounts:token_revoke": "a personal API token: only its holder revokes it (404 to everyone else)",
    "agreements:sign": "only the agreement's named signatories sign (404 to everyone else)",
    "api-v1:api-root": "no page: the prefix of the API's operations (404 to everyone)",
    METRICS_OFF: "the endpoint is off: 404 to everyone",
    "vouchers:apply": "a resident applies for themselves; staff roles cannot apply",
    "vouchers:provider_home": "the page of a voucher provider's members; the platform admin is not one",
    "vouchers:openings": "an accredited provider's openings, kept by its organisation's admins only",
    "vouchers:claim_create": "only the voucher's chosen provider claims",
    "vouchers:access_log": RESIDENT_DATA,
    "vouchers:choice_link": RESIDENT_DATA,
    "vouchers:resident_detail": RESIDENT_DATA,
    "vouchers:resident_edit": RESIDENT_DATA,
    "vouchers:resident_erase": RESIDENT_DATA,
    "vouchers:voucher_cancel": RESIDENT_DATA,
    "vouchers:voucher_detail": RESIDENT_DATA,
    "vouchers:voucher_issue": RESIDENT_DATA,
}
# Forms anyone may send (the answer may still be a form error or a rate limit).
PUBLIC_FORMS = {
    "accounts:login",
    "accounts:password_reset",
    "catalogue:report_error",
    "dialogue:hearing",  # a hearing page takes comments from residents without an account
    "dialogue:hearing_section",
    "dialogue:hearing_comment",
    "dialogue:support",  # supporting a published comment, like commenting, needs no account
    "vouchers:apply",
    "accounts:logout",  # without a session it only redirects; nothing is changed
}
# Forms that end the session: sending them would log the role's client out for the rest of the table, so each
# role sends them from a fresh client of its own (`test_write_access_matrix`).
SESSION_ENDING = {"accounts:logout", "accounts:logout_everywhere"}
START = [
    "/",
    "/accounts/",
    "/accounts/tokens/",
    "/accounts/roles/",
    "/accounts/invitations/",
    "/accounts/invite/",
    "/registry/",
    "/registry/new/",
    "/organisations/",
    "/services/",
    "/catalogue/proposals/",
    "/catalogue/freshness/",
    "/agreements/",
    "/agreements/register/",
    "/agreements/library/",
    "/agreements/public/",
    "/forums/",
    "/forums/calendar/",
    "/hearings/",
    "/vouchers/",
    "/vouchers/schemes/",
    "/vouchers/residents/",
    "/vouchers/provider/",
    "/areas/",
]


def _other_area_users() -> dict[str, User]:
    varmland = Area.objects.get(country="NO", kind="county", code="33")
    viewer = make_user("matrix.viewer.varmland@samverka.example")
    grant_area_role(viewer, varmland, "viewer")
    return {"viewer_other": viewer, "officer_other": User.objects.get(email="officer.varmland@samverka.example")}


def _login(role: str, user: User) -> Client:
    client = Client(raise_request_exception=False)
    (staff_login if role in STAFF | {"officer_other"} else plain_login)(client, user)
    return client


def _clients() -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    users = role_users("matrix") | _other_area_users()
    for role, user in users.items():
        clients[role] = _login(role, user)
    clients["users"] = users  # type: ignore[assignment]
    return clients


def _route(url: str) -> str:
    return resolve(urlsplit(url).path).view_name


def _has_uuid(route: str, url: str) -> bool:
    return any(len(part) == 36 and part.count("-") == 4 for part in urlsplit(url).path.split("/"))


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    clients = _clients()
    pages: dict[str, str] = {}
    forms: dict[str, Form] = {}
    invitation = objects_the_demo_does_not_link()
    # Each crawler reaches pages the others cannot: provider pages (the NGO admin), officer pages, the pages
    # only anonymous visitors see (log-in, password reset, applying for a voucher).
    for role in ("coordinator_own", "platform_admin", "ngo_admin", "officer", "anonymous"):
        site = crawl(clients[role], START, limit=250, downloads=True)
        for url, status in site.pages.items():
            if status == 200:
                pages.setdefault(_route(url), url)
        for form in site.forms:
            if form.method == "post" and form.route not in SESSION_ENDING and not form.route.startswith("http"):
                forms.setdefault(form.route, form)
    token_pages, token_forms = token_and_link_objects(invitation)
    pages |= token_pages
    forms |= token_forms
    clients["forms"] = forms  # type: ignore[assignment]
    return clients, pages


def test_access_matrix(world):
    clients, pages = world
    table: dict[str, dict[str, int]] = {}
    denied_audited: dict[tuple[str, str], bool] = {}
    for route, url in sorted(pages.items()):
        row = {}
        for role in PAGE_ROLES:
            before = AuditEvent.objects.filter(action="access.denied").count()
            with override_settings(METRICS_ENABLED=route != METRICS_OFF):
                row[role] = clients[role].get(url).status_code
            if role.endswith("_other") and row[role] == 404:
                denied_audited[route, role] = AuditEvent.objects.filter(action="access.denied").count() > before
        table[route] = row

    problems = []
    for route, row in table.items():
        if any(status >= 500 for status in row.values()):
            problems.append((route, "5xx", row))
        public_object = _has_uuid(route, pages[route]) and row["anonymous"] == 200  # e.g. a public forum
        if route not in PUBLIC_ROUTES | TOKEN_ROUTES and row["anonymous"] == 200 and not public_object:
            problems.append((route, "anonymous reads a private page", row))
        if row["platform_admin"] in (403, 404) and route not in ADMIN_REFUSED:
            problems.append((route, "the platform admin is refused", row))
        for own, other in AREA_PAIRS:
            own_object = _has_uuid(route, pages[route]) and row[own] == 200
            if own_object and not public_object and route not in PUBLIC_ROUTES and row[other] == 200:
                problems.append((route, f"{other}: another area's {own.split('_')[0]} reads it", row))
    assert len(table) > 40, f"only {len(table)} pages found"
    assert not problems, "\n".join(map(str, problems))

    recorded = json.loads(MATRIX_FILE.read_text()) if MATRIX_FILE.exists() else None
    if recorded is None or os.environ.get("SAMVERKA_UPDATE_ACCESS_MATRIX") == "1":
        MATRIX_FILE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
        _write_doc(table, denied_audited)
        recorded = table
    changed = {
        r: (recorded.get(r), table.get(r)) for r in set(recorded) | set(table) if recorded.get(r) != table.get(r)
    }
    assert not changed, f"access changed (rerun with SAMVERKA_UPDATE_ACCESS_MATRIX=1 if intended): {changed}"


@pytest.mark.parametrize(("own", "other"), AREA_PAIRS)
def test_cross_area_object_reads_are_404_and_audited(world, own, other):
    clients, pages = world
    checked = 0
    for route, url in sorted(pages.items()):
        if route in PUBLIC_ROUTES or not _has_uuid(route, url):
            continue
        if clients[own].get(url).status_code != 200 or clients["anonymous"].get(url).status_code == 200:
            continue
        before = AuditEvent.objects.filter(action="access.denied").count()
        status = clients[other].get(url).status_code
        assert status in (403, 404), (route, status)
        if status == 404:
            checked += 1
            assert AuditEvent.objects.filter(action="access.denied").count() > before, f"{route}: 404 not audited"
    assert checked >= 2, f"only {checked} cross-area object pages found"


def _post_outcome(client: Client, form: Form) -> tuple[str, bool]:
    """Send the form as found (hidden fields only, so nothing valid is filled in) inside a rolled-back
    transaction: the row shows who may reach the action, and no cell changes the data the next one sees.
    Returns the outcome and whether the request wrote an `access.denied` audit event (counted before the
    rollback takes it away)."""
    with transaction.atomic():
        before = AuditEvent.objects.filter(action="access.denied").count()
        response = client.post(form.action, dict(form.hidden))
        audited = AuditEvent.objects.filter(action="access.denied").count() > before
        transaction.set_rollback(True)
    location = response.headers.get("Location", "")
    if response.status_code == 302 and ("/accounts/login" in location or "/accounts/mfa" in location):
        return "login", audited
    return str(response.status_code), audited


REFUSED = {"login", "403", "404", "405"}
# Actions that answer another area's role 404 without an `access.denied` audit event, with why (none today: the
# dialogue's management forms on public forum pages write one through dialogue.selectors.write_refused).
WRITES_NOT_AUDITED: dict[str, str] = {}


def test_write_access_matrix(world):
    """Every form action × every role: who may send it. Refusals are a login redirect, 403 or 404."""
    clients, _pages = world
    forms: dict[str, Form] = clients["forms"]  # type: ignore[assignment]
    users: dict[str, User] = clients["users"]  # type: ignore[assignment]
    table: dict[str, dict[str, str]] = {}
    audited: dict[tuple[str, str], bool] = {}
    for route, form in forms.items():
        table[route] = {}
        for role in PAGE_ROLES:
            table[route][role], audited[route, role] = _post_outcome(clients[role], form)
    # The session-ending actions: each role sends them from a fresh client, logged in for this one request.
    for route in sorted(SESSION_ENDING):
        url = reverse(route)
        forms[route] = Form(url, url, "post")
        table[route] = {}
        for role in PAGE_ROLES:
            client = Client(raise_request_exception=False) if role == "anonymous" else _login(role, users[role])
            table[route][role], audited[route, role] = _post_outcome(client, forms[route])

    problems = []
    for route, row in table.items():
        if any(cell.startswith("5") for cell in row.values()):
            problems.append((route, "5xx", row))
        if route not in PUBLIC_FORMS and row["anonymous"] not in REFUSED:
            problems.append((route, "an anonymous visitor reaches a private action", row))
        if row["platform_admin"] in ("403", "404") and route not in ADMIN_REFUSED:
            problems.append((route, "the platform admin is refused", row))
        for own, other in AREA_PAIRS:
            own_object = _has_uuid(route, forms[route].action) and row[own] not in REFUSED
            if own_object and route not in PUBLIC_FORMS and row[other] not in REFUSED | {"400", "422"}:
                problems.append((route, f"{other}: another area's {own.split('_')[0]} acts on it", row))
            if row[other] == "404" and not audited[route, other] and route not in WRITES_NOT_AUDITED:
                problems.append((route, f"{other}: 404 without an access.denied event", row))
    assert len(table) > 20, f"only {len(table)} forms found"
    assert not problems, "\n".join(map(str, problems))

    recorded = json.loads(WRITE_MATRIX_FILE.read_text()) if WRITE_MATRIX_FILE.exists() else None
    if recorded is None or os.environ.get("SAMVERKA_UPDATE_ACCESS_MATRIX") == "1":
        WRITE_MATRIX_FILE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
        _write_doc(table, audited, start=WRITE_DOC_START, end=WRITE_DOC_END, heading="Access matrix: actions (POST)")
        recorded = table
    changed = {
        r: (recorded.get(r), table.get(r)) for r in set(recorded) | set(table) if recorded.get(r) != table.get(r)
    }
    assert not changed, f"access changed (rerun with SAMVERKA_UPDATE_ACCESS_MATRIX=1 if intended): {changed}"


def _write_doc(
    table: dict,
    audited: dict[tuple[str, str], bool],
    *,
    start: str = DOC_START,
    end: str = DOC_END,
    heading: str = "Access matrix",
) -> None:
    head = "| page (url name) | " + " | ".join(r.replace("_", " ") for r in PAGE_ROLES) + " |"
    legend = (
        ["Generated by `tests/security/test_access_matrix.py`: each form found by the crawl, sent by each role with",
         "only its hidden fields, inside a rolled-back transaction. login = sent to log in or to MFA, 200 = the form",
         "answered (with its errors), 302 = the action ran and redirected, 403 = refused, 404 = another tenant's",
         "object († = the refusal wrote an `access.denied` audit event), 429 = rate limited. The session-ending",
         "actions (log out, log out everywhere, change language) are sent by each role from a fresh client logged in",
         "for that one request. The test fails when any cell changes."]
        if start == WRITE_DOC_START
        else ["Generated by `tests/security/test_access_matrix.py` from the demo data (own area: Akershus; other area:",
              "Värmland; viewer, officer and coordinator each have an other-area twin asking for the same Akershus",
              "URLs). Downloads (CSV, XLSX, PDF, ICS) are in the table by status only. Pages reached only by a token",
              "or a one-off link (invitation, password reset, calendar feed, a reversible claim, a resident's choice",
              "link) and objects in states the demo lacks (a published hearing report, a meeting file, an agreement",
              "being signed, an accreditation document) are made by the test through the apps' services. `metrics` is",
              "asked for with METRICS_ENABLED on, and off in its own row.",
              "200 = shown, 302 = sent to log in or to MFA, 403 = refused, 404 = not found",
              "(another tenant's object; † = the refusal wrote an `access.denied` audit event).",
              "The test fails when any cell changes."]
    )  # fmt: skip
    lines = [
        start,
        *legend,
        "",
        head,
        "|" + "---|" * (len(PAGE_ROLES) + 1),
    ]
    for route, row in sorted(table.items()):
        cells = [f"{row[r]}{'†' if audited.get((route, r)) else ''}" for r in PAGE_ROLES]
        lines.append(f"| `{route}` | " + " | ".join(cells) + " |")
    lines.append(end)
    text = DOC.read_text()
    block = "\n".join(lines)
    if start in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + block + "\n"
    DOC.write_text(text)


def test_forms_of_states_the_demo_lacks_survive_hostile_values(world):
    """Signing an agreement, choosing a provider by a resident's link and the hearing report (no crawl reaches
    them) get the hostile values of `test_hostile_input.py`, with the same assertions: never a 5xx, a refused
    submission changes no row."""
    from .test_hostile_input import HOSTILE, _hostile_gets, _hostile_post

    clients, pages = world
    failures: list[tuple] = []
    for role, route in (("coordinator_own", "agreements:sign"), ("anonymous", "vouchers:resident_choose")):
        site = crawl(clients[role], [pages[route]], limit=1)
        forms = [form for form in site.forms if form.method == "post" and form.route == route]
        assert forms, (route, site.pages)
        for kind, value in HOSTILE.items():
            if failure := _hostile_post(clients[role], forms[0], kind, value):
                failures.append((role, *failure))
    for role in ("anonymous", "coordinator_own"):
        failures.extend(
            (role, *failure) for failure in _hostile_gets(clients[role], "", pages["dialogue:hearing_report"])
        )
    assert not failures, "\n".join(map(str, failures))


# URL names no access table reaches, each with the test that covers it instead (none today: every named URL is in
# one of the three tables).
COVERED_ELSEWHERE: dict[str, str] = {
    # A GET that sets the display-language cookie and redirects, the same for every role and visitor.
    "set_language": "tests/test_language.py",
}


def _url_names() -> dict[str, str]:
    """Every named URL of the URLconf (staff admin aside): name -> route with `{param}` placeholders."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace="", prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                space = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, space, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                yield namespace + entry.name, prefix + str(entry.pattern)

    import re

    return {
        name: "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).lstrip("^").rstrip("$")
        for name, route in walk(get_resolver())
        if not name.startswith("admin:")
    }


def test_every_url_name_is_in_an_access_table_or_covered_elsewhere():
    from .test_api_access_matrix import MATRIX_FILE as API_MATRIX_FILE

    pages = json.loads(MATRIX_FILE.read_text())
    writes = json.loads(WRITE_MATRIX_FILE.read_text())
    api_paths = {key.split(" · ")[0].split(" ", 1)[1] for key in json.loads(API_MATRIX_FILE.read_text())}
    names = _url_names()
    outside = {
        name: route
        for name, route in names.items()
        if name not in pages and name not in writes and route not in api_paths and name not in COVERED_ELSEWHERE
    }
    assert not outside, f"URL names in no access table (add them to one, or to COVERED_ELSEWHERE): {outside}"
    stale = {name for name in COVERED_ELSEWHERE if name not in names or name in pages or name in writes}
    assert not stale, f"COVERED_ELSEWHERE names that are gone or now in a table: {stale}"
