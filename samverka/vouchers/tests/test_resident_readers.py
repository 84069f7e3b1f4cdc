"""Who reads residents: only officers with the vouchers capability in the resident's area (and the chosen provider,
limited). A platform admin as such is refused (404, audited) and keeps the rest of the vouchers pages."""

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import grant_area_role, make_user, staff_login
from samverka.audit.models import AccessEvent, AuditEvent

from .factories import World, baerum

pytestmark = pytest.mark.django_db


def _admin(client):
    admin = make_user(is_superuser=True, is_staff=True)
    staff_login(client, admin)
    return admin


def test_platform_admin_gets_404_on_resident_pages_and_it_is_audited(client):
    world = World()
    _admin(client)
    for url in [
        reverse("vouchers:resident_detail", args=[world.resident.pk]),
        reverse("vouchers:access_log", args=[world.resident.pk]),
        reverse("vouchers:resident_erase", args=[world.resident.pk]),
        reverse("vouchers:voucher_detail", args=[world.voucher.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.resident.pk)).exists()
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.voucher.pk)).exists()
    assert not AccessEvent.objects.filter(subject_id=str(world.resident.pk)).exclude(actor=world.officer).exists()


def test_platform_admin_sees_no_residents_in_the_list_or_csv(client):
    world = World()
    _admin(client)
    page = client.get(reverse("vouchers:residents"))
    export = client.get(reverse("vouchers:residents") + "?format=csv")
    assert page.status_code == 200 and world.resident.full_name not in page.content.decode()
    assert world.resident.full_name not in b"".join(export.streaming_content).decode()


def test_platform_admin_gets_404_from_the_resident_api_and_it_is_audited(client):
    world = World()
    _admin(client)
    url = f"/api/v1/vouchers/residents/{world.resident.pk}"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"phone": "+4799999999"}, content_type="application/json").status_code == 404
    world.resident.refresh_from_db()
    assert world.resident.phone != "+4799999999"
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.resident.pk)).count() >= 2


def test_platform_admin_keeps_the_scheme_and_accreditation_pages(client):
    world = World()
    _admin(client)
    for url in [
        reverse("vouchers:schemes"),
        reverse("vouchers:scheme_detail", args=[world.scheme.pk]),
        reverse("vouchers:accreditation_detail", args=[world.accreditation.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_platform_admin_with_a_vouchers_grant_reads_residents_of_that_area(client):
    world = World()
    admin = _admin(client)
    grant_area_role(admin, baerum(), role="officer", capabilities=["vouchers"])
    assert client.get(reverse("vouchers:resident_detail", args=[world.resident.pk])).status_code == 200
    assert AccessEvent.objects.filter(subject_id=str(world.resident.pk), actor=admin).exists()
