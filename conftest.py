"""Fixtures every test module may use. App-specific factories live in each app's tests/factories.py.

The browser harness (`browser`, `page`, `browser_login`) drives Debian's Chromium through Playwright's sync API
against pytest-django's `live_server`, which serves static files through Django's StaticFilesHandler.
Browser tests are marked `@pytest.mark.browser`; without /usr/bin/chromium they are skipped, unless
SAMVERKA_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser fails them.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_required() -> bool:
    return os.environ.get("SAMVERKA_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    skip_browser = pytest.mark.skip(
        reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium); "
        "set SAMVERKA_REQUIRE_BROWSER=1 to fail instead"
    )
    no_browser = not CHROMIUM.exists() and not browser_required()
    for item in items:
        _restore_reference_data_in_transactional_tests(item)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "browser" in item.keywords and no_browser:
            item.add_marker(skip_browser)


def _restore_reference_data_in_transactional_tests(item) -> None:
    """Transactional tests (live server, threads) end with a flush that also empties what data migrations loaded
    (areas, categories, principle sets…). Serialized rollback gives each of them the migrated content back."""
    marker = item.get_closest_marker("django_db")
    wants_transaction = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    uses_live_db = {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    if wants_transaction or uses_live_db:
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)  # before any marker the test itself has


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`."
        if browser_required():
            pytest.fail(message + " SAMVERKA_REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse the ORM calls the test
    # itself makes ("cannot call this from an async context"). Django reads the flag at each call, so it is set
    # only while the browser is open (and never reaches `check --deploy` subprocesses of other tests).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    """A fresh page on the live server. `page.console_messages` collects every console message."""
    pg = browser_context.new_page()
    pg.console_messages = []
    pg.on("console", lambda message: pg.console_messages.append(message.text))
    return pg


@pytest.fixture
def browser_login(browser_context, live_server):
    """Log `user` into the browser by a prepared session cookie (MFA-verified when `otp_device` is given)."""
    from samverka.core.testing import session_cookie_name, session_for

    def login(user, otp_device=None):
        key = session_for(user, otp_device=otp_device)
        browser_context.add_cookies(
            [{"name": session_cookie_name(), "value": key, "url": live_server.url, "httpOnly": True}]
        )
        return key

    return login


from tests.serialized import CONTENTS  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the serialized post-migration contents, so a test that replaces a connection object cannot lose them."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents:
            CONTENTS[alias] = contents
    yield


def pytest_runtest_setup(item):
    if not CONTENTS:
        return
    from django.db import connections

    for alias, contents in CONTENTS.items():
        if not getattr(connections[alias], "_test_serialized_contents", None):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test starts with an empty reference cache (samverka.core.refcache): rows a test created, then rolled
    back, must not be seen by the next one."""
    from samverka.core import refcache

    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture(autouse=True)
def _language_of_one_test_only():
    """A request with another language activates it for the thread; the next test starts in the default again
    (mails and messages a test reads are then in the language it expects)."""
    from django.utils import translation

    yield
    translation.deactivate()
