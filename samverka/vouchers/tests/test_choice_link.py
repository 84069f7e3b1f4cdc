"""The resident's signed link: the officer creates it (shown once), the resident opens it without an account, sees
the comparison and their first name only, and chooses or changes the provider through the officer's service;
expired, tampered, replaced links and ended vouchers answer a clear 4xx page and change nothing."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AccessEvent, AuditEvent
from samverka.vouchers import services
from samverka.vouchers.services.links import SALT

from .factories import World, provider

pytestmark = pytest.mark.django_db


def _link(world) -> str:
    token, _expires = services.choice_link_create(actor=world.officer, voucher=world.voucher)
    return reverse("vouchers:resident_choose", args=[token])


def _remaining(voucher) -> int:
    voucher.account.refresh_from_db()
    return voucher.account.balance_minor


def test_officer_creates_a_link_on_the_voucher_page_and_it_is_shown_to_copy(client):
    world = World()
    staff_login(client, world.officer)
    page = client.get(reverse("vouchers:voucher_detail", args=[world.voucher.pk])).content.decode()
    url = reverse("vouchers:choice_link", args=[world.voucher.pk])
    assert url in page
    response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "/vouchers/choose/" in html
    event = AuditEvent.objects.get(action="vouchers.voucher.choice_link", object_id=str(world.voucher.pk))
    assert event.actor == world.officer
    world.voucher.refresh_from_db()
    assert world.voucher.choice_link_nonce not in str(event.changes)  # neither the token nor the nonce is audited


def test_the_provider_cannot_create_a_link(client):
    world = World()
    plain_login(client, world.provider_user)
    assert client.post(reverse("vouchers:choice_link", args=[world.voucher.pk])).status_code == 404
    world.voucher.refresh_from_db()
    assert world.voucher.choice_link_nonce == ""


def test_resident_sees_the_comparison_and_only_their_first_name_and_the_read_is_logged(client):
    world = World()
    response = client.get(_link(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hello Ola." in html and "Testperson" not in html and world.resident.phone not in html
    assert world.accreditation.organisation.name in html and "Approved providers" in html
    assert response["Referrer-Policy"] == "no-referrer"
    event = AccessEvent.objects.get(subject_id=str(world.resident.pk), purpose="voucher.choice_link")
    assert event.fields == ["full_name"] and event.actor is None


def test_resident_changes_the_provider_through_the_link_the_remaining_value_follows_and_it_is_audited(client):
    world = World()
    world.claim(units="1")
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    remaining = _remaining(world.voucher)
    url = _link(world)
    response = client.post(url, {"accreditation": str(other.pk)})
    assert response.status_code == 302 and response["Location"] == url
    world.voucher.refresh_from_db()
    assert world.voucher.provider == other and _remaining(world.voucher) == remaining
    event = AuditEvent.objects.get(action="vouchers.voucher.choose_provider", object_id=str(world.voucher.pk))
    assert event.actor is None and event.actor_label == "resident (choice link)"
    assert event.changes["via"] == "resident link"
    assert "Your choice is saved: Annen." in client.get(url).content.decode()


def test_a_provider_not_approved_is_refused_on_the_link_page_with_422_and_nothing_changes(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    services.accreditation_decide(actor=world.officer, accreditation=other, action="suspend", reason="Audit")
    response = client.post(_link(world), {"accreditation": str(other.pk)})
    assert response.status_code == 422
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation
    assert not AuditEvent.objects.filter(action="vouchers.voucher.choose_provider").exists()


def _refused(client, url, status, text, world, other):
    response = client.post(url, {"accreditation": str(other.pk)})
    assert response.status_code == status and text in response.content.decode()
    assert client.get(url).status_code == status
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation
    assert not AuditEvent.objects.filter(action="vouchers.voucher.choose_provider").exists()


def test_a_tampered_link_is_400(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    token, _expires = services.choice_link_create(actor=world.officer, voucher=world.voucher)
    forged = signing.dumps({"v": str(world.voucher.pk), "n": "guess"}, salt=SALT, key="not-the-secret")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        _refused(client, reverse("vouchers:resident_choose", args=[bad]), 400, "This link is not valid.", world, other)


def test_an_expired_link_is_410(client, monkeypatch):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    url = _link(world)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=15)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    _refused(client, url, 410, "This link has expired.", world, other)


def test_a_new_link_revokes_the_older_one(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    old = _link(world)
    new = _link(world)
    _refused(client, old, 410, "This link has been replaced by a newer one.", world, other)
    assert client.get(new).status_code == 200


def test_a_link_of_a_cancelled_voucher_is_410(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    url = _link(world)
    services.voucher_cancel(actor=world.officer, voucher=world.voucher, reason="Moved away")
    _refused(client, url, 410, "This voucher is no longer active", world, other)
