"""Screenshots of the main pages for the README (docs/img/, 1280×900), taken from the live app."""

from pathlib import Path

import pytest
from django.urls import reverse

from .data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_screenshots_of_the_main_pages(page, browser_login):
    world = build_world()
    IMG.mkdir(parents=True, exist_ok=True)
    shots = {
        "home.png": reverse("core:home"),
        "organisation.png": reverse("registry:public_detail", args=[world.organisation.pk]),
        "area.png": reverse("areas:detail", args=[world.county.pk]),
    }
    for name, url in shots.items():
        assert page.goto(url).status == 200, url
        page.screenshot(path=str(IMG / name))
    browser_login(world.coordinator, otp_device=world.coordinator_device)
    assert page.goto(reverse("registry:list")).status == 200
    page.screenshot(path=str(IMG / "registry-list.png"))
    for name in (*shots, "registry-list.png"):
        assert (IMG / name).stat().st_size > 10_000, name
