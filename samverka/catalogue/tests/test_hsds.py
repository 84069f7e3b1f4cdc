"""The HSDS 3 API at /api/hsds/: paths, paging envelope, filters, and every object valid against the schemas."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from samverka.catalogue.models import TaxonomyTerm
from samverka.catalogue.services import location_create
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import make_service, platform_admin

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[1] / "standards" / "hsds-3"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def _registry() -> Registry:
    resources = []
    for name in ("taxonomy.json", "taxonomy_term.json", "metadata.json"):
        resources.append(
            (name, Resource.from_contents(json.loads((SCHEMAS / name).read_text()), default_specification=_spec()))
        )
    return Registry().with_resources(resources)


def _spec():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, obj: dict) -> None:
    errors = sorted(validator(name).iter_errors(obj), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def world():
    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag H", purpose="Hjelp", email="post@lag.no")
    admin = platform_admin()
    place = location_create(
        actor=admin,
        organisation=org,
        data={
            "name": "Huset",
            "street_address": "Gata 1",
            "postal_code": "1337",
            "city": "Sandvika",
            "municipality": str(area("NO", "3201").pk),
            "latitude": "59.89",
            "longitude": "10.52",
            "accessibility": "Trinnfri inngang",
        },
    )
    service = make_service(
        org,
        actor=admin,
        name_nb="Kaffetreff",
        name_en="Coffee meeting",
        summary_nb="Kaffe og prat.",
        categories=["loneliness"],
        languages=["nb", "ar"],
        min_age=18,
        phone="+47 22 22 22 22",
        email="treff@lag.no",
        contact_name="Kari",
        locations=[str(place.pk)],
        areas=[str(area("NO", "3201").pk)],
        schedules=[
            {
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "dtstart": "2025-01-07",
                "opens_at": "18:00",
                "closes_at": "20:00",
                "exceptions": ["2025-04-15"],
            },
            {"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2025-01-07", "opens_at": "10:00", "closes_at": "11:00"},
            {"rrule": "FREQ=YEARLY", "dtstart": "2025-05-17", "opens_at": "10:00", "closes_at": "11:00"},
        ],
    )
    return {"org": org, "service": service, "place": place}


def test_api_info(client):
    body = client.get("/api/hsds/").json()
    assert body["version"] == "3.0" and body["openapi_url"].endswith("/openapi.json")


def test_services_list_envelope_and_objects_validate(client, world):
    body = client.get("/api/hsds/services", {"per_page": 10}).json()
    assert set(body) == PAGE_KEYS and body["total_items"] == 1 and body["first_page"] and body["last_page"]
    for item in body["contents"]:
        assert_valid("compiled/service_list.json", item)


def test_service_full_validates_and_ids_are_stable(client, world):
    url = f"/api/hsds/services/{world['service'].pk}"
    first = client.get(url, {"lang": "en"}).json()
    assert first["name"] == "Coffee meeting"
    assert_valid("compiled/service.json", first)
    assert client.get(url).json()["phones"][0]["id"] == first["phones"][0]["id"]


def test_services_filters(client, world):
    term = TaxonomyTerm.objects.get(code="loneliness")
    other = TaxonomyTerm.objects.get(code="grief")
    assert client.get("/api/hsds/services", {"taxonomy_term_id": term.pk}).json()["total_items"] == 1
    assert client.get("/api/hsds/services", {"taxonomy_term_id": other.pk}).json()["total_items"] == 0
    assert client.get("/api/hsds/services", {"organization_id": world["org"].pk}).json()["total_items"] == 1
    assert client.get("/api/hsds/services", {"search": "kaffetreff"}).json()["total_items"] == 1
    assert client.get("/api/hsds/services", {"search": "kafetreff"}).json()["total_items"] == 1
    assert client.get("/api/hsds/services", {"modified_after": "2999-01-01T00:00:00Z"}).json()["total_items"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"taxonomy_term_id": "00000000-0000-0000-0000-000000000000"}, "taxonomy_term_id"),
        ({"taxonomy_term_id": "nope"}, "taxonomy_term_id"),
        ({"per_page": 5000}, "per_page"),
        ({"page": 0}, "page"),
        ({"modified_after": "yesterday"}, "modified_after"),
        ({"lang": "de"}, "lang"),
    ],
)
def test_bad_parameters_answer_422_with_the_field(client, params, field):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_organizations_validate(client, world):
    body = client.get("/api/hsds/organizations").json()
    assert set(body) == PAGE_KEYS
    for item in body["contents"]:
        assert_valid("compiled/organization_list.json", item)
    full = client.get(f"/api/hsds/organizations/{world['org'].pk}").json()
    assert_valid("compiled/organization.json", full)
    assert [s["id"] for s in full["services"]] == [str(world["service"].pk)]


def test_service_at_locations_validate(client, world):
    body = client.get("/api/hsds/service_at_locations").json()
    assert body["total_items"] == 1
    for item in body["contents"]:
        assert_valid("compiled/service_at_location_list.json", item)


def test_taxonomies_and_terms_validate(client):
    for item in client.get("/api/hsds/taxonomies").json()["contents"]:
        assert_valid("taxonomy.json", item)
    terms = client.get("/api/hsds/taxonomy_terms", {"per_page": 200, "lang": "fi"}).json()
    assert terms["total_items"] >= 10
    for item in terms["contents"]:
        assert_valid("taxonomy_term.json", item)


def test_unknown_service_is_404(client):
    assert client.get("/api/hsds/services/00000000-0000-0000-0000-000000000000").status_code == 404


def test_the_schema_check_really_rejects_bad_objects():
    assert list(validator("compiled/service.json").iter_errors({"id": "x", "status": "open"}))
