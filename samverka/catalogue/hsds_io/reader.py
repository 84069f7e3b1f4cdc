"""Reading an HSDS 3 dataset into nested service objects (the JSON form), before anything is written.

A file that cannot be read as a whole (not JSON, not UTF-8, a CSV table without its required columns, no
services at all) raises HsdsFileError: the import stops before writing. A bad *record* is the importer's business.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .tables import resources

MAX_FILE_BYTES = 2_000_000_000


class HsdsFileError(ValueError):
    """The dataset cannot be read; the message says why (for the person running the import)."""


@dataclass
class Dataset:
    services: list[dict[str, Any]] = field(default_factory=list)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    taxonomies: dict[str, dict[str, Any]] = field(default_factory=dict)
    taxonomy_terms: dict[str, dict[str, Any]] = field(default_factory=dict)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise HsdsFileError(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from None
    except json.JSONDecodeError as exc:
        raise HsdsFileError(
            _("%(file)s is not valid JSON (line %(line)s): %(error)s.")
            % {"file": path.name, "line": exc.lineno, "error": exc.msg}
        ) from None


def _items(data: Any, path: Path) -> list[dict]:
    """Objects of a list, an API page ({"contents": [...]}) or a single object."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise HsdsFileError(_("%(file)s holds neither HSDS objects nor a list of them.") % {"file": path.name})
    return data


def _add_objects(dataset: Dataset, items: list[dict]) -> None:
    for item in items:
        if isinstance(item.get("services"), list):  # an organization with its services
            org = {k: v for k, v in item.items() if k != "services"}
            if item.get("id"):
                dataset.organizations[str(item["id"])] = org
            for service in item["services"]:
                if isinstance(service, dict):
                    dataset.services.append({"organization": org, **service})
        elif isinstance(item.get("service"), dict):  # a service_at_location
            service = dict(item["service"])
            sal = {k: v for k, v in item.items() if k != "service"}
            service.setdefault("service_at_locations", []).append(sal)
            dataset.services.append(service)
        elif "taxonomy_id" in item or ("code" in item and "status" not in item and "name" in item):
            dataset.taxonomy_terms[str(item.get("id"))] = item
        else:
            dataset.services.append(item)


def _read_json(path: Path) -> Dataset:
    dataset = Dataset()
    files = [path] if path.is_file() else [path / "services.json"]
    for file in files:
        if not file.exists():
            raise HsdsFileError(_("No services.json or datapackage.json in %(dir)s.") % {"dir": path})
        _add_objects(dataset, _items(_load_json(file), file))
    if path.is_dir():
        for name in ("organizations", "taxonomies", "taxonomy_terms"):
            file = path / f"{name}.json"
            if file.exists():
                items = _items(_load_json(file), file)
                getattr(dataset, name).update({str(i.get("id")): i for i in items})
    return dataset


def _read_table(directory: Path, name: str) -> list[dict[str, str]]:
    spec = resources()[name]
    file = directory / spec["path"]
    if not file.exists():
        return []
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
            return [{k: v for k, v in row.items() if k and v not in (None, "")} for row in reader]
    except UnicodeDecodeError:
        raise HsdsFileError(_("%(file)s is not UTF-8 text.") % {"file": spec["path"]}) from None
    except csv.Error as exc:
        raise HsdsFileError(_("%(file)s is not valid CSV: %(error)s.") % {"file": spec["path"], "error": exc}) from None


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        if row.get(key):
            out.setdefault(row[key], []).append(row)
    return out


def _read_package(directory: Path) -> Dataset:
    package = _load_json(directory / "datapackage.json")
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise HsdsFileError(_("datapackage.json has no list of resources."))
    t = {name: _read_table(directory, name) for name in resources()}
    if not t["service"]:
        raise HsdsFileError(_("The data package has no services.csv rows."))
    dataset = Dataset()
    dataset.taxonomies = {r["id"]: r for r in t["taxonomy"] if r.get("id")}
    dataset.taxonomy_terms = {r["id"]: r for r in t["taxonomy_term"] if r.get("id")}
    identifiers = _by(t["organization_identifier"], "organization_id")
    for row in t["organization"]:
        dataset.organizations[row["id"]] = {**row, "organization_identifiers": identifiers.get(row["id"], [])}
    addresses, access = _by(t["address"], "location_id"), _by(t["accessibility"], "location_id")
    locations = {
        r["id"]: {**r, "addresses": addresses.get(r["id"], []), "accessibility": access.get(r["id"], [])}
        for r in t["location"]
        if r.get("id")
    }
    schedules, sal_rows = _by(t["schedule"], "service_id"), _by(t["service_at_location"], "service_id")
    sal_schedules = _by(t["schedule"], "service_at_location_id")
    children = {
        "languages": _by(t["language"], "service_id"),
        "phones": _by(t["phone"], "service_id"),
        "contacts": _by(t["contact"], "service_id"),
        "cost_options": _by(t["cost_option"], "service_id"),
        "service_areas": _by(t["service_area"], "service_id"),
    }
    attributes = _by(t["attribute"], "link_id")
    for row in t["service"]:
        sid = row.get("id", "")
        service: dict[str, Any] = dict(row)
        for key, index in children.items():
            service[key] = index.get(sid, [])
        service["schedules"] = list(schedules.get(sid, []))
        service["attributes"] = [
            {**a, "taxonomy_term": dataset.taxonomy_terms.get(a.get("taxonomy_term_id", ""), {})}
            for a in attributes.get(sid, [])
        ]
        service["service_at_locations"] = [
            {
                **sal,
                "location": locations.get(sal.get("location_id", ""), {"id": sal.get("location_id")}),
                "schedules": sal_schedules.get(sal.get("id", ""), []),
            }
            for sal in sal_rows.get(sid, [])
        ]
        if row.get("organization_id") in dataset.organizations:
            service["organization"] = dataset.organizations[row["organization_id"]]
        dataset.services.append(service)
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
    if not dataset.services:
        raise HsdsFileError(_("%(path)s holds no services.") % {"path": path})
    return dataset
