"""Loading the official area lists (data/*.csv, sources and licences in data/README.md).

Written against a model class passed in, so the data migration can use its historical model.
Upserts by (country, kind, code): running it twice changes nothing.
"""

import csv
import uuid
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTRY_ROWS = [
    ("NO", "Norge", {"name_nb": "Norge", "name_sv": "Norge", "name_fi": "Norja", "name_en": "Norway"}),
    ("SE", "Sverige", {"name_nb": "Sverige", "name_sv": "Sverige", "name_fi": "Ruotsi", "name_en": "Sweden"}),
    ("FI", "Suomi", {"name_nb": "Finland", "name_sv": "Finland", "name_fi": "Suomi", "name_en": "Finland"}),
]
TIME_ZONES = {"NO": "Europe/Oslo", "SE": "Europe/Stockholm", "FI": "Europe/Helsinki"}
LANGUAGES = {"NO": "nb", "SE": "sv", "FI": "fi"}
FI_KINDS = {
    "wellbeing_services_county": "welfare_area",
    "city_of_helsinki": "welfare_area",
    "aland": "welfare_area",
    "region": "region",
    "municipality": "municipality",
}


@dataclass
class AreaRow:
    country: str
    kind: str
    code: str
    name: str
    names: dict[str, str]
    other_names: str = ""
    parent: tuple[str, str, str] | None = None  # (country, kind, code)
    region: tuple[str, str, str] | None = None
    default_language: str = "en"


def read_rows() -> list[AreaRow]:
    rows: list[AreaRow] = [
        AreaRow(country=c, kind="country", code=c, name=name, names=names, default_language=LANGUAGES[c])
        for c, name, names in COUNTRY_ROWS
    ]
    with open(DATA_DIR / "no.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            parent = ("NO", "county", r["parent_code"]) if r["kind"] == "municipality" else ("NO", "country", "NO")
            rows.append(
                AreaRow(
                    "NO",
                    r["kind"],
                    r["code"],
                    r["name"],
                    {"name_nb": r["name_nb"]},
                    r["name_se_or_other"],
                    parent,
                    default_language="nb",
                )
            )
    with open(DATA_DIR / "se.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            parent = ("SE", "county", r["parent_code"]) if r["kind"] == "municipality" else ("SE", "country", "SE")
            rows.append(
                AreaRow(
                    "SE",
                    r["kind"],
                    r["code"],
                    r["name"],
                    {"name_sv": r["name_sv"]},
                    r["name_se_or_other"],
                    parent,
                    default_language="sv",
                )
            )
    with open(DATA_DIR / "fi.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            kind = FI_KINDS[r["kind"]]
            if kind == "municipality":
                parent = ("FI", "welfare_area", r["parent_code"])
                region = ("FI", "region", r["region_code"]) if r["region_code"] else None
            else:
                parent, region = ("FI", "country", "FI"), None
            language = "sv" if r["parent_code"] == "91" or r["code"] == "91" and kind == "welfare_area" else "fi"
            rows.append(
                AreaRow(
                    "FI",
                    kind,
                    r["code"],
                    r["name"],
                    {"name_fi": r["name_fi"], "name_sv": r["name_sv"]},
                    "",
                    parent,
                    region,
                    default_language=language,
                )
            )
    return rows


def load_areas(Area) -> dict[str, int]:
    """Create or update every area. Returns counts {"created", "updated", "unchanged"}."""
    existing = {(a.country, a.kind, a.code): a for a in Area.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    # Rows are ordered parents first (countries, then counties/regions, then municipalities).
    ordered = sorted(read_rows(), key=lambda r: 0 if r.kind == "country" else 2 if r.kind == "municipality" else 1)
    for row in ordered:
        key = (row.country, row.kind, row.code)
        parent = existing[row.parent] if row.parent else None
        region = existing[row.region] if row.region else None
        values = {
            "name": row.name,
            "name_nb": row.names.get("name_nb", ""),
            "name_sv": row.names.get("name_sv", ""),
            "name_fi": row.names.get("name_fi", ""),
            "name_en": row.names.get("name_en", ""),
            "other_names": row.other_names,
            "parent_id": parent.pk if parent else None,
            "region_id": region.pk if region else None,
            "default_language": row.default_language,
            "time_zone": TIME_ZONES[row.country],
        }
        area = existing.get(key)
        if area is None:
            area = Area(id=uuid.uuid4(), country=row.country, kind=row.kind, code=row.code, **values)
            counts["created"] += 1
        elif all(getattr(area, f) == v for f, v in values.items()):
            counts["unchanged"] += 1
            continue
        else:
            for f, v in values.items():
                setattr(area, f, v)
            counts["updated"] += 1
        area.path = (parent.path if parent else "/") + area.pk.hex + "/"
        area.depth = area.path.count("/") - 2
        # Historical models in migrations have no custom save(), so path is set here explicitly.
        area.save()
        existing[key] = area
    return counts
