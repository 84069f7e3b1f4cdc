"""The official areas of Norway, Sweden and Finland ship as data and reload without changes."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from samverka.areas.models import Area

pytestmark = pytest.mark.django_db


def _counts() -> dict[tuple[str, str], int]:
    rows = Area.objects.values("country", "kind").annotate(n=Count("id"))
    return {(r["country"], r["kind"]): r["n"] for r in rows}


def test_area_counts_per_country_match_the_official_lists():
    assert _counts() == {
        ("NO", "country"): 1,
        ("NO", "county"): 15,
        ("NO", "municipality"): 357,
        ("SE", "country"): 1,
        ("SE", "county"): 21,
        ("SE", "municipality"): 290,
        ("FI", "country"): 1,
        ("FI", "welfare_area"): 23,
        ("FI", "region"): 19,
        ("FI", "municipality"): 308,
    }


def test_finnish_welfare_areas_include_helsinki_and_aland():
    welfare = {a.code: a for a in Area.objects.filter(country="FI", kind="welfare_area")}
    assert welfare["90"].name_sv == "Helsingfors stad"
    assert welfare["91"].name_sv == "Åland"
    assert welfare["91"].default_language == "sv"
    assert Area.objects.filter(kind="municipality", parent=welfare["91"]).count() == 16


def test_every_municipality_sits_under_its_county_or_welfare_area():
    for municipality in Area.objects.filter(kind="municipality").select_related("parent")[:2000]:
        assert municipality.parent is not None
        assert municipality.parent.kind in {"county", "welfare_area"}
        assert municipality.path.startswith(municipality.parent.path)
        assert municipality.depth == 2


def test_load_areas_twice_leaves_everything_unchanged(capsys):
    before = dict(Area.objects.values_list("id", "path"))
    call_command("load-areas")
    call_command("load-areas")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "Areas: 0 created, 0 updated, 1036 unchanged."
    assert dict(Area.objects.values_list("id", "path")) == before
