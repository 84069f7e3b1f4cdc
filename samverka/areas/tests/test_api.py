import pytest

from samverka.registry.tests.factories import area

pytestmark = pytest.mark.django_db


def test_areas_filter_by_country_kind_parent_and_q(client):
    county = area("NO", "32")
    body = client.get("/api/v1/areas", {"parent": str(county.pk), "kind": "municipality"}).json()
    assert body["count"] == 21
    assert {r["country"] for r in body["results"]} == {"NO"}
    found = client.get("/api/v1/areas", {"country": "FI", "q": "Tampere"}).json()
    assert [r["code"] for r in found["results"]] == ["837"]


def test_area_detail(client):
    bærum = area("NO", "3201")
    body = client.get(f"/api/v1/areas/{bærum.pk}").json()
    assert body["name"] == "Bærum" and body["external_code"] == "NO-3201"
    assert client.get("/api/v1/areas/00000000-0000-0000-0000-000000000000").status_code == 404


def test_bad_filter_is_422(client):
    response = client.get("/api/v1/areas", {"kind": "planet"})
    assert response.status_code == 422 and "kind" in response.json()["errors"]
