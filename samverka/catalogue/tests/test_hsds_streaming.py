"""`export-hsds` / `import-hsds` in bounded memory: the incremental JSON reader, the item-by-item writers, and
exports and imports that cross batch, buffer and cache boundaries yet give the same dataset."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from samverka.catalogue.hsds_io import export, import_dataset, importer, read_dataset
from samverka.catalogue.hsds_io.export import JsonArrayWriter
from samverka.catalogue.hsds_io.jsonstream import JsonStreamError, json_items
from samverka.catalogue.hsds_io.reader import HsdsFileError
from samverka.catalogue.models import Service
from samverka.catalogue.search.query import match_sql  # noqa: F401 (index tables exist)
from samverka.catalogue.services import location_create
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import make_service, platform_admin
from .test_hsds import assert_valid

TRICKY = [
    {"id": "a", "name": 'quotes " and \\ backslash ] } [ {', "n": 12345678901234567890, "x": -1.5e-3},
    {"id": "b", "nested": {"list": [1, [2, [3, {"deep": "]]]"}]]], "empty": {}}, "t": True, "f": False, "z": None},
    {"id": "c", "text": "æøå – 中文 \u2028 😀 \\u escapes \n\t", "big": "x" * 5000},
    [],
    "a string ] with [ brackets",
    0,
]


def _items(text: str, block: int) -> list:
    return list(json_items(io.StringIO(text), block=block))


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64, 1 << 16])
@pytest.mark.parametrize("indent", [None, 1])
def test_the_reader_gives_every_item_of_an_array_whatever_the_block_size(block, indent):
    assert _items(json.dumps(TRICKY, indent=indent, ensure_ascii=False), block) == TRICKY
    assert _items(json.dumps(TRICKY, indent=indent), block) == TRICKY  # \u escapes cut by a block's end


@pytest.mark.parametrize("block", [1, 5, 1 << 16])
def test_the_reader_takes_an_api_page_a_single_object_and_an_empty_list(block):
    page = {"total_items": 2, "contents": TRICKY[:2], "page": {"n": 1}, "empty": False}
    assert _items(json.dumps(page), block) == TRICKY[:2]
    single = {"id": "x", "contents": {"not": "a list"}, "services": []}
    assert _items(json.dumps(single), block) == [single]
    assert _items(" [ ] ", block) == []
    assert _items("  12  ", block) == [12]  # a number cut at a block's end is read whole
    assert _items("123456789", 2) == [123456789]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[{"id": "x", ', "Expecting property name", 1),
        ('[\n{"a": 1},\n{"a": 2}\n{"a": 3}]', "Expecting ',' delimiter", 4),
        ('[{"a": 1},\n\n {"a": tru}]', "Expecting value", 3),
        ('[{"a": "unterminated]', "Unterminated string", 1),
        ('[{"a": "no raw\nnewline"}]', "Invalid control character", 1),
        ('[{"a": 1}] [', "Extra data", 1),
        ('[{"a": 1},]', "Expecting value", 1),
        ('{"contents": [1], "x": 1,}', "Expecting property name", 1),
        ("", "Expecting value", 1),
        ("\ufeff[]", "BOM", 1),
    ],
)
@pytest.mark.parametrize("block", [1, 4, 1 << 16])
def test_malformed_json_is_reported_with_its_line(text, message, line, block):
    with pytest.raises(JsonStreamError, match=message) as caught:
        _items(text, block)
    assert caught.value.lineno == line


def test_a_broken_object_far_into_a_file_is_reported_without_reading_the_rest_into_memory():
    good = ",\n".join(json.dumps({"id": i, "text": "y" * 100}) for i in range(1000))
    text = f'[{good},\n{{"id": oops}},\n{good}]'
    fh = io.StringIO(text)
    with pytest.raises(JsonStreamError, match="Expecting value") as caught:
        for _item in json_items(fh, block=256):
            pass
    assert caught.value.lineno == 1001
    assert fh.tell() < len(text) // 2 + 1024


@pytest.mark.parametrize("items", [[], [{"a": 1}], TRICKY, [{"æ": ["ø", {"k": [None, 1.5]}]}, [[]], {}]])
def test_the_array_writer_writes_the_bytes_of_json_dumps(items):
    out = io.StringIO()
    writer = JsonArrayWriter(out)
    for item in items:
        writer.add(item)
    writer.close()
    assert out.getvalue() == json.dumps(items, ensure_ascii=False, indent=1)


@pytest.fixture
def several_services(db):
    """Seven services of three organisations sharing one location and categories, to cross small batches."""
    admin = platform_admin()
    home = area("NO", "3201")
    orgs = [OrganisationFactory(home_area=home, name=f"Lag {i}") for i in range(3)]
    place = location_create(
        actor=admin,
        organisation=orgs[0],
        data={"name": "Huset", "street_address": "Gata 1", "postal_code": "1337", "city": "Sandvika"},
    )
    for i in range(7):
        make_service(
            orgs[i % 3],
            actor=admin,
            name_nb=f"Tjeneste {i}",
            description_nb="Noe å gjøre.",
            kind="activity",
            categories=["loneliness"] if i % 2 else ["loneliness", "peer-support"],
            languages=["nb", "en"],
            locations=[str(place.pk)] if i % 3 == 0 else [],
            schedules=[
                {"rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2025-01-06", "opens_at": "10:00", "closes_at": "12:00"}
            ],
        )
    return {"orgs": orgs, "area": home}


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.django_db
def test_an_export_in_small_batches_validates_writes_shared_rows_once_and_imports_back(
    tmp_path, several_services, monkeypatch
):
    monkeypatch.setattr(export, "BATCH", 2)
    counts = export.export_dataset(tmp_path, language="nb")
    assert (counts["services"], counts["organizations"]) == (7, 3)
    services = json.loads((tmp_path / "services.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in services] == [f"Tjeneste {i}" for i in range(7)]
    for item in services:
        assert_valid("compiled/service.json", item)
    organizations = json.loads((tmp_path / "organizations.json").read_text(encoding="utf-8"))
    assert sorted(o["id"] for o in organizations) == sorted(str(o.pk) for o in several_services["orgs"])
    for table in ("organizations", "locations", "taxonomy_terms", "services", "schedules"):
        ids = [row["id"] for row in _rows(tmp_path / f"{table}.csv")]
        assert len(ids) == len(set(ids)), table
    assert len(_rows(tmp_path / "locations.csv")) == 1
    before = {
        s.pk: (s.name_nb, s.organisation_id, sorted(c.code for c in s.categories.all())) for s in Service.objects.all()
    }
    for fmt in ("json", "csv"):
        report = import_dataset(read_dataset(tmp_path, fmt), language="nb")
        assert report.counts["service"] == {"created": 0, "updated": 0, "unchanged": 7, "rejected": 0}, fmt
        assert report.counts["organization"]["unchanged"] == 3
    Service.objects.all().delete()
    report = import_dataset(read_dataset(tmp_path / "services.json"), language="nb")
    assert report.counts["service"]["created"] == 7, report.rejected
    after = {
        s.pk: (s.name_nb, s.organisation_id, sorted(c.code for c in s.categories.all())) for s in Service.objects.all()
    }
    assert after == before


@pytest.mark.django_db
def test_the_import_keeps_matching_organisations_beyond_its_small_cache(tmp_path, several_services, monkeypatch):
    export.export_dataset(tmp_path, language="nb", formats=("json",))
    Service.objects.all().delete()
    monkeypatch.setattr(importer, "ORGANISATION_CACHE", 1)
    report = import_dataset(read_dataset(tmp_path), language="nb")
    assert report.counts["organization"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert report.counts["service"]["created"] == 7
    by_org = {o.pk: o.catalogue_services.count() for o in several_services["orgs"]}
    assert sorted(by_org.values()) == [2, 2, 3]


@pytest.mark.django_db
def test_a_file_broken_after_many_good_services_imports_nothing(tmp_path):
    org = OrganisationFactory(home_area=area("NO", "3201"))
    good = [
        {
            "id": f"11111111-1111-4111-8111-{i:012d}",
            "name": f"Bra {i}",
            "status": "active",
            "organization_id": str(org.pk),
        }
        for i in range(50)
    ]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(good, indent=1)[:-2] + ',\n {"id": "x", "name": "Brutt"\n]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid JSON \(line \d+\)"):
        call_command("import-hsds", str(path), verbosity=0)
    path.write_text(json.dumps([*good, "not an object"]), encoding="utf-8")
    with pytest.raises(HsdsFileError, match="neither HSDS objects"):
        read_dataset(path)
    path.write_bytes(json.dumps(good).encode() + b"\xff")
    with pytest.raises(HsdsFileError, match="not UTF-8"):
        read_dataset(path)
    assert not Service.objects.exists()


@pytest.mark.django_db
def test_a_read_dataset_streams_its_services_again_on_every_pass(tmp_path):
    items = [{"id": f"11111111-1111-4111-8111-{i:012d}", "name": f"S {i}"} for i in range(3)]
    path = tmp_path / "services.json"
    path.write_text(json.dumps({"contents": items, "total_items": 3}), encoding="utf-8")
    dataset = read_dataset(path)
    assert len(dataset.services) == 3
    assert list(dataset.services) == items and list(dataset.services) == items
