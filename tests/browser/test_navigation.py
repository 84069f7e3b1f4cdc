"""Keyboard use, the language switcher, and a real login with TOTP, in Chromium."""

import pytest
from django.urls import reverse

from .data import PASSWORD, build_world, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page):
    build_world()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    assert page.locator(".skip-link").is_visible(), "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_changes_the_language_and_keeps_it(page):
    build_world()
    page.goto(reverse("registry:public_list"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#language-select", "sv")
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.url.endswith(reverse("registry:public_list"))
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv", "the choice is kept on the next page"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["samverka_language"] == "sv"


def test_coordinator_logs_in_with_password_and_totp_and_reaches_the_registry(page):
    world = build_world()
    page.goto(reverse("registry:list"))
    assert reverse("accounts:login") in page.url
    page.get_by_label("E-mail address").fill(world.coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"**{reverse('accounts:mfa_verify')}**")
    code = page.locator("main input[name=code]")
    code.fill(totp_code(world.coordinator_device))
    code.press("Enter")
    page.wait_for_url(f"**{reverse('registry:list')}**")
    assert page.get_by_role("link", name="Asker Røde Kors").count() >= 1
