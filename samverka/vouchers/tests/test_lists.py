"""Lists: CSV export of every list (residents' export access-logged), sorting, empty states, bounded queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AccessEvent
from samverka.vouchers import services

from .factories import World, older_people, resident, voucher

pytestmark = pytest.mark.django_db
LAST_MONTH = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _world_with_history():
    world = World()
    world.claim(key="a", day=LAST_MONTH if world.voucher.valid_from <= LAST_MONTH else None)
    services.settlement_run(actor=world.officer, scheme=world.scheme, month=LAST_MONTH)
    world.claim(key="b")
    return world


def test_every_list_exports_csv_with_all_rows(client):
    world = _world_with_history()
    staff_login(client, world.officer)
    pk = world.scheme.pk
    schemes = _csv(client.get(reverse("vouchers:schemes") + "?format=csv"))
    assert schemes[1][1] == "Home help voucher" and len(schemes) == 2
    vouchers = _csv(client.get(reverse("vouchers:scheme_vouchers", args=[pk]) + "?format=csv"))
    assert len(vouchers) == 2 and vouchers[1][0] == str(world.voucher.pk)
    claims = _csv(client.get(reverse("vouchers:scheme_claims", args=[pk]) + "?format=csv&sort=date"))
    assert [row[10] for row in claims[1:]] == ["yes", "no"]  # settled, then open
    settlements = _csv(client.get(reverse("vouchers:scheme_settlements", args=[pk]) + "?format=csv"))
    assert len(settlements) == 2 and settlements[1][3] == "450.00"


def test_resident_csv_export_is_access_logged_for_every_resident(client):
    world = World()
    others = [resident(world.officer, full_name=f"Kari {i}") for i in range(3)]
    staff_login(client, world.officer)
    rows = _csv(client.get(reverse("vouchers:residents") + "?format=csv"))
    assert len(rows) == 1 + 4
    for r in [world.resident, *others]:
        event = AccessEvent.objects.get(subject_id=str(r.pk), purpose="export")
        assert "national_id" in event.fields


def test_resident_csv_keeps_the_search(client):
    world = World()
    resident(world.officer, full_name="Kari Nordmann")
    staff_login(client, world.officer)
    rows = _csv(client.get(reverse("vouchers:residents") + "?format=csv&q=Kari"))
    assert [row[1] for row in rows[1:]] == ["Kari Nordmann"]
    assert not AccessEvent.objects.filter(subject_id=str(world.resident.pk), purpose="export").exists()


def test_lists_sort_both_ways_and_ignore_unknown_sorts(client):
    world = World()
    services.scheme_create(
        actor=world.officer,
        area=world.scheme.area,
        data={
            "category": older_people(),
            "name": "Alpha scheme",
            "kind": "fixed_voucher",
            "currency": "NOK",
            "valid_from": datetime.date(2020, 1, 1),
            "price_ceiling": "900",
        },
    )
    staff_login(client, world.officer)
    url = reverse("vouchers:schemes")
    names = lambda q: [r[1] for r in _csv(client.get(url + q))[1:]]  # noqa: E731
    assert names("?format=csv&sort=name") == ["Alpha scheme", "Home help voucher"]
    assert names("?format=csv&sort=-name") == ["Home help voucher", "Alpha scheme"]
    assert names("?format=csv&sort=-ceiling") == ["Alpha scheme", "Home help voucher"]
    assert names("?format=csv&sort=drop table") == ["Alpha scheme", "Home help voucher"]
    page = client.get(url + "?sort=-name").content.decode()
    assert 'aria-sort="descending"' in page and "Download as CSV" in page


def test_empty_lists_say_so(client):
    world = World()
    staff_login(client, world.officer)
    assert "No claims yet." in client.get(reverse("vouchers:scheme_claims", args=[world.scheme.pk])).content.decode()
    body = client.get(reverse("vouchers:scheme_settlements", args=[world.scheme.pk])).content.decode()
    assert "No month has been settled yet." in body
    body = client.get(reverse("vouchers:scheme_vouchers", args=[world.scheme.pk]) + "?status=lapsed").content
    assert "No vouchers with this status." in body.decode()


def test_list_pages_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    world = _world_with_history()
    staff_login(client, world.officer)
    urls = [
        reverse(name, args=[world.scheme.pk])
        for name in ("vouchers:scheme_vouchers", "vouchers:scheme_claims", "vouchers:scheme_settlements")
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as q:
            assert client.get(url).status_code == 200
        counts[url] = len(q.captured_queries)
    for i in range(4):
        v = voucher(world.officer, world.scheme, resident(world.officer), world.accreditation)
        services.claim_create(
            actor=world.provider_user,
            voucher_id=v.pk,
            idempotency_key=f"more-{i}",
            units="1",
            service_date=datetime.date.today() - datetime.timedelta(days=1),
        )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_providers_and_strangers_get_no_lists(client):
    world = World()
    plain_login(client, world.provider_user)
    assert client.get(reverse("vouchers:residents") + "?format=csv").status_code == 403
    assert client.get(reverse("vouchers:scheme_claims", args=[world.scheme.pk]) + "?format=csv").status_code == 404
