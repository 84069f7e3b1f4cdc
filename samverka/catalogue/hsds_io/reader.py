"""Reading an HSDS 3 dataset as nested service objects (the JSON form), one service at a time.

`read_dataset` reads the whole dataset once before anything is written: a file that cannot be read (not JSON, not
UTF-8, a CSV table without its required columns, no services at all) raises HsdsFileError, so the import stops
before writing. A bad *record* is the importer's business. Nothing grows with the number of services: the JSON
form is read again, object by object, while it is imported; the tabular form is parked in a RecordStore and each
service is joined from there when its turn comes.
"""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .jsonstream import JsonStreamError, json_items
from .store import RecordStore, StoredKind
from .tables import resources

MAX_FILE_BYTES = 2_000_000_000


class HsdsFileError(ValueError):
    """The dataset cannot be read; the message says why (for the person running the import)."""


@dataclass
class Dataset:
    # Iterable (again and again) and sized: a list, or a stream that reads the dataset anew each time.
    services: Any = field(default_factory=list)
    organizations: Any = field(default_factory=dict)  # id → organization; `get` is all the importer uses
    taxonomies: dict[str, dict[str, Any]] = field(default_factory=dict)
    taxonomy_terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Locations given on their own (not through a service): rows with their organization_id, if any.
    locations: Any = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)  # objects that are no HSDS record, by what they are

    def is_empty(self) -> bool:
        return not (
            len(self.services)
            or len(self.organizations)
            or len(self.locations)
            or self.taxonomies
            or self.taxonomy_terms
        )


def _not_json(path: Path, msg: str, line: int) -> HsdsFileError:
    return HsdsFileError(
        _("%(file)s is not valid JSON (line %(line)s): %(error)s.") % {"file": path.name, "line": line, "error": msg}
    )


def _load_json(path: Path) -> Any:
    """A small JSON file (datapackage.json) as a whole."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise HsdsFileError(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from None
    except json.JSONDecodeError as exc:
        raise _not_json(path, exc.msg, exc.lineno) from None


def _objects(path: Path) -> Iterator[dict[str, Any]]:
    """Objects of a list, an API page ({"contents": [...]}) or a single object, read one at a time."""
    try:
        with path.open(encoding="utf-8") as fh:
            for item in json_items(fh):
                if not isinstance(item, dict):
                    raise HsdsFileError(
                        _("%(file)s holds neither HSDS objects nor a list of them.") % {"file": path.name}
                    )
                yield item
    except UnicodeDecodeError:
        raise HsdsFileError(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from None
    except JsonStreamError as exc:
        raise _not_json(path, exc.msg, exc.lineno) from None


# Keys only an organization has (HSDS 3 schema): what tells one apart from a service without a status.
ORGANIZATION_ONLY = frozenset(
    ("website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id")
    + ("organization_identifiers", "programs", "locations")
)
# Every key a taxonomy may have; an object with no others is told apart by its file's name or its uri/version.
TAXONOMY_KEYS = frozenset(("id", "name", "description", "uri", "version", "metadata"))
BY_FILE_NAME = (("organization", "organization"), ("taxonomy_term", "taxonomy_term"), ("taxonom", "taxonomy"))


def _is_term(item: dict) -> bool:
    if "taxonomy_id" in item or "taxonomy_detail" in item or "term_uri" in item:
        return True
    return "code" in item and "status" not in item and "name" in item


def kind_of(item: dict, hint: str = "") -> str:
    """What an object of an HSDS JSON file is, by its shape (the schema's required and own keys).

    `hint` is the file's name: it settles the shape several kinds share ({id, name, description}); without it such
    an object is a taxonomy when it has a uri or version, else a service (as a bare {id, name} always was).
    """
    if isinstance(item.get("services"), list):
        return "organization"
    if isinstance(item.get("service"), dict):
        return "service_at_location"
    if item and all(isinstance(k, str) and k.endswith(".csv") for k in item):
        return "tables"  # the tabular form written as one JSON object
    if "id" not in item and "name" not in item:
        return "other"  # e.g. the API's base object (version, profile)
    if "location_type" in item:
        return "location"
    if "status" in item or "organization_id" in item:
        return "service"
    if _is_term(item):
        return "taxonomy_term"
    if set(item) <= TAXONOMY_KEYS:  # the shape a taxonomy, an organization and a bare service share
        for prefix, kind in BY_FILE_NAME:
            if hint.startswith(prefix):
                return kind
        return "taxonomy" if "version" in item or "uri" in item else "service"
    if set(item) & ORGANIZATION_ONLY:
        return "organization"
    return "service"


def _services_of(item: dict, dataset: Dataset | None = None, hint: str = "") -> Iterator[dict[str, Any]]:
    """The services one object of a JSON file holds; with `dataset`, the other kinds it holds are noted there."""
    kind = kind_of(item, hint)
    if kind == "organization":
        org = {k: v for k, v in item.items() if k not in ("services", "locations")}
        if dataset is not None and item.get("id"):
            dataset.organizations.store.add("organization", org)
            for location in item.get("locations") or []:
                if isinstance(location, dict):  # an organization's own location belongs to it
                    dataset.organizations.store.add("location", {"organization_id": item["id"], **location})
        for service in item.get("services") or []:
            if isinstance(service, dict):
                yield {"organization": org, **service}
    elif kind == "service_at_location":
        service = dict(item["service"])
        sal = {k: v for k, v in item.items() if k != "service"}
        service.setdefault("service_at_locations", []).append(sal)
        yield service
    elif dataset is None or kind == "service":
        if kind == "service":
            yield item
    elif kind == "location":
        dataset.organizations.store.add("location", item)
    elif kind == "taxonomy_term":
        dataset.taxonomy_terms[str(item.get("id"))] = item
    elif kind == "taxonomy":
        dataset.taxonomies[str(item.get("id"))] = item
    else:
        dataset.other[kind] = dataset.other.get(kind, 0) + 1


class JsonServices:
    """The services of a JSON file, read from the file each time they are iterated."""

    def __init__(self, path: Path, dataset: Dataset):
        self.path = path
        # The first pass checks the whole file and counts (and notes organisations and terms) before any write.
        self.count = sum(1 for item in _objects(path) for _service in _services_of(item, dataset, path.name))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for item in _objects(self.path):
            yield from _services_of(item, hint=self.path.name)


def _read_json(path: Path) -> Dataset:
    store = RecordStore()
    dataset = Dataset(organizations=StoredKind(store, "organization"), locations=StoredKind(store, "location"))
    file = path if path.is_file() else path / "services.json"
    if not file.exists():
        raise HsdsFileError(_("No services.json or datapackage.json in %(dir)s.") % {"dir": path})
    dataset.services = JsonServices(file, dataset)
    if path.is_dir():
        for item in _objects(path / "organizations.json") if (path / "organizations.json").exists() else ():
            if item.get("id"):
                store.add("organization", item)
        for name in ("taxonomies", "taxonomy_terms"):
            if (path / f"{name}.json").exists():
                getattr(dataset, name).update({str(i.get("id")): i for i in _objects(path / f"{name}.json")})
    return dataset


def _load_table(store: RecordStore, directory: Path, name: str) -> None:
    spec = resources()[name]
    file = directory / spec["path"]
    if not file.exists():
        return
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = set(reader.fieldnames or [])
            missing = sorted(spec["required"] - header)
            if missing:
                raise HsdsFileError(
                    _("%(file)s lacks the required columns: %(columns)s.")
                    % {"file": spec["path"], "columns": ", ".join(missing)}
                )
            for row in reader:
                store.add(name, {k: v for k, v in row.items() if k and v not in (None, "")})
    except UnicodeDecodeError:
        raise HsdsFileError(_("%(file)s is not UTF-8 text.") % {"file": spec["path"]}) from None
    except csv.Error as exc:
        raise HsdsFileError(_("%(file)s is not valid CSV: %(error)s.") % {"file": spec["path"], "error": exc}) from None


# nested list of a service → table whose rows carry the service's id in `service_id`
SERVICE_CHILDREN = {
    "languages": "language",
    "phones": "phone",
    "contacts": "contact",
    "cost_options": "cost_option",
    "service_areas": "service_area",
}


class PackageServices:
    """The services of a tabular data package, each joined with its rows from the store when it is reached."""

    def __init__(self, store: RecordStore, dataset: Dataset):
        self.store, self.dataset = store, dataset

    def __len__(self) -> int:
        return self.store.count("service")

    def _location(self, location_id: Any) -> dict[str, Any]:
        found = self.store.get("location", location_id)
        if found is None:
            return {"id": location_id}
        return {
            **found,
            "addresses": self.store.where("address", "location_id", found["id"]),
            "accessibility": self.store.where("accessibility", "location_id", found["id"]),
        }

    def __iter__(self) -> Iterator[dict[str, Any]]:
        store, terms = self.store, self.dataset.taxonomy_terms
        for row in store.rows("service"):
            sid = row.get("id", "")
            service: dict[str, Any] = dict(row)
            for key, table in SERVICE_CHILDREN.items():
                service[key] = store.where(table, "service_id", sid)
            service["schedules"] = store.where("schedule", "service_id", sid)
            service["attributes"] = [
                {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id", ""), {})}
                for a in store.where("attribute", "link_id", sid)
            ]
            service["service_at_locations"] = [
                {
                    **sal,
                    "location": self._location(sal.get("location_id")),
                    "schedules": store.where("schedule", "service_at_location_id", sal.get("id")),
                }
                for sal in store.where("service_at_location", "service_id", sid)
            ]
            organization = self.dataset.organizations.get(row.get("organization_id"))
            if organization is not None:
                service["organization"] = organization
            yield service


def _read_package(directory: Path) -> Dataset:
    package = _load_json(directory / "datapackage.json")
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise HsdsFileError(_("datapackage.json has no list of resources."))
    store = RecordStore()
    for name in resources():
        _load_table(store, directory, name)
    if not store.count("service"):
        raise HsdsFileError(_("The data package has no services.csv rows."))

    def with_identifiers(org: dict) -> dict:
        return {**org, "organization_identifiers": store.where("organization_identifier", "organization_id", org["id"])}

    dataset = Dataset(organizations=StoredKind(store, "organization", with_identifiers))
    dataset.taxonomies = {r["id"]: r for r in store.rows("taxonomy") if r.get("id")}
    dataset.taxonomy_terms = {r["id"]: r for r in store.rows("taxonomy_term") if r.get("id")}
    dataset.services = PackageServices(store, dataset)
    return dataset


def read_dataset(path: Path, fmt: str = "auto") -> Dataset:
    """The dataset at `path`: a JSON file, a datapackage.json, or a directory holding either (`fmt` picks one)."""
    if not path.exists():
        raise HsdsFileError(_("%(path)s does not exist.") % {"path": path})
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
        raise HsdsFileError(_("%(path)s is too large.") % {"path": path})
    if path.is_file() and path.name == "datapackage.json":
        return _read_package(path.parent)
    if path.is_dir() and fmt != "json" and (fmt == "csv" or (path / "datapackage.json").exists()):
        return _read_package(path)
    dataset = _read_json(path)
    if dataset.is_empty():
        if "tables" in dataset.other:
            raise HsdsFileError(
                _("%(path)s holds the tables of the tabular form as JSON; import its data package instead.")
                % {"path": path}
            )
        raise HsdsFileError(
            _("%(path)s holds no HSDS services, organizations, locations or taxonomy terms.") % {"path": path}
        )
    return dataset
