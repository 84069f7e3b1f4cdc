"""Success paths of the officer pages (scheme, accreditation decision, issue, provider choice), the provider-choice
API, and the access events of a provider's client list."""

import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import (
    grant_organisation_role,
    make_organisation,
    make_user,
    plain_login,
    staff_login,
)
from samverka.audit.models import AccessEvent, AuditEvent
from samverka.vouchers import services
from samverka.vouchers.models import Accreditation, LedgerEntry, Voucher, VoucherScheme

from .factories import World, baerum, officer, older_people, provider

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _remaining(voucher) -> int:
    voucher.account.refresh_from_db()
    return voucher.account.balance_minor


def _applied_not_approved(world) -> Accreditation:
    org = make_organisation("Venter", areas=[world.scheme.area])
    admin = make_user()
    grant_organisation_role(admin, org, "admin")
    return services.accreditation_apply(
        actor=admin,
        scheme=world.scheme,
        organisation=org,
        data={"price": "400", "answers": dict.fromkeys(world.scheme.criteria, "Yes")},
    )


def test_officer_creates_a_scheme_on_the_page(client):
    user = officer()
    staff_login(client, user)
    response = client.post(
        reverse("vouchers:scheme_create"),
        {
            "area": str(baerum().pk),
            "category": "older-people",
            "name": "Ledsager",
            "kind": "unit_voucher",
            "unit": "hour",
            "currency": "NOK",
            "valid_from": "2026-01-01",
            "price_ceiling": "500",
            "budget": "10000",
            "copayment_kind": "none",
            "criteria": "Training",
        },
    )
    scheme = VoucherScheme.objects.get(name="Ledsager")
    assert response.status_code == 302 and response["Location"] == reverse("vouchers:scheme_detail", args=[scheme.pk])
    assert scheme.area == baerum() and scheme.price_ceiling_minor == 500_00 and scheme.category == older_people()
    assert AuditEvent.objects.filter(object_id=str(scheme.pk)).exists()


def test_officer_approves_an_accreditation_on_the_page(client):
    world = World()
    pending = _applied_not_approved(world)
    staff_login(client, world.officer)
    url = reverse("vouchers:accreditation_detail", args=[pending.pk])
    response = client.post(url, {"action": "approve", "reason": ""})
    assert response.status_code == 302 and response["Location"] == url
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert AuditEvent.objects.filter(object_id=str(pending.pk), action__contains="approve").exists()


def test_officer_issues_a_voucher_on_the_resident_page(client):
    world = World()
    staff_login(client, world.officer)
    before = set(Voucher.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("vouchers:voucher_issue", args=[world.resident.pk]),
        {
            "scheme": str(world.scheme.pk),
            "units": "4",
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + datetime.timedelta(days=90)).isoformat(),
        },
    )
    new = Voucher.objects.exclude(pk__in=before).get()
    assert response.status_code == 302 and response["Location"] == reverse("vouchers:voucher_detail", args=[new.pk])
    assert new.resident == world.resident and _remaining(new) == 4 * 500_00  # valued at the price ceiling


def test_officer_changes_the_provider_on_the_page_and_the_remaining_value_follows(client):
    world = World()
    world.claim(units="1")
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    remaining = _remaining(world.voucher)
    staff_login(client, world.officer)
    url = reverse("vouchers:voucher_detail", args=[world.voucher.pk])
    response = client.post(url, {"accreditation": str(other.pk)})
    assert response.status_code == 302 and response["Location"] == url
    world.voucher.refresh_from_db()
    assert world.voucher.provider == other and _remaining(world.voucher) == remaining


def test_page_refuses_a_provider_not_approved_and_changes_nothing(client):
    world = World()
    pending = _applied_not_approved(world)
    staff_login(client, world.officer)
    entries = LedgerEntry.objects.count()
    response = client.post(reverse("vouchers:voucher_detail", args=[world.voucher.pk]), {"accreditation": pending.pk})
    assert response.status_code == 422
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation and LedgerEntry.objects.count() == entries


def _choose(client, world, accreditation_id):
    return client.post(
        f"/api/v1/vouchers/vouchers/{world.voucher.pk}/provider",
        {"accreditation_id": str(accreditation_id)},
        content_type="application/json",
    )


def test_provider_api_changes_the_provider_and_the_remaining_value_follows(client):
    world = World()
    world.claim(units="2")
    other, other_admin = provider(world.officer, world.scheme, name="Annen")
    remaining = _remaining(world.voucher)
    staff_login(client, world.officer)
    response = _choose(client, world, other.pk)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["provider_id"] == str(other.pk) and body["remaining"] == f"{remaining / 100:.2f}"
    assert AuditEvent.objects.filter(
        action="vouchers.voucher.choose_provider", object_id=str(world.voucher.pk)
    ).exists()
    client.logout()
    plain_login(client, other_admin)  # the new provider now reaches the voucher; the old one no longer does
    assert client.get(f"/api/v1/vouchers/vouchers/{world.voucher.pk}").status_code == 200
    client.logout()
    plain_login(client, world.provider_user)
    assert client.get(f"/api/v1/vouchers/vouchers/{world.voucher.pk}").status_code == 404


def test_provider_api_refuses_a_provider_not_approved_with_the_reason_and_writes_nothing(client):
    world = World()
    pending = _applied_not_approved(world)
    staff_login(client, world.officer)
    audits = AuditEvent.objects.count()
    response = _choose(client, world, pending.pk)
    assert response.status_code == 422
    assert "Choose a provider approved for this scheme." in str(response.json())
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation
    assert AuditEvent.objects.filter(action="vouchers.voucher.choose_provider").count() == 0
    assert AuditEvent.objects.count() == audits


def test_provider_api_refuses_an_unknown_provider_with_the_reason(client):
    world = World()
    staff_login(client, world.officer)
    response = _choose(client, world, world.voucher.pk)
    assert response.status_code == 422 and "Choose a provider approved for this scheme." in str(response.json())
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation


def test_the_provider_itself_cannot_change_the_provider(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    plain_login(client, world.provider_user)
    assert _choose(client, world, other.pk).status_code == 404
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation


def test_provider_client_list_writes_an_access_event_per_client_shown(client):
    world = World()
    plain_login(client, world.provider_user)
    response = client.get(reverse("vouchers:provider_home"))
    assert response.status_code == 200 and world.resident.full_name in response.content.decode()
    event = AccessEvent.objects.get(subject_id=str(world.resident.pk), purpose="provider.clients")
    assert event.actor == world.provider_user
    assert set(event.fields) == {"full_name", "phone", "preferred_language"}


def test_a_provider_change_on_a_cancelled_voucher_is_409_on_the_page_and_in_the_api(client):
    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    services.voucher_cancel(actor=world.officer, voucher=world.voucher, reason="Moved away")
    staff_login(client, world.officer)
    audits = AuditEvent.objects.count()
    page = client.post(reverse("vouchers:voucher_detail", args=[world.voucher.pk]), {"accreditation": str(other.pk)})
    api = _choose(client, world, other.pk)
    assert page.status_code == api.status_code == 409
    assert "Only an active voucher can change provider." in page.content.decode()
    assert "Only an active voucher can change provider." in str(api.json())
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation
    assert AuditEvent.objects.filter(action="vouchers.voucher.choose_provider").count() == 0
    assert AuditEvent.objects.count() == audits


def test_a_provider_suspended_after_the_page_was_shown_is_422_on_the_page_as_in_the_api(client, monkeypatch):
    """The page listed the provider when it was shown; by the time of the post it is suspended. The service refuses
    it with the same 422 the API gives for the same reason."""
    from samverka.vouchers.views import vouchers as voucher_views

    world = World()
    other, _admin = provider(world.officer, world.scheme, name="Annen")
    services.accreditation_decide(actor=world.officer, accreditation=other, action="suspend", reason="Audit")
    monkeypatch.setattr(
        voucher_views, "_providers", lambda v: Accreditation.objects.filter(scheme=v.scheme).select_related("scheme")
    )
    staff_login(client, world.officer)
    page = client.post(reverse("vouchers:voucher_detail", args=[world.voucher.pk]), {"accreditation": str(other.pk)})
    api = _choose(client, world, other.pk)
    assert page.status_code == api.status_code == 422
    assert "Choose a provider approved for this scheme." in page.content.decode()
    world.voucher.refresh_from_db()
    assert world.voucher.provider == world.accreditation
