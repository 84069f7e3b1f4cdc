"""`import-hsds` of every kind of HSDS object: each official example file imports with its counts, and again
changes nothing; organisations are completed, never overwritten; files without HSDS records say why."""

import json
from pathlib import Path

import pytest

from samverka.catalogue.hsds_io import HsdsFileError, import_dataset, read_dataset
from samverka.catalogue.hsds_io.reader import kind_of
from samverka.catalogue.models import Location, Service, Taxonomy, TaxonomyTerm
from samverka.catalogue.search.query import match_sql  # noqa: F401 (index tables exist)
from samverka.registry.models import Organisation
from samverka.registry.tests.factories import OrganisationFactory, area

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[1] / "standards" / "hsds-3" / "examples"
EXAMPLE_ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
EXAMPLE_LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
EXAMPLE_TERM = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
EXAMPLE_TAXONOMY = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"

SERVICE_WITH_LOCATION = {"organization": (0, 1), "location": (1, 0), "service": (1, 0)}
# example → what its first import creates and updates, per kind: (created, updated)
FIRST_RUN = {
    "location.json": {"location": (1, 0)},
    # the organization's own location, then again through its service
    "organization_full.json": {"organization": (0, 1), "location": (1, 0), "service": (1, 0)},
    "organization_list.json": {"organization": (0, 1)},
    "service_at_location_full.json": SERVICE_WITH_LOCATION,
    "service_at_location_list.json": SERVICE_WITH_LOCATION,
    "service_full.json": SERVICE_WITH_LOCATION,
    "service_list.json": {"organization": (0, 1), "service": (1, 0)},
    "taxonomy.json": {"taxonomy": (1, 0)},
    "taxonomy_list.json": {"taxonomy": (1, 0)},
    "taxonomy_term.json": {"taxonomy_term": (1, 0)},
    "taxonomy_term_list.json": {"taxonomy_term": (1, 0)},
    "csv": {**SERVICE_WITH_LOCATION, "taxonomy": (1, 0), "taxonomy_term": (1, 0)},
}
NOT_RECORDS = {
    "base.json": "holds no HSDS services, organizations, locations or taxonomy terms",
    "tabular.json": "import its data package instead",
}


def test_every_official_example_file_is_covered_here():
    assert {p.name for p in EXAMPLES.glob("*.json")} | {"csv"} == set(FIRST_RUN) | set(NOT_RECORDS)


@pytest.fixture
def example_org():
    """The examples' organization, in the registry with the fields the dataset may fill left empty."""
    home = area("NO", "3201")
    org = OrganisationFactory(id=EXAMPLE_ORG, home_area=home, name="Example", email="", website="", purpose="")
    return {"org": org, "area": home}


@pytest.mark.parametrize("name", sorted(FIRST_RUN))
def test_an_official_example_imports_with_its_counts_and_a_second_run_changes_nothing(name, example_org):
    report = import_dataset(read_dataset(EXAMPLES / name), language="en", area=example_org["area"])
    assert report.rejected == []
    got = {kind: (c["created"], c["updated"]) for kind, c in report.counts.items() if c["created"] or c["updated"]}
    assert got == FIRST_RUN[name]
    again = import_dataset(read_dataset(EXAMPLES / name), language="en", area=example_org["area"])
    assert again.rejected == []
    assert all(c["created"] == c["updated"] == 0 for c in again.counts.values()), again.counts
    assert set(again.counts) == set(report.counts)


@pytest.mark.parametrize("name", sorted(NOT_RECORDS))
def test_a_file_without_hsds_records_stops_saying_why(name):
    with pytest.raises(HsdsFileError, match=NOT_RECORDS[name]):
        read_dataset(EXAMPLES / name)


def test_a_location_on_its_own_is_owned_by_the_area_and_keeps_its_id(example_org):
    import_dataset(read_dataset(EXAMPLES / "location.json"), language="en", area=example_org["area"])
    location = Location.objects.get(pk=EXAMPLE_LOCATION)
    assert (location.organisation_id, location.area_id) == (None, example_org["area"].pk)
    assert location.name == "MyCity Civic Center"
    assert location.latitude is None  # the example's (100, 101) is not on Earth


def test_a_location_without_an_owner_is_rejected_and_nothing_is_written():
    report = import_dataset(read_dataset(EXAMPLES / "location.json"), language="en")
    assert report.counts["location"]["rejected"] == 1
    assert "--area" in report.rejected[0][2]
    assert not Location.objects.exists()


def test_the_organizations_own_location_belongs_to_it(example_org):
    import_dataset(read_dataset(EXAMPLES / "organization_full.json"), language="en", area=example_org["area"])
    assert str(Location.objects.get(pk=EXAMPLE_LOCATION).organisation_id) == EXAMPLE_ORG
    assert str(Service.objects.get().organisation_id) == EXAMPLE_ORG


def test_an_organisation_is_completed_and_never_overwritten(example_org):
    org = example_org["org"]
    Organisation.objects.filter(pk=org.pk).update(email="post@lag.no", name="Lag R")
    report = import_dataset(read_dataset(EXAMPLES / "organization_list.json"), language="en")
    assert report.counts["organization"]["updated"] == 1
    org.refresh_from_db()
    # filled where it was empty …
    assert org.website == "http://example.com" and org.purpose.startswith("Example Org is a non-profit")
    # … kept where the registry had a value
    assert (org.email, org.name) == ("post@lag.no", "Lag R")


def test_an_organisation_not_in_the_registry_without_a_nordic_number_is_rejected_with_the_reason():
    report = import_dataset(read_dataset(EXAMPLES / "organization_list.json"), language="en")
    assert report.counts["organization"] == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "organisation number" in report.rejected[0][2]
    assert not Organisation.objects.exists()


def test_an_organisation_is_registered_from_a_list_by_its_number(tmp_path):
    home = area("NO", "3201")
    org = {"id": "77777777-7777-4777-8777-777777777777", "name": "Lag", "description": "Hjelp", "tax_id": "974760673"}
    path = tmp_path / "organizations.json"
    path.write_text(json.dumps({"contents": [org]}), encoding="utf-8")
    report = import_dataset(read_dataset(path), language="nb", area=home)
    assert report.counts["organization"]["created"] == 1, report.rejected
    assert Organisation.objects.get(org_number="974760673").purpose == "Hjelp"


def test_a_taxonomy_term_keeps_its_code_and_its_taxonomy_from_the_detail():
    import_dataset(read_dataset(EXAMPLES / "taxonomy_term.json"), language="en")
    term = TaxonomyTerm.objects.get(pk=EXAMPLE_TERM)
    assert (term.code, term.external_code) == ("code", "code")
    assert str(term.taxonomy_id) == EXAMPLE_TAXONOMY


def test_a_term_already_known_by_its_code_is_matched_not_created(tmp_path):
    import_dataset(read_dataset(EXAMPLES / "taxonomy_term.json"), language="en")
    again = {**json.loads((EXAMPLES / "taxonomy_term.json").read_text()), "id": "88888888-8888-4888-8888-888888888888"}
    path = tmp_path / "taxonomy_term.json"
    path.write_text(json.dumps(again), encoding="utf-8")
    report = import_dataset(read_dataset(path), language="en")
    assert report.counts["taxonomy_term"] == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert TaxonomyTerm.objects.filter(external_code="code").count() == 1
    assert Taxonomy.objects.filter(pk=EXAMPLE_TAXONOMY).count() == 1


@pytest.mark.parametrize(
    ("item", "hint", "kind"),
    [
        ({"id": "1", "name": "S", "status": "active"}, "", "service"),
        ({"id": "1", "name": "S"}, "services.json", "service"),
        ({"id": "1", "name": "O", "description": "d"}, "organization_list.json", "organization"),
        ({"id": "1", "name": "O", "description": "d", "website": "http://o.no"}, "", "organization"),
        ({"id": "1", "name": "T", "description": "d", "version": "1"}, "", "taxonomy"),
        ({"id": "1", "name": "T", "description": "d"}, "taxonomy_terms.json", "taxonomy_term"),
        ({"id": "1", "name": "T", "description": "d"}, "taxonomies.json", "taxonomy"),
        ({"id": "1", "name": "T", "code": "c"}, "", "taxonomy_term"),
        ({"id": "1", "location_type": "physical"}, "", "location"),
        ({"version": "3.0", "profile": "p"}, "", "other"),
    ],
)
def test_an_object_is_told_by_its_shape(item, hint, kind):
    assert kind_of(item, hint) == kind
