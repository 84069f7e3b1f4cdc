"""`import-hsds` / `export-hsds`: round trips through both formats, the official examples, bad records and files."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverka.catalogue.hsds_io import HsdsFileError, export_dataset, import_dataset, read_dataset
from samverka.catalogue.models import Location, Schedule, Service, ServiceAtLocation, ServiceLanguage, TaxonomyTerm
from samverka.catalogue.search.query import match_sql  # noqa: F401 (index tables exist)
from samverka.catalogue.services import location_create, service_state
from samverka.registry.models import Organisation
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import make_service, platform_admin
from .test_hsds import assert_valid

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[1] / "standards" / "hsds-3" / "examples"
DATAPACKAGE = Path(__file__).resolve().parents[1] / "standards" / "hsds-3" / "datapackage.json"
EXAMPLE_ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


@pytest.fixture
def catalogue():
    home = area("NO", "3201")
    org = OrganisationFactory(home_area=home, name="Lag R", purpose="Hjelp", email="post@lag.no")
    admin = platform_admin()
    place = location_create(
        actor=admin,
        organisation=org,
        data={
            "name": "Huset",
            "street_address": "Gata 1",
            "postal_code": "1337",
            "city": "Sandvika",
            "municipality": str(home.pk),
            "latitude": "59.89",
            "longitude": "10.52",
            "accessibility": "Trinnfri inngang",
            "transportation": "Buss 100",
        },
    )
    services = [
        make_service(
            org,
            actor=admin,
            name_nb="Kaffetreff",
            description_nb="Kaffe og prat hver tirsdag.",
            eligibility_nb="Alle over 18.",
            how_to_access_nb="Bare kom.",
            kind="peer_support",
            access_mode="booking",
            fee="cost",
            fees_description_nb="50 kroner.",
            accepts_vouchers=True,
            categories=["loneliness", "peer-support"],
            languages=["nb", "ar"],
            min_age=18,
            max_age=99,
            phone="+47 22 22 22 22",
            email="treff@lag.no",
            contact_name="Kari",
            website="https://lag.no/treff",
            locations=[str(place.pk)],
            areas=[str(home.pk)],
            schedules=[
                {
                    "kind": "session",
                    "rrule": "FREQ=WEEKLY;BYDAY=TU",
                    "dtstart": "2025-01-07",
                    "opens_at": "18:00",
                    "closes_at": "20:00",
                    "exceptions": ["2025-04-15"],
                    "location": str(place.pk),
                },
                {"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2025-01-07", "opens_at": "10:00", "closes_at": "11:00"},
            ],
        ),
        make_service(org, actor=admin, name_nb="Leksehjelp", description_nb="Hjelp med lekser.", kind="activity"),
    ]
    return {"org": org, "place": place, "services": services, "area": home}


def _states() -> dict:
    out = {}
    for service in Service.objects.order_by("pk"):
        state = service_state(service)
        for schedule in state["schedules"]:
            schedule.pop("id")
        state["schedules"] = sorted(state["schedules"], key=lambda s: (s["rrule"], s["dtstart"]))
        state["summary_nb"] = ""  # HSDS has no summary field
        out[str(service.pk)] = state
    return out


def _ids() -> dict:
    return {
        "locations": sorted(str(i) for i in Location.objects.values_list("pk", flat=True)),
        "service_at_locations": sorted(str(i) for i in ServiceAtLocation.objects.values_list("pk", flat=True)),
        "schedules": sorted(str(i) for i in Schedule.objects.values_list("pk", flat=True)),
        "languages": sorted(str(i) for i in ServiceLanguage.objects.values_list("pk", flat=True)),
    }


def _empty_catalogue() -> None:
    Service.objects.all().delete()
    Location.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_services(tmp_path, catalogue, fmt):
    before, ids = _states(), _ids()
    counts = export_dataset(tmp_path, language="nb")
    assert counts["services"] == 2
    _empty_catalogue()
    report = import_dataset(read_dataset(tmp_path, fmt), language="nb", area=catalogue["area"])
    assert report.rejected == [], report.rejected
    assert report.counts["service"]["created"] == 2
    after = _states()
    assert {k: {f: v for f, v in after[k].items() if v != before[k][f]} for k in after} == dict.fromkeys(before, {})
    assert _ids() == ids
    again = import_dataset(read_dataset(tmp_path, fmt), language="nb", area=catalogue["area"])
    assert again.counts["service"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}


def test_an_organisation_missing_from_the_registry_is_registered_by_its_number(tmp_path, catalogue):
    export_dataset(tmp_path, language="nb")
    number = catalogue["org"].org_number
    _empty_catalogue()
    Organisation.objects.filter(pk=catalogue["org"].pk).delete()
    report = import_dataset(read_dataset(tmp_path), language="nb", area=catalogue["area"])
    assert report.counts["organization"]["created"] == 1
    org = Organisation.objects.get(org_number=number)
    assert org.catalogue_services.count() == 2


def test_exported_json_validates_and_tables_follow_the_data_package(tmp_path, catalogue):
    export_dataset(tmp_path, language="nb")
    for item in json.loads((tmp_path / "services.json").read_text()):
        assert_valid("compiled/service.json", item)
    for item in json.loads((tmp_path / "taxonomy_terms.json").read_text()):
        assert_valid("taxonomy_term.json", item)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    official = {r["name"]: r for r in json.loads(DATAPACKAGE.read_text())["resources"]}
    for resource in package["resources"]:
        with (tmp_path / resource["path"]).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == [f["name"] for f in official[resource["name"]]["schema"]["fields"]]
        required = [f["name"] for f in resource["schema"]["fields"] if f.get("constraints", {}).get("required")]
        for row in rows:
            assert all(row[f] for f in required), (resource["name"], row)


@pytest.mark.parametrize("source", ["service_full.json", "csv"])
def test_the_official_examples_import_and_export_again_keeping_what_samverka_models(tmp_path, source):
    OrganisationFactory(id=EXAMPLE_ORG, home_area=area("NO", "3201"), name="Example Organization Inc.")
    report = import_dataset(read_dataset(EXAMPLES / source), language="en")
    assert report.counts["service"]["created"] == 1, report.rejected
    original = json.loads((EXAMPLES / "service_full.json").read_text())
    export_dataset(tmp_path, language="en")
    exported = json.loads((tmp_path / "services.json").read_text())[0]
    assert_valid("compiled/service.json", exported)
    for key in ("id", "name", "description", "url", "email", "status", "application_process", "fees_description"):
        assert exported[key] == original[key].strip(), key
    assert exported["eligibility_description"] == original["eligibility_description"]
    assert (exported["minimum_age"], exported["maximum_age"]) == (original["minimum_age"], original["maximum_age"])
    assert exported["assured_date"] == original["assured_date"]
    assert exported["organization"]["id"] == EXAMPLE_ORG
    sal, original_sal = exported["service_at_locations"][0], original["service_at_locations"][0]
    assert sal["id"] == original_sal["id"] and sal["location"]["id"] == original_sal["location"]["id"]
    assert sal["location"]["name"] == original_sal["location"]["name"]
    assert sal["location"]["transportation"] == original_sal["location"]["transportation"]
    address = original_sal["location"]["addresses"][0]
    # Samverka keeps one street line: address_2 is joined to it
    assert sal["location"]["addresses"][0]["address_1"] == f"{address['address_1']}, {address['address_2']}"
    assert sal["location"]["addresses"][0]["postal_code"] == address["postal_code"]
    schedule = exported["schedules"][0]
    assert schedule["id"] == original["schedules"][0]["id"]
    assert (schedule["byday"], schedule["opens_at"]) == ("TH,FR", "10:00")
    # the example's coordinates (100, 101) are not on Earth: reported, left out
    assert any("coordinates" in w for _k, _i, w in report.warnings)
    assert any("ur" in w for _k, _i, w in report.warnings)  # Urdu is not a language Samverka offers


def test_a_bad_record_is_reported_and_the_good_ones_are_imported(tmp_path):
    org = OrganisationFactory(home_area=area("NO", "3201"))
    good = {
        "id": "11111111-1111-4111-8111-111111111111",
        "name": "Bra",
        "status": "active",
        "organization_id": str(org.pk),
    }
    nameless = {**good, "id": "22222222-2222-4222-8222-222222222222", "name": ""}
    bad_id = {**good, "id": "not-a-uuid"}
    too_old = {**good, "id": "33333333-3333-4333-8333-333333333333", "minimum_age": 500}
    unknown_org = {**good, "id": "44444444-4444-4444-8444-444444444444", "organization_id": EXAMPLE_ORG}
    path = tmp_path / "services.json"
    path.write_text(json.dumps({"contents": [good, nameless, bad_id, too_old, unknown_org]}))
    report = import_dataset(read_dataset(path), language="nb")
    assert report.counts["service"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 4}
    reasons = {record_id: why for _kind, record_id, why in report.rejected}
    assert "name_nb" in reasons[nameless["id"]] and "min_age" in reasons[too_old["id"]]
    assert Service.objects.get().name_nb == "Bra"


def test_a_malformed_file_stops_before_writing(tmp_path):
    broken = tmp_path / "services.json"
    broken.write_text('[{"id": "x", ')
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import-hsds", str(broken), verbosity=0)
    package = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", package)
    rows = (package / "services.csv").read_text().splitlines()
    (package / "services.csv").write_text("\n".join([rows[0].replace("status", "state"), *rows[1:]]))
    with pytest.raises(HsdsFileError, match="status"):
        read_dataset(package)
    assert not Service.objects.exists()


def test_an_external_code_maps_onto_the_samverka_category(tmp_path):
    org = OrganisationFactory(home_area=area("NO", "3201"))
    term = {"id": "55555555-5555-4555-8555-555555555555", "code": "health/mental-health-care", "name": "Mental"}
    service = {
        "id": "66666666-6666-4666-8666-666666666666",
        "name": "Samtale",
        "status": "active",
        "organization_id": str(org.pk),
        "attributes": [{"id": term["id"], "taxonomy_term_id": term["id"], "taxonomy_term": term}],
    }
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service]))
    import_dataset(read_dataset(path), language="nb")
    assert [t.code for t in Service.objects.get().categories.all()] == ["mental-health"]
    assert not TaxonomyTerm.objects.filter(pk=term["id"]).exists()


def test_commands_print_counts(tmp_path, catalogue, capsys):
    call_command("export-hsds", str(tmp_path), verbosity=0)
    call_command("import-hsds", str(tmp_path), "--area", "NO-3201", verbosity=0)
    out = capsys.readouterr().out
    assert "Wrote 2 services" in out and "service: 0 created, 0 updated, 2 unchanged, 0 rejected" in out
