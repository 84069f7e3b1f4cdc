"""The tabular HSDS layout (standards/hsds-3/datapackage.json): which nested list becomes which CSV table."""

import json
from functools import cache
from pathlib import Path

DATAPACKAGE = Path(__file__).resolve().parents[1] / "standards" / "hsds-3" / "datapackage.json"

# key of a nested object or list in the JSON form → table (resource name) it is a row of
NESTED = {
    "organization": "organization",
    "organization_identifiers": "organization_identifier",
    "service_at_locations": "service_at_location",
    "location": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "schedules": "schedule",
    "languages": "language",
    "attributes": "attribute",
    "taxonomy_term": "taxonomy_term",
    "phones": "phone",
    "contacts": "contact",
    "cost_options": "cost_option",
    "service_areas": "service_area",
}


@cache
def datapackage() -> dict:
    return json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


@cache
def resources() -> dict[str, dict]:
    """resource name → {"path": "services.csv", "fields": [...], "required": {...}}."""
    out = {}
    for resource in datapackage()["resources"]:
        fields = resource["schema"]["fields"]
        out[resource["name"]] = {
            "path": resource["path"],
            "fields": [f["name"] for f in fields],
            "required": {f["name"] for f in fields if f.get("constraints", {}).get("required")},
        }
    return out
