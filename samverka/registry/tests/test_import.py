"""Importing Enhetsregisteret files: counts, mapping, rejects, idempotence, refused files."""

import csv
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverka.audit.models import AuditEvent
from samverka.registry.importers import ImportFileError, default_rejects_path, organisations_import
from samverka.registry.importers.base import Upserter
from samverka.registry.models import LegalForm, Organisation, OrganisationFacet, OrganisationStatus

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "importers" / "samples" / "enheter-csv-selection-fli-sti.csv"


@pytest.fixture
def sample(tmp_path) -> Path:
    return Path(shutil.copy(SAMPLE, tmp_path / SAMPLE.name))


@pytest.fixture
def mixed(tmp_path) -> Path:
    return Path(shutil.copy(DATA / "brreg-mixed.csv", tmp_path / "brreg-mixed.csv"))


def run(path, fmt="brreg", **kwargs):
    return organisations_import(actor=None, path=path, format=fmt, **kwargs)


def rejects_of(result) -> list[dict[str, str]]:
    with open(result.rejects_path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_real_sample_imports_the_non_profit_rows_and_skips_the_rest(sample):
    result = run(sample)

    assert result.counts == {"created": 181, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 13}
    assert result.details["skipped: legal form KOMM"] == 3
    assert Organisation.objects.filter(country="NO").count() == 181
    assert Organisation.objects.filter(legal_form=LegalForm.FOUNDATION).count() == 34
    assert rejects_of(result) == []


def test_real_sample_maps_an_association_with_its_volunteer_flag_and_municipality(sample):
    run(sample)

    org = Organisation.objects.get(country="NO", org_number="922134634")
    assert org.name == "VESTSIDEN UNGDOMSLAG"
    assert org.legal_form == LegalForm.ASSOCIATION
    assert org.in_volunteer_register is True
    assert org.status == OrganisationStatus.ACTIVE
    assert (org.home_area.country, org.home_area.kind, org.home_area.code) == ("NO", "municipality", "3417")
    assert list(org.areas.values_list("code", flat=True)) == ["3417"]
    assert org.street_address == "c/o Harry Aastad, Holmen 92"
    assert (org.postal_code, org.city) == ("2260", "KIRKENÆR")
    assert org.purpose == "Eier og drifter ungdomslaghuset Vestheim."
    assert org.source == "brreg"


def test_website_without_scheme_gets_one(sample):
    run(sample)

    assert Organisation.objects.get(org_number="922618992").website == ""
    assert Organisation.objects.filter(website="https://www.siljanil.no").exists()


def test_running_the_same_file_again_changes_nothing(sample):
    run(sample)
    before = dict(Organisation.objects.values_list("org_number", "updated_at"))

    result = run(sample)

    assert result.counts == {"created": 0, "updated": 0, "unchanged": 181, "rejected": 0, "skipped": 13}
    assert dict(Organisation.objects.values_list("org_number", "updated_at")) == before


def test_a_changed_row_updates_that_organisation_only(sample, tmp_path):
    run(sample)
    org = Organisation.objects.get(org_number="922134634")
    org.website = "https://vestsiden.example"  # entered in Samverka; the register has none
    org.save()
    changed = tmp_path / "changed.csv"
    changed.write_text(sample.read_text(encoding="utf-8").replace("VESTSIDEN UNGDOMSLAG", "VESTSIDEN UL"), "utf-8")

    result = run(changed)

    assert result.counts["updated"] == 1
    assert result.counts["unchanged"] == 180
    org.refresh_from_db()
    assert org.name == "VESTSIDEN UL"
    assert org.website == "https://vestsiden.example"
    assert org.source_updated_at is not None


def test_mixed_file_imports_good_rows_and_writes_bad_ones_with_line_and_reason(mixed):
    result = run(mixed)

    assert result.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 3, "skipped": 1}
    assert result.rejects_path == mixed.with_name("brreg-mixed.rejects.csv")
    rows = rejects_of(result)
    assert [(r["line"], r["org_number"]) for r in rows] == [("3", "123456789"), ("4", "923609016"), ("7", "923609040")]
    assert "check digit" in rows[0]["reason"]
    assert rows[1]["reason"] == "The name is missing."
    assert "fields" in rows[2]["reason"]


def test_unknown_municipality_is_imported_without_an_area(mixed):
    result = run(mixed)

    org = Organisation.objects.get(org_number="923609024")
    assert org.home_area is None
    assert not org.areas.exists()
    assert org.status == OrganisationStatus.DISSOLVED  # underAvvikling
    assert org.legal_form == LegalForm.FOUNDATION
    assert result.details["unknown municipality"] == 1


def test_quoted_field_across_lines_is_one_row(mixed):
    run(mixed)

    assert Organisation.objects.get(org_number="923609059").purpose == "Første linje\nandre linje"
    assert Organisation.objects.get(org_number="923609008").website == "https://www.oslofrivillig.example"


def test_rejects_go_where_asked(mixed, tmp_path):
    target = tmp_path / "out" / "bad.csv"
    target.parent.mkdir()

    result = run(mixed, rejects_path=target)

    assert result.rejects_path == target
    assert len(rejects_of(result)) == 3


def test_default_rejects_path_sits_beside_the_input():
    assert default_rejects_path("/data/enheter.csv.gz") == Path("/data/enheter.rejects.csv")
    assert default_rejects_path("/data/scb_bulkfil.txt") == Path("/data/scb_bulkfil.rejects.csv")


def test_a_batch_of_changed_rows_updates_every_field_and_moves_the_home_area(sample, tmp_path):
    run(sample)
    with open(sample, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    assert header is not None
    for row in rows:
        row["navn"] += " NY"
        if row["organisasjonsnummer"] == "922134634":
            row["forretningsadresse.kommunenummer"] = "0301"  # from Grue to Oslo
            row["hjemmeside"] = "www.vestsiden.example"
    changed = tmp_path / "changed.csv"
    with open(changed, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)

    result = run(changed, batch_size=50)

    assert result.counts["updated"] == 181
    assert not Organisation.objects.exclude(name__endswith=" NY").exists()
    org = Organisation.objects.get(country="NO", org_number="922134634")
    assert (org.name, org.home_area.code, org.website) == (
        "VESTSIDEN UNGDOMSLAG NY",
        "0301",
        "https://www.vestsiden.example",
    )
    assert org.street_address == "c/o Harry Aastad, Holmen 92"
    assert org.updated_at == org.source_updated_at
    assert set(org.areas.values_list("code", flat=True)) == {"3417", "0301"}
    facet_areas = set(OrganisationFacet.objects.filter(organisation=org).values_list("area__code", flat=True))
    assert {"3417", "0301"} <= facet_areas
    assert set(OrganisationFacet.objects.filter(organisation=org).values_list("name", flat=True)) == {org.name}


def test_small_batches_give_the_same_result(sample):
    result = run(sample, batch_size=7)

    assert result.counts["created"] == 181


def test_import_leaves_a_summary_in_the_audit_trail(sample):
    run(sample)

    event = AuditEvent.objects.get(action="registry.import")
    assert event.changes["counts"]["created"] == 181
    assert event.changes["format"] == "brreg"


def _import_events(request_id: str) -> dict[str, list[AuditEvent]]:
    events: dict[str, list[AuditEvent]] = {}
    for event in AuditEvent.objects.filter(request_id=request_id).exclude(action="registry.import"):
        events.setdefault(event.action, []).append(event)
    return events


def test_import_writes_one_event_per_organisation_created_or_changed_with_before_and_after(sample, tmp_path):
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    later = next(line for line in lines if line.startswith('"827333042"'))  # ISLAMSKOLE LIER, new next time
    first = tmp_path / "first.csv"
    first.write_text("".join(line for line in lines if line is not later), "utf-8")
    run(first)
    first_summary = AuditEvent.objects.get(action="registry.import")
    assert first_summary.request_id.startswith("import-organisations:")
    assert len(_import_events(first_summary.request_id)["organisation.create"]) == 180
    second = tmp_path / "second.csv"
    bad = later.replace('"827333042"', '"123456789"')  # a wrong check digit: rejected
    second.write_text("".join(lines).replace("VESTSIDEN UNGDOMSLAG", "VESTSIDEN UL") + bad, "utf-8")

    result = run(second)

    assert (result.counts["created"], result.counts["updated"], result.counts["unchanged"]) == (1, 1, 179)
    assert result.counts["rejected"] == 1
    summary = AuditEvent.objects.filter(action="registry.import").exclude(pk=first_summary.pk).get()
    assert summary.request_id != first_summary.request_id
    events = _import_events(summary.request_id)
    assert sorted(events) == ["organisation.create", "organisation.update"]
    [created], [changed] = events["organisation.create"], events["organisation.update"]
    new_org = Organisation.objects.get(org_number="827333042")
    assert (created.object_type, created.object_id, created.organisation_id) == (
        "registry.organisation",
        str(new_org.pk),
        new_org.pk,
    )
    assert created.area_id == new_org.home_area_id is not None
    assert created.object_label == "ISLAMSKOLE LIER" and created.actor_label == "system"
    assert created.changes["name"] == {"before": None, "after": "ISLAMSKOLE LIER"}
    assert created.changes["home_area_id"] == {"before": None, "after": str(new_org.home_area_id)}
    assert "email" not in created.changes  # empty in the file: not written, not in the event
    vestsiden = Organisation.objects.get(org_number="922134634")
    assert (changed.object_id, changed.organisation_id, changed.area_id) == (
        str(vestsiden.pk),
        vestsiden.pk,
        vestsiden.home_area_id,
    )
    assert changed.changes == {"name": {"before": "VESTSIDEN UNGDOMSLAG", "after": "VESTSIDEN UL"}}


def test_import_events_are_named_in_the_organisations_history(sample):
    from samverka.audit.presentation import history_rows

    run(sample)
    org = Organisation.objects.get(org_number="922134634")

    [row] = history_rows(AuditEvent.objects.filter(organisation_id=org.pk))
    assert row.what == "Organisation: created"
    assert any(c.label == "Name" and c.after == "VESTSIDEN UNGDOMSLAG" for c in row.changes)


def test_a_rerun_writes_only_its_summary_event(sample):
    run(sample)
    events = AuditEvent.objects.count()

    run(sample)

    assert AuditEvent.objects.count() == events + 1


def test_number_taken_by_a_concurrent_import_is_not_duplicated():
    Organisation.objects.create(country="NO", org_number="923609008", name="FIRST", legal_form=LegalForm.ASSOCIATION)
    upserter = Upserter(country="NO", source="brreg", batch_size=10, on_reject=lambda r: None)
    taken = Organisation(country="NO", org_number="923609008", name="SECOND", legal_form=LegalForm.ASSOCIATION)
    fresh = Organisation(country="NO", org_number="923609016", name="THIRD", legal_form=LegalForm.ASSOCIATION)

    lost = upserter._insert([taken, fresh])

    assert lost == [taken]
    assert Organisation.objects.filter(org_number="923609008").count() == 1
    assert Organisation.objects.get(org_number="923609016").name == "THIRD"


# Refused files: a clear message and nothing written (not even the rejects file).


def assert_nothing_written(path: Path) -> None:
    assert Organisation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="registry.import").exists()
    assert not default_rejects_path(path).exists()


def test_wrong_format_is_refused_before_writing(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name;number\nSome club;923609008\n", encoding="utf-8")

    with pytest.raises(ImportFileError, match="lacks the columns organisasjonsnummer"):
        run(path)
    assert_nothing_written(path)


def test_wrong_encoding_late_in_the_file_is_refused_before_writing(sample, tmp_path):
    path = tmp_path / "latin1.csv"
    good = sample.read_bytes()
    bad_line = '"923609008","BLÅ KORS","FLI","","","","","","","","","","","","","","","","","","","",""\n'
    path.write_bytes(good + bad_line.encode("iso-8859-1"))

    with pytest.raises(ImportFileError, match="not valid UTF-8.*line 196"):
        run(path)
    assert_nothing_written(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(ImportFileError, match="empty"):
        run(path)
    assert_nothing_written(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))

    with pytest.raises(ImportFileError, match="binary"):
        run(path)
    assert_nothing_written(path)


def test_gzip_file_imports_like_the_plain_one(sample, tmp_path):
    import gzip

    path = tmp_path / "enheter.csv.gz"
    path.write_bytes(gzip.compress(sample.read_bytes()))

    assert run(path).counts["created"] == 181


def test_command_prints_counts_and_fails_on_a_bad_file(sample, tmp_path, capsys):
    call_command("import-organisations", str(sample), "--format", "brreg", "--no-progress")
    out = capsys.readouterr().out
    assert "181 created, 0 updated, 0 unchanged, 0 rejected, 13 skipped" in out
    assert "enheter-csv-selection-fli-sti.rejects.csv" in out

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty. Nothing was imported."):
        call_command("import-organisations", str(empty), "--format", "brreg", "--no-progress")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_do_not_duplicate(sample, tmp_path):
    import threading

    from django.db import connection

    results, errors = [], []

    def worker(n: int) -> None:
        try:
            results.append(run(sample, rejects_path=tmp_path / f"rejects-{n}.csv", batch_size=20))
        except Exception as exc:  # noqa: BLE001 — surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Organisation.objects.count() == 181
    assert sum(r.counts["created"] for r in results) == 181
    assert all(r.rows == 194 for r in results)


def test_background_import_runs_as_a_task_and_a_second_run_changes_nothing(sample, capsys):
    call_command("import-organisations", str(sample), "--format", "brreg", "--background")
    assert "queued as task" in capsys.readouterr().out
    imported = Organisation.objects.count()
    assert imported > 0
    call_command("import-organisations", str(sample), "--format", "brreg", "--background")
    assert Organisation.objects.count() == imported
    from samverka.registry.tasks import import_organisations

    again = import_organisations.call(str(sample), "brreg")
    assert again["counts"]["created"] == 0 and again["counts"]["unchanged"] == imported


def test_background_import_of_a_missing_file_is_refused_before_queueing(tmp_path):
    with pytest.raises(CommandError, match="not a readable file"):
        call_command("import-organisations", str(tmp_path / "nope.csv"), "--format", "brreg", "--background")


def test_the_command_draws_a_progress_bar_on_a_terminal(sample, monkeypatch, capsys):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    call_command("import-organisations", str(sample), "--format", "brreg")
    drawn = terminal.getvalue()
    assert "Importing" in drawn and "100%" in drawn
    assert "created" in capsys.readouterr().out
