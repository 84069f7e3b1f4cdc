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
from django.test import Client
from django.urls import resolve

from samverka.accounts.tests.factories import (
    plain_login,
    staff_login,
)
from samverka.audit.models import AuditEvent

from .crawl import Form, crawl
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
}
# Forms anyone may send (the answer may still be a form error or a rate limit).
PUBLIC_FORMS = {
    "accounts:login",
    "accounts:password_reset",
    "catalogue:report_error",
    "dialogue:hearing",  # a hearing page takes comments from residents without an account
    "dialogue:hearing_section",
    "dialogue:hearing_comment",
    "vouchers:apply",
    "set_language",
}
# Forms that end the session: sending them would log the role's client out for the rest of the table.
SESSION_ENDING = {"accounts:logout", "accounts:logout_everywhere", "set_language"}
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


def _clients() -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in role_users("matrix").items():
        clients[role] = Client(raise_request_exception=False)
        (staff_login if role in STAFF else plain_login)(clients[role], user)
    return clients


def _route(url: str) -> str:
    return resolve(urlsplit(url).path).view_name


def _has_uuid(route: str, url: str) -> bool:
    return any(len(part) == 36 and part.count("-") == 4 for part in urlsplit(url).path.split("/"))


@pytest.fixture
def world():
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    clients = _clients()
    pages: dict[str, str] = {}
    forms: dict[str, Form] = {}
    for role in ("coordinator_own", "platform_admin"):
        site = crawl(clients[role], START, limit=200)
        for url, status in site.pages.items():
            if status == 200:
                pages.setdefault(_route(url), url)
        for form in site.forms:
            if form.method == "post" and form.route not in SESSION_ENDING and not form.route.startswith("http"):
                forms.setdefault(form.route, form)
    clients["forms"] = forms  # type: ignore[assignment]
    return clients, pages


def test_access_matrix(world):
    clients, pages = world
    table: dict[str, dict[str, int]] = {}
    denied_audited: dict[str, bool] = {}
    for route, url in sorted(pages.items()):
        row = {}
        for role in ROLES:
            before = AuditEvent.objects.filter(action="access.denied").count()
            row[role] = clients[role].get(url).status_code
            if role == "coordinator_other" and row[role] == 404:
                denied_audited[route] = AuditEvent.objects.filter(action="access.denied").count() > before
        table[route] = row

    problems = []
    for route, row in table.items():
        if any(status >= 500 for status in row.values()):
            problems.append((route, "5xx", row))
        public_object = _has_uuid(route, pages[route]) and row["anonymous"] == 200  # e.g. a public forum
        if route not in PUBLIC_ROUTES and row["anonymous"] == 200 and not public_object:
            problems.append((route, "anonymous reads a private page", row))
        if row["platform_admin"] in (403, 404):
            problems.append((route, "the platform admin is refused", row))
        own_object = _has_uuid(route, pages[route]) and row["coordinator_own"] == 200
        if own_object and not public_object and route not in PUBLIC_ROUTES and row["coordinator_other"] == 200:
            problems.append((route, "a coordinator of another area reads it", row))
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


def test_cross_area_object_reads_are_404_and_audited(world):
    clients, pages = world
    other = clients["coordinator_other"]
    checked = 0
    for route, url in sorted(pages.items()):
        if route in PUBLIC_ROUTES or not _has_uuid(route, url):
            continue
        if clients["coordinator_own"].get(url).status_code != 200 or clients["anonymous"].get(url).status_code == 200:
            continue
        before = AuditEvent.objects.filter(action="access.denied").count()
        status = other.get(url).status_code
        assert status in (403, 404), (route, status)
        if status == 404:
            checked += 1
            assert AuditEvent.objects.filter(action="access.denied").count() > before, f"{route}: 404 not audited"
    assert checked >= 5, f"only {checked} cross-area object pages found"


def _post_outcome(client: Client, form: Form) -> str:
    """Send the form as found (hidden fields only, so nothing valid is filled in) inside a rolled-back
    transaction: the row shows who may reach the action, and no cell changes the data the next one sees."""
    with transaction.atomic():
        response = client.post(form.action, dict(form.hidden))
        transaction.set_rollback(True)
    location = response.headers.get("Location", "")
    if response.status_code == 302 and ("/accounts/login" in location or "/accounts/mfa" in location):
        return "login"
    return str(response.status_code)


REFUSED = {"login", "403", "404", "405"}


def test_write_access_matrix(world):
    """Every form action × every role: who may send it. Refusals are a login redirect, 403 or 404."""
    clients, _pages = world
    forms: dict[str, Form] = clients["forms"]  # type: ignore[assignment]
    table = {route: {role: _post_outcome(clients[role], form) for role in ROLES} for route, form in forms.items()}

    problems = []
    for route, row in table.items():
        if any(cell.startswith("5") for cell in row.values()):
            problems.append((route, "5xx", row))
        if route not in PUBLIC_FORMS and row["anonymous"] not in REFUSED:
            problems.append((route, "an anonymous visitor reaches a private action", row))
        if row["platform_admin"] in ("403", "404"):
            problems.append((route, "the platform admin is refused", row))
        own_object = _has_uuid(route, forms[route].action) and row["coordinator_own"] not in REFUSED
        if own_object and route not in PUBLIC_FORMS and row["coordinator_other"] not in REFUSED | {"400", "422"}:
            problems.append((route, "a coordinator of another area acts on it", row))
    assert len(table) > 20, f"only {len(table)} forms found"
    assert not problems, "\n".join(map(str, problems))

    recorded = json.loads(WRITE_MATRIX_FILE.read_text()) if WRITE_MATRIX_FILE.exists() else None
    if recorded is None or os.environ.get("SAMVERKA_UPDATE_ACCESS_MATRIX") == "1":
        WRITE_MATRIX_FILE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
        _write_doc(table, {}, start=WRITE_DOC_START, end=WRITE_DOC_END, heading="Access matrix: actions (POST)")
        recorded = table
    changed = {
        r: (recorded.get(r), table.get(r)) for r in set(recorded) | set(table) if recorded.get(r) != table.get(r)
    }
    assert not changed, f"access changed (rerun with SAMVERKA_UPDATE_ACCESS_MATRIX=1 if intended): {changed}"


def _write_doc(
    table: dict, audited: dict[str, bool], *, start: str = DOC_START, end: str = DOC_END, heading: str = "Access matrix"
) -> None:
    head = "| page (url name) | " + " | ".join(r.replace("_", " ") for r in ROLES) + " |"
    legend = (
        ["Generated by `tests/security/test_access_matrix.py`: each form found by the crawl, sent by each role with",
         "only its hidden fields, inside a rolled-back transaction. login = sent to log in or to MFA, 200 = the form",
         "answered (with its errors), 302 = the action ran and redirected, 403 = refused, 404 = another tenant's",
         "object, 429 = rate limited. The test fails when any cell changes."]
        if start == WRITE_DOC_START
        else ["Generated by `tests/security/test_access_matrix.py` from the demo data (own area: Akershus; other area:",
              "Värmland). 200 = shown, 302 = sent to log in or to MFA, 403 = refused, 404 = not found",
              "(another tenant's object; † = the refusal wrote an `access.denied` audit event).",
              "The test fails when any cell changes."]
    )  # fmt: skip
    lines = [
        start,
        *legend,
        "",
        head,
        "|" + "---|" * (len(ROLES) + 1),
    ]
    for route, row in sorted(table.items()):
        cells = [f"{row[r]}{'†' if r == 'coordinator_other' and audited.get(route) else ''}" for r in ROLES]
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
