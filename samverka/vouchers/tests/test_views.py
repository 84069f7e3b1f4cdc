import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AccessEvent, AuditEvent
from samverka.vouchers import services
from samverka.vouchers.models import Claim, Resident, Settlement

from .factories import World, provider, resident, voucher

pytestmark = pytest.mark.django_db
LAST_MONTH = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)


def _settled(world):
    world.claim(day=LAST_MONTH if world.voucher.valid_from <= LAST_MONTH else None)
    run = services.settlement_run(actor=world.officer, scheme=world.scheme, month=LAST_MONTH)
    return run.settlements.get()


def test_officer_pages_render(client):
    world = World()
    settlement = _settled(world)
    staff_login(client, world.officer)
    for url in [
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
        reverse("vouchers:settlement_detail", args=[settlement.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_public_pages_render_without_login(client):
    world = World()
    assert client.get(reverse("vouchers:index")).status_code == 200
    response = client.get(reverse("vouchers:compare", args=[world.scheme.pk]))
    assert response.status_code == 200 and "450" in response.content.decode()


def test_every_resident_read_writes_an_access_event(client):
    world = World()
    staff_login(client, world.officer)
    before = AccessEvent.objects.filter(subject_id=str(world.resident.pk)).count()
    client.get(reverse("vouchers:residents"))
    client.get(reverse("vouchers:resident_detail", args=[world.resident.pk]))
    client.get(reverse("vouchers:voucher_detail", args=[world.voucher.pk]))
    events = AccessEvent.objects.filter(subject_id=str(world.resident.pk))
    assert events.count() == before + 3
    assert set(events.values_list("purpose", flat=True)) >= {"list", "view", "voucher.view"}


def test_access_log_page_and_csv(client):
    world = World()
    staff_login(client, world.officer)
    client.get(reverse("vouchers:resident_detail", args=[world.resident.pk]))
    response = client.get(reverse("vouchers:access_log", args=[world.resident.pk]) + "?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert world.officer.email in response.content.decode()


def test_provider_sees_own_clients_with_limited_fields(client):
    world = World()
    plain_login(client, world.provider_user)
    response = client.get(reverse("vouchers:provider_home"))
    assert response.status_code == 200
    body = client.get(reverse("vouchers:voucher_detail", args=[world.voucher.pk])).content.decode()
    assert "Ola Testperson" in body and world.resident.national_id not in body
    event = AccessEvent.objects.filter(subject_id=str(world.resident.pk), purpose="voucher.view").latest("created_at")
    assert "national_id" not in event.fields


def test_provider_cannot_see_another_providers_client(client):
    world = World()
    _acc, other = provider(world.officer, world.scheme, name="Annen")
    plain_login(client, other)
    assert client.get(reverse("vouchers:voucher_detail", args=[world.voucher.pk])).status_code == 404
    assert client.get(reverse("vouchers:resident_detail", args=[world.resident.pk])).status_code in (403, 404)
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.voucher.pk)).exists()
    assert "Ola Testperson" not in client.get(reverse("vouchers:provider_home")).content.decode()


def test_officer_of_another_area_gets_404(client):
    world = World()
    from samverka.registry.tests.factories import area

    from .factories import officer

    stranger = officer(area("NO", "03", "county"))
    staff_login(client, stranger)
    assert client.get(reverse("vouchers:resident_detail", args=[world.resident.pk])).status_code == 404
    assert client.get(reverse("vouchers:scheme_detail", args=[world.scheme.pk])).status_code == 404


def test_claim_page_double_submit_records_one_claim(client):
    world = World()
    plain_login(client, world.provider_user)
    url = reverse("vouchers:claim_create", args=[world.voucher.pk])
    data = {"idempotency_key": "form-key-1", "service_date": (datetime.date.today()).isoformat(), "units": "1"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Claim.objects.count() == 1


def test_claim_page_above_balance_shows_reason_and_409(client):
    world = World(units="1")
    plain_login(client, world.provider_user)
    url = reverse("vouchers:claim_create", args=[world.voucher.pk])
    response = client.post(
        url, {"idempotency_key": "k", "service_date": datetime.date.today().isoformat(), "units": "5"}
    )
    assert response.status_code == 409 and "remaining balance" in response.content.decode()


def test_settlement_csv_and_pdf(client):
    world = World()
    settlement = _settled(world)
    plain_login(client, world.provider_user)
    csv_response = client.get(reverse("vouchers:settlement_csv", args=[settlement.pk]))
    assert csv_response.status_code == 200 and "450.00" in csv_response.content.decode()
    pdf = client.get(reverse("vouchers:settlement_pdf", args=[settlement.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_settling_a_month_twice_is_409_on_the_page(client):
    world = World()
    _settled(world)
    staff_login(client, world.officer)
    response = client.post(reverse("vouchers:settle", args=[world.scheme.pk]), {"month": LAST_MONTH.strftime("%Y-%m")})
    assert response.status_code == 409
    assert Settlement.objects.count() == 1


def test_erasure_keeps_amounts_and_access_log(client):
    world = World()
    world.claim()
    staff_login(client, world.officer)
    client.get(reverse("vouchers:resident_detail", args=[world.resident.pk]))
    response = client.post(reverse("vouchers:resident_erase", args=[world.resident.pk]))
    assert response.status_code == 302
    r = Resident.objects.get(pk=world.resident.pk)
    assert r.erased_at and r.full_name == "erased" and r.phone == "" and r.national_id.startswith("erased:")
    assert AccessEvent.objects.filter(subject_id=str(r.pk)).exists()
    assert Claim.objects.filter(voucher__resident=r).count() == 1


def test_invalid_identity_number_is_422_with_message(client):
    world = World()
    staff_login(client, world.officer)
    from .factories import baerum

    response = client.post(
        reverse("vouchers:resident_create"),
        {
            "area": str(baerum().pk),
            "full_name": "Kari",
            "id_country": "NO",
            "national_id": "01018012345",
            "preferred_language": "nb",
        },
    )
    assert response.status_code == 422 and "not a valid national identity number" in response.content.decode()


def test_swedish_and_finnish_identity_numbers_are_accepted():
    world = World()
    se = resident(world.officer, id_country="SE", national_id="19121212-1212")
    fi = resident(world.officer, id_country="FI", national_id="131052-308T")
    assert se.national_id and fi.national_id


def test_scheme_page_query_count_does_not_grow_with_vouchers(client, django_assert_max_num_queries):
    world = World()
    staff_login(client, world.officer)
    url = reverse("vouchers:scheme_detail", args=[world.scheme.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(5):
        voucher(world.officer, world.scheme, resident(world.officer), world.accreditation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_resident_list_query_count_is_bounded(client, django_assert_max_num_queries):
    world = World()
    staff_login(client, world.officer)
    for _ in range(3):
        resident(world.officer)
    # One AccessEvent insert per resident shown: bounded by the page size (25), never by the table size.
    with django_assert_max_num_queries(25 + 20):
        assert client.get(reverse("vouchers:residents")).status_code == 200
