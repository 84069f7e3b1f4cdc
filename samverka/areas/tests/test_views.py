import pytest
from django.urls import reverse

from samverka.registry.tests.factories import (
    OrganisationFactory,
    OrganisationYearFactory,
    UserFactory,
    area,
    grant_area_role,
)

pytestmark = pytest.mark.django_db


def test_area_list_shows_countries_and_their_children(client):
    response = client.get(reverse("areas:list"))
    assert response.status_code == 200
    assert "Akershus" in response.text and "Pirkanmaan hyvinvointialue" in response.text


@pytest.mark.parametrize("query", ["bærum", "3201", "Tammerfors"])
def test_area_search_by_name_or_code(client, query):
    response = client.get(reverse("areas:list"), {"q": query})
    assert response.status_code == 200
    assert "Bærum" in response.text or "Tampere" in response.text


def test_area_detail_shows_names_parent_children_coordinators_and_totals(client):
    county = area("NO", "32")
    coordinator = UserFactory(full_name="Kari Koordinator")
    grant_area_role(coordinator, county)
    org = OrganisationFactory(areas=[area("NO", "3201")])
    OrganisationYearFactory(organisation=org, year=2025, volunteer_hours=16950)
    response = client.get(reverse("areas:detail", args=[county.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Kari Koordinator" in text
    assert "Bærum" in text  # a child area
    assert "10.0" in text  # 16,950 hours / 1,695 = 10 person-years
    assert f"?area={county.pk}" in text
    child = client.get(reverse("areas:detail", args=[area("NO", "3201").pk])).text
    assert reverse("areas:detail", args=[county.pk]) in child


def test_area_detail_unknown_is_404(client):
    assert client.get("/areas/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_area_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    county = area("NO", "32")
    org = OrganisationFactory(areas=[area("NO", "3201")])
    OrganisationYearFactory(organisation=org)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("areas:detail", args=[county.pk]))
    for i in range(20):
        more = OrganisationFactory(areas=[area("NO", "3203")])
        OrganisationYearFactory(organisation=more, year=2023 + i % 3)
        grant_area_role(UserFactory(), county)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("areas:detail", args=[county.pk]))


def test_area_list_query_count_is_small(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("areas:list"))
