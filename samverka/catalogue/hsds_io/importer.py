"""`import-hsds`: upsert taxonomies, taxonomy terms, organisations, locations and services of an HSDS dataset.

Each record is written in its own savepoint: a bad record is reported with its reasons and the good ones are
kept. Taxonomies are matched by id or name, terms by id, then code (ours or the dataset's). Organisations are
matched to the registry by id, then by organisation number (organization_identifiers or tax_id); one not in the
registry is registered when it has a valid Norwegian, Swedish or Finnish number and a home area is given
(--area). A matched organisation is only completed: the dataset fills its empty description, e-mail, website
and phone, and never overwrites what the registry holds (its staff and the organisation maintain it). Locations
are upserted by id, owned by their organization or, without one, by --area. Services are published directly
(the import is run by the platform's operators); every write is audited with no actor.
"""

import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverka.areas.models import Area, AreaKind
from samverka.audit.services import audit_record, diff
from samverka.core.errors import DomainError, ValidationError
from samverka.registry import orgnumbers
from samverka.registry import services as registry_services
from samverka.registry.models import Organisation

from ..models import Location, Schedule, Service, ServiceAtLocation, ServiceLanguage, Taxonomy, TaxonomyTerm
from ..search.index import index_services
from ..services import locations as location_services
from ..services.state import apply_state, clean_state, empty_state, service_state
from . import mapping
from .reader import Dataset

ORGANISATION_CACHE = 500
SCHEMES = {"NO-BRC": "NO", "SE-ON": "SE", "SE-BLV": "SE", "FI-PRO": "FI"}
LOCALISED_FROM = {
    "name": "name",
    "description": "description",
    "eligibility": "eligibility_description",
    "fees_description": "fees_description",
    "how_to_access": "application_process",
}


class RecordError(ValueError):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ImportReport:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, reasons)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, kind: str, outcome: str) -> None:
        row = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0})
        row[outcome] += 1

    def reject(self, kind: str, record_id: Any, reasons: list[str]) -> None:
        self.add(kind, "rejected")
        self.rejected.append((kind, str(record_id), "; ".join(str(r) for r in reasons)))


def _uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError):
        return None


def _reasons(exc: ValidationError) -> list[str]:
    return [f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.errors.items()] or [str(exc.detail)]


class Importer:
    def __init__(self, dataset: Dataset, *, language: str, area: Area | None, progress: Callable | None):
        self.dataset, self.language, self.area, self.progress = dataset, language, area, progress
        self.report = ImportReport()
        # dataset organisation id → our organisation's pk (None: rejected); the objects themselves in a small cache,
        # so the import holds a few hundred organisations at most, however many the dataset has.
        self.organisations: dict[str, str | None] = {}
        self._organisation_objects: OrderedDict[str, Organisation] = OrderedDict()
        self.terms: dict[str, str] = {}  # dataset term id → our code

    # Taxonomy ---------------------------------------------------------------------------------------------
    def taxonomies(self) -> None:
        for taxonomy_id, detail in self.dataset.taxonomies.items():
            try:
                with transaction.atomic():
                    _taxonomy, created = self._find_or_create_taxonomy(_uuid(taxonomy_id), detail, "")
            except RecordError as exc:
                self.report.reject("taxonomy", taxonomy_id, exc.reasons)
                continue
            self.report.add("taxonomy", "created" if created else "unchanged")

    def taxonomy_terms(self) -> None:
        # one pass over the services for the terms they refer to (a taxonomy's worth, not a dataset's)
        refs = {t["id"]: t for s in self.dataset.services for t in mapping.category_refs(s)}
        for term_id, term in {**self.dataset.taxonomy_terms, **refs}.items():
            if term_id in {mapping.hsds.facet_term_id(f) for f in mapping.hsds.FACETS} or term_id in self.terms:
                continue
            merged = {**self.dataset.taxonomy_terms.get(term_id, {}), **{k: v for k, v in term.items() if v}}
            try:
                with transaction.atomic():
                    self.terms[term_id] = self._term(term_id, merged)
            except RecordError as exc:
                self.report.reject("taxonomy_term", term_id, exc.reasons)

    def _term(self, term_id: str, term: dict) -> str:
        pk = _uuid(term_id)
        name = mapping.text(term.get("name"), 200)
        code = mapping.text(term.get("code"))
        found = TaxonomyTerm.objects.filter(pk=pk).first() if pk else None
        if found is None and code:
            found = (
                TaxonomyTerm.objects.filter(code=code).first()
                or TaxonomyTerm.objects.filter(external_code=code).first()
            )
        if found:
            self.report.add("taxonomy_term", "unchanged")
            return found.code
        if not pk or not name:
            raise RecordError([_("A new taxonomy term needs a UUID id and a name.")])
        taxonomy = self._taxonomy(term)
        slug = slugify(code or name)[:50] or "term"
        if TaxonomyTerm.objects.filter(code=slug).exists():
            slug = f"{slug[:40]}-{pk[:8]}"
        created = TaxonomyTerm.objects.create(
            pk=pk,
            taxonomy=taxonomy,
            code=slug,
            name=name,
            **{f"name_{self.language}": name},
            description=mapping.text(term.get("description")),
            external_taxonomy=mapping.text(term.get("taxonomy"), 100),
            external_code=code[:60],
        )
        audit_record(actor=None, action="catalogue.taxonomy_term.imported", obj=created, changes={"code": slug})
        self.report.add("taxonomy_term", "created")
        return created.code

    def _taxonomy(self, term: dict) -> Taxonomy:
        embedded: dict[str, Any] = term["taxonomy_detail"] if isinstance(term.get("taxonomy_detail"), dict) else {}
        taxonomy_id = _uuid(term.get("taxonomy_id") or embedded.get("id"))
        detail: dict[str, Any] = self.dataset.taxonomies.get(str(term.get("taxonomy_id")), {}) or embedded
        fallback = mapping.text(term.get("taxonomy")) or _("Imported terms")
        return self._find_or_create_taxonomy(taxonomy_id, detail, fallback)[0]

    def _find_or_create_taxonomy(self, taxonomy_id: str | None, detail: dict, fallback: str) -> tuple[Taxonomy, bool]:
        if taxonomy_id and (found := Taxonomy.objects.filter(pk=taxonomy_id).first()):
            return found, False
        name = mapping.text(detail.get("name") or fallback, 200)
        if not name:
            raise RecordError([_("A new taxonomy needs a name.")])
        found = Taxonomy.objects.filter(name=name).first()
        if found:
            return found, False
        created = Taxonomy.objects.create(
            pk=taxonomy_id or uuid.uuid4(),
            name=name,
            description=mapping.text(detail.get("description")),
            uri=mapping.text(detail.get("uri"), 200),
            version=mapping.text(detail.get("version"), 40),
        )
        return created, True

    # Organisations --------------------------------------------------------------------------------------------
    def listed_organisations(self) -> None:
        """Every organisation the dataset lists, also those without services (read one at a time)."""
        rows = self.dataset.organizations
        for org in rows.values() if isinstance(rows, dict) else rows:
            key = mapping.text(org.get("id"))
            if key:
                self.organisation(org, key)

    def organisation(self, org: dict | None, org_id: str) -> Organisation | None:
        key = org_id or str((org or {}).get("id"))
        if key in self.organisations:
            pk = self.organisations[key]
            return None if pk is None else self._cached_organisation(pk)
        org = org or self.dataset.organizations.get(key) or {"id": key}
        try:
            with transaction.atomic():
                found = self._organisation(org)
        except RecordError as exc:
            self.report.reject("organization", key, exc.reasons)
            found = None
        self.organisations[key] = None if found is None else str(found.pk)
        if found is not None:
            self._remember(found)
        return found

    def _remember(self, organisation: Organisation) -> None:
        self._organisation_objects[str(organisation.pk)] = organisation
        self._organisation_objects.move_to_end(str(organisation.pk))
        if len(self._organisation_objects) > ORGANISATION_CACHE:
            self._organisation_objects.popitem(last=False)

    def _cached_organisation(self, pk: str) -> Organisation:
        found = self._organisation_objects.get(pk) or Organisation.objects.get(pk=pk)
        self._remember(found)
        return found

    def _numbers(self, org: dict) -> list[tuple[str, str]]:
        numbers = []
        for ident in org.get("organization_identifiers") or []:
            country = SCHEMES.get(mapping.text(ident.get("identifier_scheme")).upper())
            if country:
                numbers.append((country, mapping.text(ident.get("identifier"))))
        tax_id = mapping.text(org.get("tax_id"))
        if tax_id:
            first = self.area.country if self.area else "NO"
            numbers += [(c, tax_id) for c in dict.fromkeys((first, "NO", "SE", "FI"))]
        valid = []
        for country, raw in numbers:
            try:
                valid.append((country, orgnumbers.normalise(country, raw)))
            except orgnumbers.OrgNumberError:
                continue
        return list(dict.fromkeys(valid))

    def _organisation(self, org: dict) -> Organisation:
        pk = _uuid(org.get("id"))
        found = Organisation.objects.filter(pk=pk).first() if pk else None
        numbers = self._numbers(org)
        for country, number in numbers:
            found = found or Organisation.objects.filter(country=country, org_number=number).first()
        if found:
            return self._fill_empty(found, org)
        if not numbers:
            raise RecordError(
                [_("not in the registry, and no valid Norwegian, Swedish or Finnish organisation number")]
            )
        if self.area is None:
            raise RecordError([_("not in the registry; give --area to register new organisations")])
        country, number = numbers[0]
        data = {
            "country": country,
            "org_number": number,
            "name": mapping.text(org.get("name"), 300),
            "purpose": mapping.text(org.get("description")),
            "email": mapping.text(org.get("email")),
            "website": mapping.text(org.get("website") or org.get("url")),
            "home_area": str(self.area.pk),
        }
        try:
            created = registry_services.organisation_create(actor=None, data=data)
        except ValidationError as exc:
            raise RecordError(_reasons(exc)) from None
        self.report.add("organization", "created")
        return created

    def _fill_empty(self, found: Organisation, org: dict) -> Organisation:
        """The registry's organisation with its empty fields filled from the dataset; a filled one never changes."""
        phones = [mapping.text(p.get("number")).strip('"') for p in org.get("phones") or [] if isinstance(p, dict)]
        offered = {
            "purpose": mapping.text(org.get("description")),
            "email": mapping.text(org.get("email")),
            "website": mapping.text(org.get("website") or org.get("url")),
            "phone": phones[0][:40] if phones and phones[0] else "",
        }
        if offered["purpose"] in (found.name, found.expertise):
            offered["purpose"] = ""  # what an export writes for the required description when there is no purpose
        data = {name: value for name, value in offered.items() if value and not getattr(found, name)}
        while data:
            try:
                with transaction.atomic():
                    updated = registry_services.organisation_update(actor=None, organisation=found, data=data)
            except ValidationError as exc:  # a bad value is left out, the others still fill
                self.report.warnings.append(("organization", str(found.pk), "; ".join(_reasons(exc))))
                left = {name: value for name, value in data.items() if name not in exc.errors}
                data = left if len(left) < len(data) else {}
                continue
            self.report.add("organization", "updated")
            return updated
        self.report.add("organization", "unchanged")
        return found

    # Locations ------------------------------------------------------------------------------------------------
    def listed_locations(self) -> None:
        """Locations the dataset gives on their own (not through a service), each in its own savepoint."""
        for location in self.dataset.locations:
            raw_id = location.get("id")
            if _uuid(raw_id) is None:
                self.report.reject("location", raw_id, [_("id: not a UUID")])
                continue
            warnings: list[str] = []
            try:
                with transaction.atomic():
                    self.location(location, self._location_owner(location), warnings)
            except RecordError as exc:
                self.report.reject("location", raw_id, exc.reasons)
                continue
            for warning in warnings:
                self.report.warnings.append(("location", str(raw_id), str(warning)))

    def _location_owner(self, location: dict) -> dict[str, Any]:
        org_id = mapping.text(location.get("organization_id"))
        if org_id:
            organisation = self.organisation(None, org_id)
            if organisation is None:
                raise RecordError([_("organization %(id)s could not be matched or registered") % {"id": org_id}])
            return {"organisation": organisation, "area": None}
        if self.area is None:
            raise RecordError([_("no organization; give --area to import it as the public body's own location")])
        return {"organisation": None, "area": self.area}

    def location(self, location: dict, owner: dict[str, Any], warnings: list[str]) -> str | None:
        loc_id = _uuid(location.get("id"))
        if loc_id is None:
            warnings.append(_("a location without a valid id was left out"))
            return None
        values = mapping.location_values(location)
        if mapping.text(location.get("external_identifier_type")) == "municipality":
            values["municipality"] = self._municipality(mapping.text(location.get("external_identifier")))
        try:
            cleaned = location_services._clean(values)
        except ValidationError as exc:
            bad = set(exc.errors)
            if not bad <= {"latitude", "longitude"}:
                warnings.append(_("location %(id)s left out (%(r)s)") % {"id": loc_id, "r": "; ".join(_reasons(exc))})
                self.report.reject("location", loc_id, _reasons(exc))
                return None
            warnings.append(
                _("location %(id)s: coordinates left out (%(r)s)") % {"id": loc_id, "r": "; ".join(_reasons(exc))}
            )
            cleaned = location_services._clean({**values, "latitude": None, "longitude": None})
        existing = Location.objects.filter(pk=loc_id).first()
        if existing and (existing.organisation_id, existing.area_id) != (
            getattr(owner.get("organisation"), "pk", None),
            getattr(owner.get("area"), "pk", None),
        ):
            self.report.reject("location", loc_id, [_("belongs to another owner")])
            return None
        location_obj = existing or Location(pk=uuid.UUID(loc_id), **owner)
        changes = location_services.location_save(
            actor=None, location=location_obj, values=cleaned, created=existing is None
        )
        self.report.add("location", "created" if existing is None else "updated" if changes else "unchanged")
        return loc_id

    def _municipality(self, external: str) -> str | None:
        country, _sep, code = external.partition("-")
        area = Area.objects.filter(country=country, code=code, kind=AreaKind.MUNICIPALITY).first()
        return str(area.pk) if area else None

    # Services -------------------------------------------------------------------------------------------------
    def service(self, item: dict) -> None:
        service_id = _uuid(item.get("id"))
        if service_id is None:
            self.report.reject("service", item.get("id"), [_("id: not a UUID")])
            return
        try:
            with transaction.atomic():
                self._service(service_id, item)
        except RecordError as exc:
            self.report.reject("service", service_id, exc.reasons)
        except ValidationError as exc:
            self.report.reject("service", service_id, _reasons(exc))
        except DomainError as exc:
            self.report.reject("service", service_id, [str(exc)])

    def _owner(self, item: dict) -> dict[str, Any]:
        org_id = mapping.text(item.get("organization_id") or (item.get("organization") or {}).get("id"))
        if org_id or item.get("organization"):
            organisation = self.organisation(item.get("organization"), org_id)
            if organisation is None:
                raise RecordError([_("organization %(id)s could not be matched or registered") % {"id": org_id}])
            return {"organisation": organisation, "area": None}
        if self.area is None:
            raise RecordError([_("no organization; give --area to import it as the public body's own service")])
        return {"organisation": None, "area": self.area}

    def _service(self, service_id: str, item: dict) -> None:
        owner = self._owner(item)
        existing = Service.objects.select_for_update(of=("self",)).filter(pk=service_id).first()
        if existing and (existing.organisation_id, existing.area_id) != (
            getattr(owner["organisation"], "pk", None),
            getattr(owner["area"], "pk", None),
        ):
            raise RecordError([_("the service belongs to another owner in Samverka")])
        warnings: list[str] = []
        state = self._state(item, existing, owner, warnings)
        for warning in warnings:
            self.report.warnings.append(("service", service_id, str(warning)))
        cleaned = clean_state(state, **owner)
        before = service_state(existing) if existing else {}
        verified = mapping.text(item.get("assured_date"))[:10] or None
        service = existing or Service(pk=uuid.UUID(service_id), **owner, last_verified=timezone.localdate())
        if verified:
            service.last_verified = verified
        changed = diff(before, cleaned) if existing else cleaned
        if existing and not changed and str(existing.last_verified) == str(service.last_verified):
            self.report.add("service", "unchanged")
            return
        apply_state(service, cleaned)
        self._keep_ids(service, item, cleaned)
        after = service_state(Service.objects.get(pk=service.pk))
        audit_record(
            actor=None,
            action="catalogue.service.imported",
            obj=service,
            changes=diff(before, after),
            organisation_id=service.organisation_id,
            area_id=owner["organisation"].home_area_id if owner["organisation"] else service.area_id,
        )
        index_services([service.pk])
        self.report.add("service", "updated" if existing else "created")

    def _state(self, item: dict, existing: Service | None, owner: dict, warnings: list[str]) -> dict[str, Any]:
        state = service_state(existing) if existing else empty_state()
        for ours, theirs in LOCALISED_FROM.items():
            value = mapping.application_process(item) if ours == "how_to_access" else mapping.text(item.get(theirs))
            state[f"{ours}_{self.language}"] = value
        state.update(mapping.facets(item))
        state["status"] = mapping.STATUS.get(mapping.text(item.get("status")).lower(), "inactive")
        state["min_age"], state["max_age"] = item.get("minimum_age"), item.get("maximum_age")
        state["email"], state["website"] = mapping.text(item.get("email")), mapping.text(item.get("url"))
        phones = [mapping.text(p.get("number")).strip('"') for p in item.get("phones") or [] if p.get("number")]
        contacts = item.get("contacts") or []
        state["phone"] = phones[0][:40] if phones else ""
        state["contact_name"] = mapping.text(contacts[0].get("name"), 200) if contacts else ""
        if not state["email"] and contacts:
            state["email"] = mapping.text(contacts[0].get("email"))
        codes = [mapping.language_code(lang.get("code") or lang.get("name")) for lang in item.get("languages") or []]
        dropped = [lang.get("code") for lang, c in zip(item.get("languages") or [], codes, strict=True) if not c]
        if dropped:
            warnings.append(
                _("languages not offered in Samverka left out: %(c)s") % {"c": ", ".join(map(str, dropped))}
            )
        state["languages"] = sorted({c for c in codes if c})
        state["categories"] = sorted(
            {self.terms[r["id"]] for r in mapping.category_refs(item) if r["id"] in self.terms}
        )
        state["areas"] = self._areas(item)
        locations, schedules = [], []
        for sal in item.get("service_at_locations") or []:
            location = sal.get("location") or {"id": sal.get("location_id")}
            loc_id = self.location(location, owner, warnings)
            if loc_id:
                locations.append(loc_id)
            for s in sal.get("schedules") or []:
                schedules.append({**s, "location_id": s.get("location_id") or loc_id})
        state["locations"] = sorted(set(locations))
        seen, kept = set(), []
        for s in [*(item.get("schedules") or []), *schedules]:
            if s.get("id") in seen:
                continue
            seen.add(s.get("id"))
            values = mapping.schedule_values(s, warnings)
            if values is not None:
                location = _uuid(s.get("location_id"))
                values["location"] = location if location in state["locations"] else None
                values["id"] = self._schedule_id(values["id"], existing)
                kept.append(values)
        state["schedules"] = kept
        return state

    def _schedule_id(self, value: str | None, existing: Service | None) -> str | None:
        # The dataset's id is kept when it is this service's schedule or not used yet (apply_state creates it).
        pk = _uuid(value)
        if pk and not Schedule.objects.filter(pk=pk).exclude(service=existing).exists():
            return pk
        return None

    def _areas(self, item: dict) -> list[str]:
        found = []
        for served in item.get("service_areas") or []:
            external = mapping.text(served.get("description"))
            country, _sep, code = external.partition("-")
            area = Area.objects.filter(country=country, code=code).first() if code else None
            if area:
                found.append(str(area.pk))
        return sorted(set(found))

    def _keep_ids(self, service: Service, item: dict, state: dict) -> None:
        """Give newly written rows the dataset's ids (stable across exchanges), where they are free."""
        wanted_sal = {
            _uuid(sal.get("location_id") or (sal.get("location") or {}).get("id")): _uuid(sal.get("id"))
            for sal in item.get("service_at_locations") or []
        }
        for sal in ServiceAtLocation.objects.filter(service=service):
            new = wanted_sal.get(str(sal.location_id))
            if new and new != str(sal.pk) and not ServiceAtLocation.objects.filter(pk=new).exists():
                ServiceAtLocation.objects.filter(pk=sal.pk).update(id=new)
        wanted_lang = {
            mapping.language_code(lang.get("code")): _uuid(lang.get("id")) for lang in item.get("languages") or []
        }
        for lang in ServiceLanguage.objects.filter(service=service):
            new = wanted_lang.get(lang.code)
            if new and new != str(lang.pk) and not ServiceLanguage.objects.filter(pk=new).exists():
                ServiceLanguage.objects.filter(pk=lang.pk).update(id=new)

    def run(self) -> ImportReport:
        self.taxonomies()
        self.taxonomy_terms()
        self.listed_organisations()
        self.listed_locations()
        for item in self.dataset.services:
            self.service(item)
            if self.progress:
                self.progress(1)
        return self.report


def import_dataset(
    dataset: Dataset, *, language: str = "nb", area: Area | None = None, progress: Callable | None = None
) -> ImportReport:
    """Upsert the dataset; see the module docstring. Returns counts per kind, rejections and warnings."""
    return Importer(dataset, language=language, area=area, progress=progress).run()
