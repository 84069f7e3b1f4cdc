"""The account pages not covered by tests/browser pass axe-core in Chromium and break no CSP rule."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from samverka.accounts.services import api_token_create, invitation_create, invitation_token
from samverka.core.testing import session_cookie_name, session_for

from .factories import confirmed_device, grant_area_role, make_area, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _problems(page, urls):
    page.add_init_script(CSP_PROBE)
    axe, problems = Axe(), []
    for url in urls:
        response = page.goto(url)
        if response is None or response.status >= 400 or not page.url.split("?")[0].endswith(url.split("?")[0]):
            problems.append(f"{url}: {response.status if response else 0} at {page.url}")
            continue
        for v in axe.run(page).response["violations"]:
            if v["impact"] in {"serious", "critical"}:
                problems.append(f"{url}: axe {v['impact']} {v['id']} at {[n['target'] for n in v['nodes'][:3]]}")
        problems += [f"{url}: CSP {c}" for c in page.evaluate("window.__csp || []")]
        if page.locator("h1").count() != 1:
            problems.append(f"{url}: expected one <h1>")
    return problems


def test_account_pages_are_accessible(page, browser_context, live_server):
    county = make_area("Testfylke")
    town = make_area("Testby", parent=county)
    coordinator = make_user("coord@example.org")
    grant_area_role(coordinator, county, "coordinator")
    device = confirmed_device(coordinator)
    colleague = make_user("colleague@example.org")
    role = grant_area_role(colleague, town, "officer", ["grants"])
    token, _raw = api_token_create(actor=coordinator, user=coordinator, name="sync")
    invitation = invitation_create(actor=coordinator, email="new@example.org", area=town, area_role="viewer")
    accept = f"/accounts/invitations/{invitation_token(invitation)}/"

    problems = _problems(page, [accept, "/accounts/password/reset/sent/"])
    browser_context.add_cookies(
        [
            {
                "name": session_cookie_name(),
                "value": session_for(coordinator, otp_device=device),
                "url": live_server.url,
                "httpOnly": True,
            }
        ]
    )
    problems += _problems(
        page,
        [
            "/accounts/password/change/",
            "/accounts/mfa/setup/",
            "/accounts/mfa/recovery-codes/",
            f"/accounts/tokens/{token.pk}/revoke/",
            f"/accounts/invitations/{invitation.pk}/revoke/",
            f"/accounts/roles/area/{role.pk}/revoke/",
            "/accounts/roles/?kind=organisation",
        ],
    )
    page.goto("/accounts/mfa/recovery-codes/")
    page.get_by_role("button", name="Make new recovery codes").click()
    # expect() waits for the answer to the form's POST; count() would read whichever page is there at that instant.
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert not problems, "\n" + "\n".join(problems)
