"""Samverka objects as Open Referral HSDS 3.0 objects (schemas in standards/hsds-3/).

HSDS has one text per field, so texts are given in the requested language with the usual fallback.
Objects Samverka does not store as rows (addresses, phones, contacts, cost options, accessibility)
get ids derived with uuid5 from their owner's id, so they are stable across edits.
"""

import uuid
from typing import Any

from django.utils import timezone

from .models import OFFERED_LANGUAGES, Location, Schedule, Service, Taxonomy, TaxonomyTerm, localised

VERSION = "3.0"
# Samverka's own facets travel as HSDS attributes of one extra taxonomy (one term per facet, the value in `value`),
# so an export read back by `import-hsds` keeps kind, access mode, cost and vouchers.
FACET_TAXONOMY_ID = "b0b7b0a4-5a8e-5b7e-9c55-6f1e2f3a0001"
FACET_TAXONOMY_NAME = "Samverka service facets"
FACETS = ("kind", "access_mode", "fee", "accepts_vouchers")
# Identifier schemes (org-id.guide) of organisation numbers; SE-BLV is accepted on import too.
IDENTIFIER_SCHEMES = {"NO": "NO-BRC", "SE": "SE-ON", "FI": "FI-PRO"}
OFFERED = dict(OFFERED_LANGUAGES)
RRULE_KEYS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYWEEKNO", "BYYEARDAY", "UNTIL", "COUNT", "WKST"}


def sub_id(owner_id, kind: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(owner_id)), kind))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != ""}


def taxonomy(t: Taxonomy) -> dict:
    return _clean(
        {"id": str(t.pk), "name": t.name, "description": t.description or t.name, "uri": t.uri, "version": t.version}
    )


def taxonomy_term(term: TaxonomyTerm, language: str | None = None) -> dict:
    data = _clean(
        {
            "id": str(term.pk),
            "code": term.code,
            "name": localised(term, "name", language) or term.name,
            "description": term.description or term.name,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
            "language": language,
        }
    )
    if term.external_code:
        # Extension (HSDS allows extra properties): where the term sits in another taxonomy, e.g. Open Eligibility.
        data["mapped_terms"] = [{"taxonomy": term.external_taxonomy, "code": term.external_code}]
    return data


def facet_term_id(facet: str) -> str:
    return sub_id(FACET_TAXONOMY_ID, f"facet:{facet}")


def facet_taxonomy() -> dict:
    return {
        "id": FACET_TAXONOMY_ID,
        "name": FACET_TAXONOMY_NAME,
        "description": "Kind, access mode, cost and service vouchers of Samverka services (value in `value`).",
        "version": "1",
    }


def facet_term(facet: str) -> dict:
    return {
        "id": facet_term_id(facet),
        "code": f"samverka-{facet.replace('_', '-')}",
        "name": facet,
        "description": f"Samverka facet {facet}",
        "taxonomy": FACET_TAXONOMY_NAME,
        "taxonomy_id": FACET_TAXONOMY_ID,
    }


def _facet_attributes(service: Service) -> list[dict]:
    values = {
        "kind": service.kind,
        "access_mode": service.access_mode,
        "fee": service.fee,
        "accepts_vouchers": "true" if service.accepts_vouchers else "false",
    }
    return [
        {
            "id": sub_id(service.pk, f"facet:{facet}"),
            "link_id": str(service.pk),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": facet_term_id(facet),
            "taxonomy_term": facet_term(facet),
            "value": values[facet],
        }
        for facet in FACETS
    ]


def _attributes(service: Service, language) -> list[dict]:
    return [
        {
            "id": sub_id(service.pk, f"attribute:{term.pk}"),
            "link_id": str(service.pk),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": str(term.pk),
            "taxonomy_term": taxonomy_term(term, language),
        }
        for term in service.categories.all()
    ] + _facet_attributes(service)


def organization(org, language: str | None = None, *, full: bool = False, services: list | None = None) -> dict:
    data = _clean(
        {
            "id": str(org.pk),
            "name": localised(org, "name", language) or org.name,
            "alternate_name": org.name if (localised(org, "name", language) or org.name) != org.name else None,
            "description": org.purpose or org.expertise or org.name,
            "email": org.email,
            "website": org.website,
            "tax_id": org.org_number,
            "legal_status": org.get_legal_form_display(),
        }
    )
    if full:
        data["organization_identifiers"] = [
            {
                "id": sub_id(org.pk, "identifier"),
                "organization_id": str(org.pk),
                "identifier_scheme": IDENTIFIER_SCHEMES.get(org.country, ""),
                "identifier_type": "Organisation number",
                "identifier": org.org_number,
            }
        ]
        data["services"] = services or []
    return data


def _rrule_parts(rule: str) -> dict[str, str]:
    parts = {}
    for piece in rule.split(";"):
        if "=" in piece:
            key, value = piece.split("=", 1)
            if key.upper() in RRULE_KEYS:
                parts[key.upper()] = value
    return parts


def schedule_description(s: Schedule) -> str:
    """The full rule, exception dates and kind, which HSDS's own schedule fields cannot all hold."""
    text = f"RRULE:{s.rrule}"
    if s.exceptions:
        text += f"; EXDATE {' '.join(s.exceptions)}"
    return text + f"; KIND {s.kind}"


def schedule(s: Schedule, service: Service) -> dict:
    parts = _rrule_parts(s.rrule)
    freq = parts.get("FREQ")
    byday = parts.get("BYDAY")
    if freq == "DAILY":
        freq, byday = "WEEKLY", byday or "MO,TU,WE,TH,FR,SA,SU"
    data: dict[str, Any] = {
        "id": str(s.pk),
        "service_id": str(service.pk),
        "location_id": str(s.location_id) if s.location_id else None,
        "valid_from": s.dtstart.isoformat(),
        "dtstart": s.dtstart.isoformat(),
        "freq": freq if freq in ("WEEKLY", "MONTHLY") else None,
        "interval": int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else None,
        "byday": byday,
        "bymonthday": parts.get("BYMONTHDAY"),
        "byweekno": parts.get("BYWEEKNO"),
        "byyearday": parts.get("BYYEARDAY"),
        "until": parts.get("UNTIL"),
        "count": int(parts["COUNT"]) if parts.get("COUNT", "").isdigit() else None,
        "wkst": parts.get("WKST") if parts.get("WKST") in ("MO", "TU", "WE", "TH", "FR", "SA", "SU") else None,
        "opens_at": s.opens_at.strftime("%H:%M"),
        "closes_at": s.closes_at.strftime("%H:%M"),
        "description": schedule_description(s),
        "notes": s.notes,
        "attending_type": "in_person",
    }
    return _clean(data)


def location(loc: Location, language: str | None = None) -> dict:
    municipality = loc.municipality if loc.municipality_id else None
    data: dict[str, Any] = {
        "id": str(loc.pk),
        "location_type": "physical",
        "organization_id": str(loc.organisation_id) if loc.organisation_id else None,
        "name": loc.name,
        "transportation": loc.transportation,
        "latitude": float(loc.latitude) if loc.latitude is not None else None,
        "longitude": float(loc.longitude) if loc.longitude is not None else None,
        "external_identifier": municipality.external_code if municipality else None,
        "external_identifier_type": "municipality" if loc.municipality_id else None,
    }
    data = _clean(data)
    if loc.street_address or loc.city:
        data["addresses"] = [
            _clean(
                {
                    "id": sub_id(loc.pk, "address"),
                    "location_id": str(loc.pk),
                    "address_1": loc.street_address,
                    "city": loc.city or (municipality.name if municipality else ""),
                    "state_province": municipality.name if municipality else (loc.city or "-"),
                    "postal_code": loc.postal_code or "-",
                    "country": municipality.country if municipality else "NO",
                    "address_type": "physical",
                }
            )
        ]
    if loc.accessibility:
        data["accessibility"] = [
            {"id": sub_id(loc.pk, "accessibility"), "location_id": str(loc.pk), "description": loc.accessibility}
        ]
    return data


def _contact_parts(service: Service) -> dict:
    out: dict[str, list] = {}
    if service.phone:
        out["phones"] = [{"id": sub_id(service.pk, "phone"), "service_id": str(service.pk), "number": service.phone}]
    if service.contact_name or service.email:
        out["contacts"] = [
            _clean(
                {
                    "id": sub_id(service.pk, "contact"),
                    "service_id": str(service.pk),
                    "name": service.contact_name,
                    "email": service.email,
                }
            )
        ]
    return out


def service_summary(service: Service, language: str | None = None) -> dict:
    """The service_list shape: the service and its organisation, no nested lists."""
    data = _clean(
        {
            "id": str(service.pk),
            "organization_id": str(service.organisation_id) if service.organisation_id else None,
            "name": service.display_name
            if language is None
            else (localised(service, "name", language) or service.sort_name),
            "description": localised(service, "description", language) or localised(service, "summary", language),
            "url": service.website,
            "email": service.email,
            "status": "active" if service.status == "active" else "inactive",
            "application_process": localised(service, "how_to_access", language) or service.get_access_mode_display(),
            "fees_description": localised(service, "fees_description", language),
            "fees": service.get_fee_display(),
            "eligibility_description": localised(service, "eligibility", language),
            "minimum_age": service.min_age,
            "maximum_age": service.max_age,
            "assured_date": service.last_verified.isoformat() if service.last_verified else None,
            "last_modified": timezone.localtime(service.updated_at).isoformat(),
        }
    )
    if service.organisation_id:
        data["organization"] = organization(service.organisation, language)
    return data


def service_full(service: Service, language: str | None = None) -> dict:
    data = service_summary(service, language)
    data["languages"] = [
        {
            "id": str(lang.pk),
            "service_id": str(service.pk),
            "code": lang.code,
            "name": str(OFFERED.get(lang.code, lang.code)),
        }
        for lang in service.languages.all()
    ]
    data["service_areas"] = [
        {
            "id": sub_id(service.pk, f"area:{a.pk}"),
            "service_id": str(service.pk),
            "name": a.name,
            "extent_type": "other",
            "description": a.external_code,
        }
        for a in service.areas.all()
    ]
    data["service_at_locations"] = [
        {
            "id": str(sal.pk),
            "service_id": str(service.pk),
            "location_id": str(sal.location_id),
            "location": location(sal.location, language),
        }
        for sal in service.service_at_locations.all()
    ]
    data["schedules"] = [schedule(s, service) for s in service.schedules.all()]
    data["attributes"] = _attributes(service, language)
    data["cost_options"] = [
        {
            "id": sub_id(service.pk, "cost"),
            "service_id": str(service.pk),
            "option": service.get_fee_display(),
            "amount_description": localised(service, "fees_description", language) or service.get_fee_display(),
        }
    ]
    data.update(_contact_parts(service))
    return data


def service_at_location_summary(sal, language: str | None = None) -> dict:
    return {
        "id": str(sal.pk),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location(sal.location, language),
        "service": service_summary(sal.service, language),
    }
