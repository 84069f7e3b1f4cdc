"""/api/v1/catalogue/: the finder as JSON, writes with the publishing rules, proposals, errors as 4xx."""

import pytest

from samverka.accounts.tests.factories import make_user, plain_login, staff_login
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, org_member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalogue"


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag API")


def test_public_list_and_detail(client, org):
    service = make_service(org, name_nb="Kaffetreff")
    body = client.get(f"{BASE}/services", {"q": "kaffetreff"}).json()
    assert [r["id"] for r in body["results"]] == [str(service.pk)]
    assert client.get(f"{BASE}/services/{service.pk}").json()["state"]["name_nb"] == "Kaffetreff"


@pytest.mark.parametrize("params", [{"age": "x"}, {"category": "nope"}, {"page_size": 5000}, {"page": 0}])
def test_bad_finder_parameters_are_422(client, params):
    response = client.get(f"{BASE}/services", params)
    assert response.status_code == 422 and response.json()["errors"]


def test_member_patch_creates_a_proposal_that_a_coordinator_approves(client, org):
    service = make_service(org, name_nb="Kaffetreff")
    plain_login(client, org_member(org, "member"))
    body = client.patch(
        f"{BASE}/services/{service.pk}", {"name_nb": "Suppetreff"}, content_type="application/json"
    ).json()
    assert body["proposal_id"] and body["service"]["state"]["name_nb"] == "Kaffetreff"
    staff_login(client, coordinator_for("32"))
    assert len(client.get(f"{BASE}/proposals").json()) == 1
    approved = client.post(f"{BASE}/proposals/{body['proposal_id']}/approve", {}, content_type="application/json")
    assert approved.status_code == 200
    again = client.post(f"{BASE}/proposals/{body['proposal_id']}/approve", {}, content_type="application/json")
    assert again.status_code == 409


def test_create_with_bad_schedule_is_422_and_names_the_field(client, org):
    plain_login(client, org_member(org))
    payload = {
        "organisation_id": str(org.pk),
        "name_nb": "X",
        "kind": "activity",
        "access_mode": "drop_in",
        "schedules": [{"rrule": "FREQ=WHENEVER", "dtstart": "2025-01-01", "opens_at": "10:00", "closes_at": "11:00"}],
    }
    response = client.post(f"{BASE}/services", payload, content_type="application/json")
    assert response.status_code == 422
    assert "schedules.0.rrule" in response.json()["errors"]


def test_outsider_cannot_patch(client, org):
    service = make_service(org)
    plain_login(client, make_user())
    assert (
        client.patch(f"{BASE}/services/{service.pk}", {"name_nb": "X"}, content_type="application/json").status_code
        == 404
    )


def test_anonymous_cannot_write(client, org):
    assert client.post(f"{BASE}/services", {}, content_type="application/json").status_code == 401
