"""PRH/YTJ JSON, SCB and Bolagsverket bulk files, and Enhetsregisteret JSON (hand-made files in tests/data)."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from samverka.registry.importers import ImportFileError, organisations_import
from samverka.registry.models import LegalForm, Organisation, OrganisationStatus

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def copy(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(DATA / name, tmp_path / name))


def run(path, fmt):
    return organisations_import(actor=None, path=path, format=fmt)


def reasons(result) -> list[tuple[str, str]]:
    with open(result.rejects_path, encoding="utf-8", newline="") as fh:
        return [(r["line"], r["org_number"]) for r in csv.DictReader(fh)]


def test_prh_json_maps_names_forms_addresses_and_municipality(tmp_path):
    result = run(copy(tmp_path, "prh-companies.json"), "prh")

    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 1}
    org = Organisation.objects.get(country="FI", org_number="2345670-5")
    assert org.name == "Helsingin Vapaaehtoiskeskus ry"  # the current main name, not the ended one
    assert org.legal_form == LegalForm.ASSOCIATION
    assert org.street_address == "Mannerheimintie 5 A"  # the visiting address before the postal one
    assert (org.postal_code, org.city) == ("00100", "HELSINKI")
    assert (org.home_area.country, org.home_area.kind, org.home_area.code) == ("FI", "municipality", "091")
    assert org.website == "https://www.vapaaehtoiskeskus.example"
    foundation = Organisation.objects.get(country="FI", org_number="2345671-3")
    assert foundation.legal_form == LegalForm.FOUNDATION
    assert foundation.status == OrganisationStatus.DISSOLVED  # in liquidation (SELTILA)
    assert reasons(result)[0][1] == "2345672-2"


def test_prh_rerun_is_unchanged(tmp_path):
    path = copy(tmp_path, "prh-companies.json")
    run(path, "prh")

    assert run(path, "prh").counts["unchanged"] == 2


def test_prh_top_level_array_is_accepted_and_lines_are_counted(tmp_path):
    companies = json.loads((DATA / "prh-companies.json").read_text(encoding="utf-8"))["companies"]
    path = tmp_path / "all.json"
    path.write_text("[\n" + ",\n".join(json.dumps(c) for c in companies) + "\n]\n", encoding="utf-8")

    result = run(path, "prh")

    assert result.counts["created"] == 2
    assert reasons(result) == [("5", "2345672-2")]


def test_broken_json_is_refused_before_writing(tmp_path):
    text = (DATA / "prh-companies.json").read_text(encoding="utf-8")
    path = tmp_path / "broken.json"
    path.write_text(text[: text.rindex("Väärä")], encoding="utf-8")

    with pytest.raises(ImportFileError, match="JSON"):
        run(path, "prh")
    assert Organisation.objects.count() == 0


def test_csv_given_as_prh_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="not a PRH/YTJ JSON"):
        run(copy(tmp_path, "brreg-mixed.csv"), "prh")


def test_scb_file_is_read_as_latin1_tab_separated(tmp_path):
    result = run(copy(tmp_path, "scb-je.txt"), "se")

    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 2}
    org = Organisation.objects.get(country="SE", org_number="8020028703")
    assert org.name == "Föreningen Gemenskap i Växjö"
    assert org.legal_form == LegalForm.ASSOCIATION
    assert org.street_address == "c/o Anna Svensson, Storgatan 5"
    assert (org.postal_code, org.city) == ("35230", "VÄXJÖ")
    assert org.home_area is None  # the SCB file has no municipality code
    assert Organisation.objects.get(org_number="8020028711").legal_form == LegalForm.FOUNDATION
    assert reasons(result) == [("6", "168020028700")]
    assert result.details == {"skipped: JurForm 49": 1, "skipped: natural person": 1}


def test_scb_file_saved_as_utf8_is_refused(tmp_path):
    path = tmp_path / "scb-utf8.txt"
    path.write_text((DATA / "scb-je.txt").read_bytes().decode("iso-8859-1"), encoding="utf-8")

    with pytest.raises(ImportFileError, match="UTF-8 encoded"):
        run(path, "se")
    assert Organisation.objects.count() == 0


def test_bolagsverket_file_unpacks_dollar_fields(tmp_path):
    result = run(copy(tmp_path, "bolagsverket.txt"), "se")

    assert result.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 2}
    club = Organisation.objects.get(country="SE", org_number="8020028729")
    assert club.name == "Idrottsföreningen Kamraterna"
    assert club.purpose == "Föreningen bedriver idrott; café och uthyrning."
    assert (club.street_address, club.postal_code, club.city) == ("Storgatan 100", "88140", "SOLLEFTEÅ")
    foundation = Organisation.objects.get(org_number="8020028737")
    assert foundation.name == "Stiftelsen Hjälpande Hand"
    assert foundation.status == OrganisationStatus.DISSOLVED  # likvidation pågår
    assert foundation.street_address == "c/o Eva Ek, Box 12"
    assert reasons(result) == [("6", "8020028700")]


def test_unknown_swedish_file_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="neither an SCB"):
        run(copy(tmp_path, "brreg-mixed.csv"), "se")


def test_brreg_json_bulk_format(tmp_path):
    enheter = [
        {
            "organisasjonsnummer": "923609008",
            "navn": "OSLO FRIVILLIGSENTRAL",
            "organisasjonsform": {"kode": "FLI", "beskrivelse": "Forening/lag/innretning"},
            "registrertIFrivillighetsregisteret": True,
            "forretningsadresse": {
                "adresse": ["c/o Kari", "Storgata 1"],
                "postnummer": "0155",
                "poststed": "OSLO",
                "kommunenummer": "0301",
            },
            "vedtektsfestetFormaal": ["Frivillig arbeid", "i Oslo."],
            "konkurs": False,
        },
        {
            "organisasjonsnummer": "923609016",
            "navn": "KONKURS LAG",
            "organisasjonsform": {"kode": "FLI"},
            "konkurs": True,
        },
    ]
    path = tmp_path / "enheter.json"
    path.write_text(json.dumps({"_embedded": {"enheter": enheter}, "page": {"size": 2}}), encoding="utf-8")

    result = run(path, "brreg")

    assert result.counts["created"] == 2
    org = Organisation.objects.get(org_number="923609008")
    assert org.in_volunteer_register is True
    assert org.street_address == "c/o Kari, Storgata 1"
    assert org.purpose == "Frivillig arbeid\ni Oslo."
    assert org.home_area.code == "0301"
    assert Organisation.objects.get(org_number="923609016").status == OrganisationStatus.DISSOLVED
