"""Every page built passes axe-core in Chromium (no serious or critical violation) and breaks no CSP rule.

Pages are named by URL name, so a page that is missing shows as a clear failure rather than a silent skip.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLOCKING = {"serious", "critical"}

# (url name, which object of the world it takes, or None)
ANONYMOUS_PAGES = [
    ("core:home", None),
    ("areas:list", None),
    ("areas:detail", "county"),
    ("areas:detail", "municipality"),
    ("registry:public_list", None),
    ("registry:public_detail", "organisation"),
    ("accounts:login", None),
    ("accounts:password_reset", None),
    ("accounts:password_reset_complete", None),
]
ORG_ADMIN_PAGES = [
    ("accounts:home", None),
    ("registry:edit", "organisation"),
    ("registry:years", "organisation"),
    ("accounts:tokens", None),
    ("registry:public_detail", "organisation"),
]
COORDINATOR_PAGES = [
    ("registry:list", None),
    ("registry:create", None),
    ("registry:edit", "organisation"),
    ("registry:years", "organisation"),
    ("registry:history", "organisation"),
    ("areas:detail", "county"),
    ("accounts:home", None),
    ("accounts:tokens", None),
    ("accounts:invitations", None),
    ("accounts:invite", None),
    ("accounts:roles", None),
]


def page_urls(world, pages) -> tuple[list[str], list[str]]:
    urls, missing = [], []
    for name, obj in pages:
        try:
            urls.append(reverse(name, args=[getattr(world, obj).pk]) if obj else reverse(name))
        except NoReverseMatch:
            missing.append(f"{name} (missing URL name)")
    return urls, missing


CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def audit_pages(page, urls: list[str], *, expect_path: bool = True) -> list[str]:
    """Visit each URL; return one line per problem (HTTP error, redirect away, axe violation, CSP violation)."""
    page.add_init_script(CSP_PROBE)
    axe = Axe()
    problems = []
    for url in urls:
        page.console_messages.clear()
        response = page.goto(url)
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{url}: HTTP {status}")
            continue
        if expect_path and not page.url.split("?")[0].endswith(url.split("?")[0]):
            problems.append(f"{url}: redirected to {page.url}")
            continue
        results = axe.run(page)
        for v in results.response["violations"]:
            if v["impact"] in BLOCKING:
                targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
                problems.append(f"{url}: axe {v['impact']} {v['id']} — {v['help']} at {targets}")
        csp = page.evaluate("window.__cspViolations || []")
        csp += [m for m in page.console_messages if "Content Security Policy" in m]
        problems += [f"{url}: CSP {c}" for c in csp]
        if page.locator("h1").count() != 1:
            problems.append(f"{url}: expected exactly one <h1>, found {page.locator('h1').count()}")
    return problems


def _report(problems: list[str]) -> str:
    return "\n" + "\n".join(problems)


def test_public_pages_are_accessible_to_anonymous_visitors(page):
    world = build_world()
    urls, missing = page_urls(world, ANONYMOUS_PAGES)
    problems = missing + audit_pages(page, urls)
    assert not problems, _report(problems)


def test_organisation_admin_pages_are_accessible(page, browser_login):
    world = build_world()
    browser_login(world.org_admin)
    urls, missing = page_urls(world, ORG_ADMIN_PAGES)
    problems = missing + audit_pages(page, urls)
    assert not problems, _report(problems)


def test_coordinator_pages_are_accessible(page, browser_login):
    world = build_world()
    browser_login(world.coordinator, otp_device=world.coordinator_device)
    urls, missing = page_urls(world, COORDINATOR_PAGES)
    problems = missing + audit_pages(page, urls)
    assert not problems, _report(problems)


def test_password_and_year_confirmation_pages_are_accessible(page, browser_login):
    world = build_world()
    uid = urlsafe_base64_encode(force_bytes(world.org_admin.pk))
    token = PasswordResetTokenGenerator().make_token(world.org_admin)
    # The link redirects to its set-password form (the token moves into the session).
    problems = audit_pages(page, [reverse("accounts:password_reset_confirm", args=[uid, token])], expect_path=False)
    browser_login(world.org_admin)
    problems += audit_pages(
        page,
        [
            reverse("accounts:password_change_done"),
            reverse("registry:year_delete", args=[world.organisation.pk, 2024]),
        ],
    )
    assert not problems, _report(problems)


@pytest.mark.parametrize(
    ("path", "status", "login"),
    [
        ("/no-such-page/", 404, False),
        ("/registry/?q=%00", 400, False),
        ("/registry/", 403, True),  # an organisation admin has no area role
    ],
)
def test_error_pages_are_accessible(page, browser_login, path, status, login):
    world = build_world()
    if login:
        browser_login(world.org_admin)
    page.add_init_script(CSP_PROBE)
    response = page.goto(path)
    assert response is not None and response.status == status
    blocking = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, (path, blocking)
    assert page.locator("h1").count() == 1 and not page.evaluate("window.__cspViolations || []")


def test_the_database_unavailable_page_is_accessible(page):
    from django.template.loader import render_to_string

    # Served without the database (no base template, no static files), so its own markup is what axe checks.
    page.set_content(render_to_string("503.html", {"LANGUAGE_CODE": "nb"}))
    blocking = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert not blocking and page.locator("h1").count() == 1


def test_the_lockout_page_is_accessible(page):
    world = build_world()
    page.add_init_script(CSP_PROBE)
    for _attempt in range(5):
        page.goto(reverse("accounts:login"))
        page.get_by_label("E-mail").fill(world.org_admin.email)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "Too many attempts" in page.content()
    blocking = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert not blocking and page.locator("h1").count() == 1
    assert not page.evaluate("window.__cspViolations || []")


def test_mfa_setup_and_verify_pages_are_accessible(page, browser_login):
    world = build_world()
    browser_login(world.new_coordinator)
    problems = audit_pages(page, [reverse("accounts:mfa_setup")])
    page.context.clear_cookies()
    browser_login(world.coordinator)  # enrolled but not yet verified in this session
    problems += audit_pages(page, [reverse("accounts:mfa_verify")])
    assert not problems, _report(problems)


def test_api_docs_page_breaks_no_csp_rule(page):
    page.add_init_script(CSP_PROBE)
    response = page.goto("/api/v1/docs")
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    violations = page.evaluate("window.__cspViolations") + [
        m for m in page.console_messages if "Content Security Policy" in m
    ]
    assert not violations, _report(violations)
