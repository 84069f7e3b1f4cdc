"""`export-hsds`: the published catalogue as HSDS 3 JSON (services.json …) and as a tabular data package."""

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from samverka.registry.models import Organisation

from .. import hsds, selectors
from ..models import Service, ServiceStatus, Taxonomy, TaxonomyTerm
from .tables import NESTED, datapackage, resources


def _service_json(service: Service, language: str) -> dict:
    data = hsds.service_full(service, language)
    if service.organisation_id:
        org = hsds.organization(service.organisation, language, full=True)
        org.pop("services", None)
        data["organization"] = org
    return data


def _flatten(obj: dict, table: str, rows: dict[str, dict[str, dict]], parent: dict[str, str]) -> None:
    """Add `obj` (a row of `table`) and every nested object to `rows` (table → id → row), ids as foreign keys."""
    fields = resources()[table]["fields"]
    row = {f: obj.get(f) for f in fields if not isinstance(obj.get(f), dict | list)}
    for key, value in parent.items():
        if key in fields and not row.get(key):
            row[key] = value
    rows.setdefault(table, {})[str(obj["id"])] = row
    link = {f"{table}_id": str(obj["id"])}
    for key, value in obj.items():
        child_table = NESTED.get(key)
        if child_table is None:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict) and child.get("id"):
                _flatten(child, child_table, rows, {**parent, **link})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_dataset(
    directory: Path,
    *,
    language: str = "nb",
    formats: tuple[str, ...] = ("json", "csv"),
    progress: Callable | None = None,
) -> dict[str, int]:
    """Write published services (with organisations, locations, schedules, taxonomy) to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    services: list[dict] = []
    qs = selectors.service_detail_queryset().filter(status=ServiceStatus.ACTIVE).order_by("sort_name", "id")
    for service in qs.iterator(chunk_size=500):
        services.append(_service_json(service, language))
        if progress:
            progress(1)
    taxonomies = [hsds.taxonomy(t) for t in Taxonomy.objects.order_by("name")] + [hsds.facet_taxonomy()]
    terms = [hsds.taxonomy_term(t, language) for t in TaxonomyTerm.objects.select_related("taxonomy")]
    terms += [hsds.facet_term(f) for f in hsds.FACETS]
    org_ids = {s["organization"]["id"] for s in services if "organization" in s}
    organizations = [s["organization"] for s in services if "organization" in s]
    organizations = list({o["id"]: o for o in organizations}.values())
    if "json" in formats:
        for name, items in (
            ("services", services),
            ("organizations", organizations),
            ("taxonomies", taxonomies),
            ("taxonomy_terms", terms),
        ):
            (directory / f"{name}.json").write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    if "csv" in formats:
        _write_tables(directory, services, taxonomies, terms)
    return {
        "services": len(services),
        "organizations": len(org_ids),
        "taxonomy_terms": len(terms),
        "organisations_in_registry": Organisation.objects.filter(pk__in=org_ids).count(),
    }


def _write_tables(directory: Path, services: list[dict], taxonomies: list[dict], terms: list[dict]) -> None:
    rows: dict[str, dict[str, dict]] = {}
    for service in services:
        _flatten(service, "service", rows, {})
    for taxonomy in taxonomies:
        _flatten(taxonomy, "taxonomy", rows, {})
    for term in terms:
        _flatten(term, "taxonomy_term", rows, {})
    written = []
    for name, spec in resources().items():
        table = rows.get(name)
        if not table:
            continue
        with (directory / spec["path"]).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(spec["fields"])
            for row in table.values():
                writer.writerow([_cell(row.get(f)) for f in spec["fields"]])
        written.append(name)
    package = dict(datapackage())
    package["resources"] = [r for r in package["resources"] if r["name"] in written]
    for resource in package["resources"]:
        keys = [k for k in resource["schema"].get("foreignKeys", []) if k["reference"]["resource"] in written]
        resource["schema"] = {**resource["schema"], "foreignKeys": keys}
        if not keys:
            resource["schema"].pop("foreignKeys")
    (directory / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
