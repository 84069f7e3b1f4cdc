import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.tests.factories import grant_area_role, make_user, staff_login
from samverka.agreements.models import Agreement, AgreementStatus
from samverka.registry.tests.factories import area

from .factories import make_world

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_staff_list_csv_has_the_same_rows_as_the_filtered_page(client):
    world = make_world()
    Agreement.objects.filter(pk=world.agreement.pk).update(title="=HYPERLINK(evil)")
    staff_login(client, world.coordinator)
    rows = _rows(client.get(reverse("agreements:index_csv")))
    assert rows[0][0] == "Title" and len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(evil)"  # a formula is quoted, never run by a spreadsheet
    assert "Bærum Besøksvenner" in rows[1][4]
    assert len(_rows(client.get(reverse("agreements:index_csv"), {"status": "active"}))) == 1


def test_staff_list_csv_of_another_area_holds_nothing(client):
    make_world()
    other = make_user()
    grant_area_role(other, area("SE", "17"), "coordinator")
    staff_login(client, other)
    assert len(_rows(client.get(reverse("agreements:index_csv")))) == 1


def test_register_csv_lists_in_force_agreements_ending_within_12_months(client):
    world = make_world()
    soon = timezone.localdate() + datetime.timedelta(days=60)
    Agreement.objects.filter(pk=world.agreement.pk).update(status=AgreementStatus.ACTIVE, ends=soon)
    staff_login(client, world.coordinator)
    rows = _rows(client.get(reverse("agreements:register_csv")))
    assert len(rows) == 2 and rows[1][6] == soon.isoformat()
    Agreement.objects.filter(pk=world.agreement.pk).update(ends=soon + datetime.timedelta(days=400))
    assert len(_rows(client.get(reverse("agreements:register_csv")))) == 1


def test_public_register_csv_needs_no_login_and_has_only_published_agreements(client):
    world = make_world()
    assert len(_rows(client.get(reverse("agreements:public_register_csv")))) == 1
    Agreement.objects.filter(pk=world.agreement.pk).update(published=True, status=AgreementStatus.ACTIVE)
    rows = _rows(client.get(reverse("agreements:public_register_csv"), {"area": str(world.municipality.pk)}))
    assert len(rows) == 2 and len(rows[0]) == 8 and "Review date" not in rows[0]


def test_staff_csv_needs_login(client):
    assert client.get(reverse("agreements:index_csv")).status_code == 302
    assert client.get(reverse("agreements:register_csv")).status_code == 302


def test_sort_links_keep_the_filters_and_the_register_has_an_empty_state(client):
    world = make_world()
    staff_login(client, world.coordinator)
    page = client.get(reverse("agreements:index"), {"status": "draft", "q": "a"})
    assert "status=draft&amp;q=a&amp;sort=ends" in page.text
    register = client.get(reverse("agreements:register"))
    assert register.status_code == 200 and "No agreement in force ends in the next 12 months." in register.text
    empty = client.get(reverse("agreements:index"), {"q": "nothing like this"})
    assert "No agreement matches the filter." in empty.text


def test_public_register_sorts_by_title(client):
    world = make_world()
    Agreement.objects.filter(pk=world.agreement.pk).update(published=True, status=AgreementStatus.ACTIVE)
    response = client.get(reverse("agreements:public_register"), {"sort": "title"})
    assert response.status_code == 200 and 'aria-sort="ascending"' in response.text
    assert client.get(reverse("agreements:public_register"), {"sort": "nonsense"}).status_code == 200


def test_register_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    world = make_world()
    soon = timezone.localdate() + datetime.timedelta(days=60)
    Agreement.objects.filter(pk=world.agreement.pk).update(status=AgreementStatus.ACTIVE, ends=soon)
    staff_login(client, world.coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("agreements:register"))
    original = Agreement.objects.get(pk=world.agreement.pk)
    for i in range(10):
        Agreement.objects.create(
            area=original.area, kind=original.kind, title=f"Avtale {i}", status=AgreementStatus.ACTIVE, ends=soon
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("agreements:register")).status_code == 200
