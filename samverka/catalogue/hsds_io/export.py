"""`export-hsds`: the published catalogue as HSDS 3 JSON (services.json …) and as a tabular data package.

Written as a stream: services are read in batches of BATCH (their related rows prefetched per batch) and each
one is written, to services.json and to its CSV tables, as soon as it is built. What is kept across services is
only the ids of rows several services share (organisations, locations, taxonomy terms…), so a shared row is
written once; the output is the same as building every document first and writing them all at the end.
"""

import csv
import json
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from .. import hsds, selectors
from ..models import Service, ServiceStatus, Taxonomy, TaxonomyTerm
from .tables import NESTED, datapackage, resources

BATCH = 500
# Tables whose rows more than one service (or the taxonomy lists) can hold: written once, the first time seen.
SHARED = {
    "organization",
    "organization_identifier",
    "location",
    "address",
    "accessibility",
    "taxonomy",
    "taxonomy_term",
}


def _service_json(service: Service, language: str) -> dict:
    data = hsds.service_full(service, language)
    if service.organisation_id:
        org = hsds.organization(service.organisation, language, full=True)
        org.pop("services", None)
        data["organization"] = org
    return data


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class JsonArrayWriter:
    """A JSON array written item by item, byte for byte as `json.dumps(items, ensure_ascii=False, indent=1)`."""

    def __init__(self, fh: IO[str]):
        self.fh, self.count = fh, 0

    def add(self, item: Any) -> None:
        # Strings hold no raw newline in JSON, so indenting every line of the item by one space nests it.
        text = json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n ")
        self.fh.write(("[\n " if self.count == 0 else ",\n ") + text)
        self.count += 1

    def close(self) -> None:
        self.fh.write("\n]" if self.count else "[]")


class TableWriter:
    """The CSV tables of the data package, each opened when its first row comes; shared rows written once."""

    def __init__(self, directory: Path, stack: ExitStack):
        self.directory, self.stack = directory, stack
        self.writers: dict[str, Any] = {}
        self.seen: dict[str, set[str]] = {name: set() for name in SHARED}

    def _row(self, table: str, row: dict) -> None:
        spec = resources()[table]
        writer = self.writers.get(table)
        if writer is None:
            fh = self.stack.enter_context((self.directory / spec["path"]).open("w", encoding="utf-8", newline=""))
            writer = self.writers[table] = csv.writer(fh)
            writer.writerow(spec["fields"])
        writer.writerow([_cell(row.get(f)) for f in spec["fields"]])

    def add(self, obj: dict, table: str, parent: dict[str, str] | None = None) -> None:
        """Write `obj` (a row of `table`) and every nested object, ids as foreign keys."""
        parent = parent or {}
        obj_id = str(obj["id"])
        if table in SHARED:
            if obj_id in self.seen[table]:
                return  # a shared row and all it nests were written with it the first time
            self.seen[table].add(obj_id)
        fields = resources()[table]["fields"]
        row = {f: obj.get(f) for f in fields if not isinstance(obj.get(f), dict | list)}
        for key, value in parent.items():
            if key in fields and not row.get(key):
                row[key] = value
        self._row(table, row)
        link = {f"{table}_id": obj_id}
        for key, value in obj.items():
            child_table = NESTED.get(key)
            if child_table is None:
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, dict) and child.get("id"):
                    self.add(child, child_table, {**parent, **link})

    def write_package(self) -> None:
        written = [name for name in resources() if name in self.writers]
        package = dict(datapackage())
        package["resources"] = [r for r in package["resources"] if r["name"] in written]
        for resource in package["resources"]:
            keys = [k for k in resource["schema"].get("foreignKeys", []) if k["reference"]["resource"] in written]
            resource["schema"] = {**resource["schema"], "foreignKeys": keys}
            if not keys:
                resource["schema"].pop("foreignKeys")
        (self.directory / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")


def published_services(language: str) -> Iterable[dict]:
    """HSDS documents of the published services in name order, read BATCH at a time with their related rows."""
    qs = selectors.service_detail_queryset().filter(status=ServiceStatus.ACTIVE).order_by("sort_name", "id")
    for service in qs.iterator(chunk_size=BATCH):
        yield _service_json(service, language)


def export_dataset(
    directory: Path,
    *,
    language: str = "nb",
    formats: tuple[str, ...] = ("json", "csv"),
    progress: Callable | None = None,
) -> dict[str, int]:
    """Write published services (with organisations, locations, schedules, taxonomy) to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    taxonomies = [hsds.taxonomy(t) for t in Taxonomy.objects.order_by("name")] + [hsds.facet_taxonomy()]
    terms = [hsds.taxonomy_term(t, language) for t in TaxonomyTerm.objects.select_related("taxonomy")]
    terms += [hsds.facet_term(f) for f in hsds.FACETS]
    org_ids: set[str] = set()
    services = 0
    arrays: list[JsonArrayWriter] = []
    with ExitStack() as stack:

        def json_file(name: str) -> JsonArrayWriter:
            arrays.append(
                JsonArrayWriter(stack.enter_context((directory / f"{name}.json").open("w", encoding="utf-8")))
            )
            return arrays[-1]

        if "json" in formats:
            services_json, organizations_json = json_file("services"), json_file("organizations")
        tables = TableWriter(directory, stack) if "csv" in formats else None
        for service in published_services(language):
            services += 1
            organization = service.get("organization")
            if "json" in formats:
                services_json.add(service)
                if organization is not None and organization["id"] not in org_ids:
                    organizations_json.add(organization)
            if organization is not None:
                org_ids.add(organization["id"])
            if tables is not None:
                tables.add(service, "service")
            if progress:
                progress(1)
        if "json" in formats:
            for name, items in (("taxonomies", taxonomies), ("taxonomy_terms", terms)):
                writer = json_file(name)
                for item in items:
                    writer.add(item)
        for array in arrays:  # closed only when all went well: a failed export leaves no valid-looking file
            array.close()
        if tables is not None:
            for taxonomy in taxonomies:
                tables.add(taxonomy, "taxonomy")
            for term in terms:
                tables.add(term, "taxonomy_term")
    if tables is not None:
        tables.write_package()
    return {"services": services, "organizations": len(org_ids), "taxonomy_terms": len(terms)}
