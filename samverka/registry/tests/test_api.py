import pytest

from samverka.audit.models import AuditEvent
from samverka.registry.models import Organisation

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
BASE = "/api/v1/registry/organisations"


@pytest.fixture
def coordinator(client):
    user = UserFactory()
    grant_area_role(user, area("NO", "32"))
    staff_login(client, user)
    return user


def _payload(**extra):
    return {
        "country": "NO",
        "org_number": valid_number("NO"),
        "name": "LHL Lillestrøm",
        "areas": [str(area("NO", "3205").pk)],
        "categories": ["health"],
        **extra,
    }


def test_list_is_paginated_and_filtered(client, coordinator):
    for i in range(3):
        OrganisationFactory(name=f"Lag {i}", areas=[area("NO", "3201")])
    OrganisationFactory(name="Asker", areas=[area("NO", "3203")])
    body = client.get(BASE, {"area": str(area("NO", "3201").pk), "page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert body["results"][0]["name"] == "Lag 0"


def test_list_needs_an_area_role(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(BASE).status_code == 403


def test_create_with_bad_checksum_is_422_with_a_field_error(client, coordinator):
    response = client.post(BASE, _payload(org_number="998877661"), content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and "org_number" in body["errors"]
    assert not Organisation.objects.exists()


def test_create_with_duplicate_number_is_422(client, coordinator):
    existing = OrganisationFactory()
    response = client.post(BASE, _payload(org_number=existing.org_number), content_type="application/json")
    assert response.status_code == 422
    assert "org_number" in response.json()["errors"]


def test_create_then_get_and_patch(client, coordinator):
    response = client.post(BASE, _payload(), content_type="application/json")
    assert response.status_code == 201
    org_id = response.json()["id"]
    assert client.get(f"{BASE}/{org_id}").json()["categories"] == ["health"]
    patched = client.patch(
        f"{BASE}/{org_id}", {"target_groups": ["elderly"], "website": "https://lhl.no"}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert patched.json()["target_groups"] == ["elderly"] and patched.json()["categories"] == ["health"]


def test_cross_area_read_is_404_and_audited(client, coordinator):
    org = OrganisationFactory(country="SE", areas=[area("SE", "1780")])
    response = client.get(f"{BASE}/{org.pk}")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(org.pk), actor=coordinator).exists()


def test_years_get_and_put(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")])
    url = f"{BASE}/{org.pk}/years/2024"
    assert client.get(url).status_code == 404
    response = client.put(url, {"members": 40, "volunteer_hours": 3390}, content_type="application/json")
    assert response.status_code == 200 and response.json()["person_years"] == "2.0"
    assert client.get(url).json()["members"] == 40
    bad = client.put(url, {"members": -1}, content_type="application/json")
    assert bad.status_code == 422 and "members" in bad.json()["errors"]


def test_organisation_admin_can_patch_own_org_but_not_another(client):
    own, other = OrganisationFactory(), OrganisationFactory()
    user = UserFactory()
    grant_org_role(user, own)
    client.force_login(user)
    ok = client.patch(f"{BASE}/{own.pk}", {"expertise": "Likepersoner"}, content_type="application/json")
    assert ok.status_code == 200
    assert client.patch(f"{BASE}/{other.pk}", {"expertise": "x"}, content_type="application/json").status_code == 404


def test_latest_year_in_detail(client, coordinator):
    org = OrganisationFactory(areas=[area("NO", "3201")])
    OrganisationYearFactory(organisation=org, year=2023)
    OrganisationYearFactory(organisation=org, year=2025, members=9)
    assert client.get(f"{BASE}/{org.pk}").json()["latest_year"]["year"] == 2025
