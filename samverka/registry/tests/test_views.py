import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverka.audit.models import AuditEvent
from samverka.registry.models import Organisation, OrganisationYear

from .factories import (
    OrganisationFactory,
    OrganisationYearFactory,
    UserFactory,
    area,
    grant_area_role,
    grant_org_role,
    staff_login,
    valid_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory()
    grant_area_role(user, area("NO", "32"))
    staff_login(client, user)
    return user


def _form_data(**extra):
    return {
        "name": "Asker Frivilligsentral",
        "country": "NO",
        "org_number": valid_number("NO"),
        "legal_form": "association",
        "status": "active",
        "areas": [str(area("NO", "3203").pk)],
        "categories": ["social-care"],
        **extra,
    }


def test_public_list_and_detail_need_no_login(client):
    org = OrganisationFactory(name="Bærum Røde Kors", areas=[area("NO", "3201")])
    OrganisationYearFactory(organisation=org, year=2025, volunteer_hours=3390)
    assert "Bærum Røde Kors" in client.get(reverse("registry:public_list")).text
    page = client.get(reverse("registry:public_detail", args=[org.pk]))
    assert page.status_code == 200
    assert "2.0" in page.text  # person-years
    assert reverse("registry:edit", args=[org.pk]) not in page.text


def test_public_list_htmx_request_gets_only_the_results(client):
    OrganisationFactory(name="Blå Kors Eidsvoll")
    response = client.get(reverse("registry:public_list"), {"q": "Blå"}, HTTP_HX_REQUEST="true")
    assert "Blå Kors Eidsvoll" in response.text
    assert "<html" not in response.text


def test_staff_list_requires_login(client):
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302


def test_staff_list_is_403_for_users_without_an_area_role(client):
    user = UserFactory()
    grant_org_role(user, OrganisationFactory())
    client.force_login(user)
    assert client.get(reverse("registry:list")).status_code == 403


def test_revoked_role_loses_access_on_the_next_request(client):
    user = UserFactory()
    role = grant_area_role(user, area("NO", "32"))
    staff_login(client, user)
    assert client.get(reverse("registry:list")).status_code == 200
    role.delete()
    assert client.get(reverse("registry:list")).status_code == 403


def test_staff_list_filters_and_htmx_partial(client, coordinator):
    OrganisationFactory(name="Bærum Røde Kors", areas=[area("NO", "3201")])
    OrganisationFactory(name="Asker Blå Kors", areas=[area("NO", "3203")])
    response = client.get(reverse("registry:list"), {"area": str(area("NO", "3201").pk)}, HTTP_HX_REQUEST="true")
    assert "Bærum Røde Kors" in response.text and "Asker Blå Kors" not in response.text
    assert "<html" not in response.text
    full = client.get(reverse("registry:list"), {"sort": "-name"})
    assert full.text.index("Bærum Røde Kors") < full.text.index("Asker Blå Kors")
    assert 'hx-get="' in full.text and 'aria-sort="descending"' in full.text


def test_column_headers_keep_the_filters_drop_the_page_and_toggle_the_sort(client, coordinator):
    OrganisationFactory(name="Bærum Røde Kors", areas=[area("NO", "3201")])
    response = client.get(reverse("registry:list"), {"q": "Røde", "area": "", "sort": "name", "page": "1"})
    text = response.text
    assert 'href="?q=R%C3%B8de&amp;area=&amp;sort=-name"' in text  # the current column reverses
    assert 'href="?q=R%C3%B8de&amp;area=&amp;sort=number"' in text
    assert "page=" not in text.split("<thead>")[1].split("</thead>")[0]


def test_export_contains_exactly_the_filtered_rows(client, coordinator):
    for i in range(3):
        OrganisationFactory(name=f"Bærum lag {i}", areas=[area("NO", "3201")])
    OrganisationFactory(name="Asker lag", areas=[area("NO", "3203")])
    OrganisationFactory(name="Karlstad förening", country="SE", areas=[area("SE", "1780")])
    params = {"area": str(area("NO", "3201").pk)}
    response = client.get(reverse("registry:export_csv"), params)
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == ["Bærum lag 0", "Bærum lag 1", "Bærum lag 2"]
    xlsx = client.get(reverse("registry:export_xlsx"), params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["Bærum lag 0", "Bærum lag 1", "Bærum lag 2"]


def test_export_neutralises_spreadsheet_formulas(client, coordinator):
    OrganisationFactory(name='=HYPERLINK("x")', areas=[area("NO", "3201")])
    response = client.get(reverse("registry:export_csv"))
    assert "'=HYPERLINK" in b"".join(response.streaming_content).decode()


def test_create_form_with_bad_checksum_shows_a_field_error_with_422(client, coordinator):
    response = client.post(reverse("registry:create"), _form_data(org_number="998877661"))
    assert response.status_code == 422
    assert "check digit" in response.text
    assert 'href="#id_org_number"' in response.text
    assert not Organisation.objects.exists()


def test_create_form_with_duplicate_number_is_422(client, coordinator):
    existing = OrganisationFactory()
    response = client.post(reverse("registry:create"), _form_data(org_number=existing.org_number))
    assert response.status_code == 422
    assert "already registered" in response.text


def test_create_form_registers_and_redirects(client, coordinator):
    response = client.post(reverse("registry:create"), _form_data())
    org = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:public_detail", args=[org.pk])
    assert AuditEvent.objects.filter(action="organisation.create", actor=coordinator).exists()


def test_organisation_admin_edits_own_org_but_gets_404_on_another(client):
    own = OrganisationFactory(name="Mental Helse Lørenskog")
    other = OrganisationFactory()
    user = UserFactory()
    grant_org_role(user, own)
    client.force_login(user)
    assert client.get(reverse("registry:edit", args=[own.pk])).status_code == 200
    response = client.post(
        reverse("registry:edit", args=[own.pk]),
        {
            "name": "Mental Helse Lørenskog",
            "legal_form": "association",
            "status": "active",
            "expertise": "Likepersoner",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.expertise == "Likepersoner"
    assert client.get(reverse("registry:edit", args=[other.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(other.pk)).exists()


def test_cross_area_edit_and_history_are_404_and_audited(client, coordinator):
    org = OrganisationFactory(country="SE", areas=[area("SE", "1780")])
    assert client.get(reverse("registry:edit", args=[org.pk])).status_code == 404
    assert client.get(reverse("registry:history", args=[org.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(org.pk)).count() == 2


def test_history_for_coordinators_only(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")])
    client.post(reverse("registry:years", args=[org.pk]), {"year": 2024, "members": 7})
    response = client.get(reverse("registry:history", args=[org.pk]))
    assert response.status_code == 200 and "Yearly figures: created" in response.text
    assert "<dt>Members</dt>" in response.text and "organisation_year.create" not in response.text
    officer = UserFactory()
    grant_area_role(officer, area("NO", "32"), role="officer")
    staff_login(client, officer)
    assert client.get(reverse("registry:history", args=[org.pk])).status_code == 404


def test_history_names_fields_values_areas_and_categories_in_the_readers_language(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")], legal_form="association")
    client.post(
        reverse("registry:edit", args=[org.pk]),
        _form_data(
            name=org.name,
            org_number=org.org_number,
            legal_form="foundation",
            areas=[str(area("NO", "3203").pk)],
            categories=["health"],
        ),
    )
    text = client.get(reverse("registry:history", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="nb").text
    assert "Stiftelse" in text  # the legal form's label, not its code
    assert area("NO", "3203").display_name in text and str(area("NO", "3203").pk) not in text
    assert "legal_form" not in text


def test_years_page_adds_edits_and_deletes_with_confirmation(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")])
    url = reverse("registry:years", args=[org.pk])
    assert client.post(url, {"year": 2024, "members": 7, "volunteer_hours": 1695}).status_code == 302
    assert client.post(url, {"year": 2024, "members": -3}).status_code == 422
    page = client.get(url, {"year": 2024})
    assert 'value="7"' in page.text
    delete_url = reverse("registry:year_delete", args=[org.pk, 2024])
    assert client.get(delete_url).status_code == 200
    assert OrganisationYear.objects.exists()
    client.post(delete_url)
    assert not OrganisationYear.objects.exists()


def test_staff_list_query_count_does_not_grow_with_rows(client, coordinator, django_assert_max_num_queries):
    for i in range(3):
        OrganisationFactory(name=f"Lag {i}", areas=[area("NO", "3201")])
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("registry:list"))
    for i in range(30):
        OrganisationFactory(name=f"Mer {i}", areas=[area("NO", "3201")])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("registry:list")).status_code == 200


def test_staff_list_by_county_and_category_keeps_its_query_count_and_escapes_every_cell(
    client, coordinator, django_assert_max_num_queries
):
    from samverka.registry.models import Category

    health, culture = Category.objects.get(code="health"), Category.objects.get(code="culture")
    query = {"area": str(area("NO", "32").pk), "category": "health"}
    OrganisationFactory(name="Lag <b>først</b>", areas=[area("NO", "3201")], categories=[health, culture])
    with django_assert_max_num_queries(25) as small:
        first = client.get(reverse("registry:list"), query)
    assert "Lag &lt;b&gt;først&lt;/b&gt;" in first.text and "<b>først</b>" not in first.text
    assert f'<span class="tag">{culture.display_name}</span>' in first.text
    for i in range(30):
        OrganisationFactory(name=f"Mer {i}", areas=[area("NO", "3203")], categories=[health])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("registry:list"), query)
    assert page.status_code == 200
    assert page.text.count("<tr>") == 1 + 25  # the header row and a full page


def test_public_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    OrganisationFactory()
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("registry:public_list"))
    for _ in range(30):
        OrganisationFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("registry:public_list"))


def test_the_trusted_publisher_box_is_on_the_coordinators_edit_page_only(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")])
    url = reverse("registry:edit", args=[org.pk])
    assert 'name="trusted_publisher"' in client.get(url).text
    officer = UserFactory()
    grant_area_role(officer, area("NO", "3201"), role="officer")
    staff_login(client, officer)
    assert 'name="trusted_publisher"' not in client.get(url).text


def test_the_lists_export_links_carry_its_filters_and_export_exactly_its_rows(client, coordinator):
    import html
    import re

    from samverka.registry.models import Category

    health, culture = Category.objects.get(code="health"), Category.objects.get(code="culture")
    bærum, asker = area("NO", "3201"), area("NO", "3203")
    OrganisationFactory(name="Bærum Sanitet", areas=[bærum], categories=[health])
    OrganisationFactory(name="Bærum Kulturlag", areas=[bærum], categories=[culture])
    OrganisationFactory(name="Asker Sanitet", areas=[asker], categories=[health])
    page = client.get(reverse("registry:list"), {"area": str(bærum.pk), "category": "health"}).text
    links = [html.unescape(h) for h in re.findall(r'href="([^"]*/export\.(?:csv|xlsx)\?[^"]*)"', page)]
    assert len(links) == 2 and all(f"area={bærum.pk}" in link and "category=health" in link for link in links)
    exported = client.get(next(link for link in links if ".csv" in link))
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Bærum Sanitet"]
    sheet = load_workbook(io.BytesIO(client.get(next(link for link in links if ".xlsx" in link)).content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Bærum Sanitet"]


def test_the_lists_count_and_caption_are_in_the_pages_language_and_no_match_says_so(client, coordinator):
    OrganisationFactory(name="Lag 1", areas=[area("NO", "3201")])
    OrganisationFactory(name="Lag 2", areas=[area("NO", "3201")])
    page = client.get(reverse("registry:list"), {"area": str(area("NO", "3201").pk)}, HTTP_ACCEPT_LANGUAGE="nb")
    assert ">2 organisasjoner</h2>" in page.text and "<caption>Organisasjon 1–2 av 2</caption>" in page.text
    empty = client.get(reverse("registry:list"), {"q": "no such name at all"}, HTTP_ACCEPT_LANGUAGE="en").text
    assert ">0 organisations</h2>" in empty and "No organisation matches these filters." in empty
    assert "<table" not in empty.split('id="results"', 1)[1]
