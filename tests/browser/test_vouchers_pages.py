"""Voucher pages pass axe-core (no serious/critical violation), break no CSP rule and have one <h1>."""

import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import confirmed_device
from samverka.catalogue.tests.factories import make_service
from samverka.vouchers import services
from samverka.vouchers.tests.factories import World

from .data import _ensure_reference_data
from .test_accessibility import _report, audit_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _world():
    _ensure_reference_data()
    world = World()
    last_month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    world.claim(day=last_month)
    run = services.settlement_run(actor=world.officer, scheme=world.scheme, month=last_month)
    world.settlement = run.settlements.get()
    world.open_claim, _created = world.claim(key="open")
    hours = {"rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2026-01-05", "opens_at": "09:00", "closes_at": "15:00"}
    make_service(
        world.accreditation.organisation,
        name_nb="Hjemmehjelp",
        accepts_vouchers=True,
        schedules=[hours],
        categories=[world.scheme.category.code],
        areas=[str(world.scheme.area_id)],
    )
    return world


def test_public_voucher_pages_are_accessible(page):
    world = _world()
    token, _expires = services.choice_link_create(actor=world.officer, voucher=world.voucher)
    urls = [
        reverse("vouchers:index"),
        reverse("vouchers:compare", args=[world.scheme.pk]),
        reverse("vouchers:resident_choose", args=[token]),
    ]
    problems = audit_pages(page, urls)
    assert not problems, _report(problems)


def test_officer_voucher_pages_are_accessible(page, browser_login):
    world = _world()
    browser_login(world.officer, otp_device=confirmed_device(world.officer))
    urls = [
        reverse("vouchers:index"),
        reverse("vouchers:schemes"),
        reverse("vouchers:scheme_create"),
        reverse("vouchers:scheme_detail", args=[world.scheme.pk]),
        reverse("vouchers:accreditation_detail", args=[world.accreditation.pk]),
        reverse("vouchers:residents"),
        reverse("vouchers:resident_create"),
        reverse("vouchers:resident_detail", args=[world.resident.pk]),
        reverse("vouchers:access_log", args=[world.resident.pk]),
        reverse("vouchers:resident_erase", args=[world.resident.pk]),
        reverse("vouchers:voucher_detail", args=[world.voucher.pk]),
        reverse("vouchers:voucher_cancel", args=[world.voucher.pk]),
        reverse("vouchers:choice_link", args=[world.voucher.pk]),
        reverse("vouchers:settlement_detail", args=[world.settlement.pk]),
        reverse("vouchers:claim_reverse", args=[world.open_claim.pk]),
        reverse("vouchers:resident_edit", args=[world.resident.pk]),
        reverse("vouchers:scheme_status", args=[world.scheme.pk]),
        reverse("vouchers:scheme_fund", args=[world.scheme.pk]),
        reverse("vouchers:scheme_vouchers", args=[world.scheme.pk]),
        reverse("vouchers:scheme_claims", args=[world.scheme.pk]) + "?sort=-amount",
        reverse("vouchers:scheme_settlements", args=[world.scheme.pk]),
        reverse("vouchers:schemes") + "?sort=-name",
    ]
    problems = audit_pages(page, urls)
    assert not problems, _report(problems)


def test_provider_voucher_pages_are_accessible(page, browser_login):
    world = _world()
    browser_login(world.provider_user)
    urls = [
        reverse("vouchers:provider_home"),
        reverse("vouchers:apply", args=[world.scheme.pk]),
        reverse("vouchers:openings", args=[world.accreditation.pk]),
        reverse("vouchers:voucher_detail", args=[world.voucher.pk]),
        reverse("vouchers:settlement_detail", args=[world.settlement.pk]),
    ]
    problems = audit_pages(page, urls)
    assert not problems, _report(problems)
