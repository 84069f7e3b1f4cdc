"""`samverka generate`: valid organisations in bulk, and an Enhetsregisteret CSV the importer accepts."""

import pytest
from django.core.management import call_command

from samverka.registry.generate import generate_organisations, no_number, se_number, write_brreg_csv
from samverka.registry.importers import organisations_import
from samverka.registry.models import Organisation, OrganisationYear
from samverka.registry.orgnumbers import normalise

pytestmark = pytest.mark.django_db


def test_generate_creates_n_valid_organisations_spread_over_municipalities():
    totals = generate_organisations(60, seed=3, years=True)

    assert totals["organisations"] == 60
    orgs = list(Organisation.objects.select_related("home_area"))
    assert len(orgs) == 60
    assert {o.country for o in orgs} == {"NO", "SE", "FI"}
    for org in orgs:
        assert normalise(org.country, org.org_number) == org.org_number
        assert org.home_area.kind == "municipality"
        assert org.home_area.country == org.country
        assert org.name
    assert len({o.home_area_id for o in orgs}) > 20
    assert Organisation.areas.through.objects.count() == totals["areas"] >= 60
    assert OrganisationYear.objects.count() == 120


def test_generate_twice_adds_without_clashing_numbers():
    generate_organisations(30, seed=1)
    generate_organisations(30, seed=1)

    assert Organisation.objects.count() == 60


def test_generate_reads_the_numbers_already_taken_window_by_window(monkeypatch):
    from samverka.registry import generate

    generate_organisations(40, seed=1)
    monkeypatch.setattr(generate, "NUMBER_WINDOW", 7)
    windows: list[int] = []
    real = generate._taken_numbers

    def counting(country):
        taken = real(country)

        def lookup(low, high):
            found = taken(low, high)
            windows.append(len(found))
            return found

        return lookup

    monkeypatch.setattr(generate, "_taken_numbers", counting)
    generate_organisations(40, seed=1)  # same seed: same starting numbers, all taken by the first run

    assert Organisation.objects.count() == 80
    assert len(windows) > 3 and max(windows) <= 7


def test_generate_gives_the_connection_its_page_cache_back():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        generate_organisations(5, seed=2)
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


def test_generate_command_prints_a_summary(capsys):
    call_command("generate", "--organisations", "25", "--seed", "9")

    assert "Generated 25 organisations" in capsys.readouterr().out
    assert Organisation.objects.count() == 25


def test_check_digit_builders_skip_impossible_numbers():
    assert no_number(12345678) == "123456785"  # Brønnøysund's worked example
    assert se_number(2002871) == "8020028711"  # Svenska Röda Korset


def test_generated_brreg_csv_imports_cleanly(tmp_path):
    path = tmp_path / "enheter.csv"
    assert write_brreg_csv(path, 120, seed=2) == 120

    result = organisations_import(actor=None, path=path, format="brreg")

    assert result.counts == {"created": 120, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
    assert Organisation.objects.filter(home_area__isnull=True).count() == 0
