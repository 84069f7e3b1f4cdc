"""Finland: PRH/YTJ open data v3 (`opendata-ytj-api/v3`), a JSON array of `Company` or a `/companies` response.

Imported forms (YRMU codes, numeric as in `companyForms[].type`, or their abbreviations): 6 AYH aatteellinen
yhdistys and 31 erityislainsäädäntöön perustuva yhdistys → association, 18 SÄÄ säätiö → foundation. Other
forms (companies, housing companies, pension foundations…) are skipped.
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from samverka.registry.models import LegalForm, OrganisationStatus, Source

from .base import Record, Reject, Row, Skip
from .files import ImportFileError, JsonRecords, SourceFile, check_json, open_text, sniff
from .tabular import care_of, join, org_number, website

LEGAL_FORMS = {
    "6": LegalForm.ASSOCIATION,
    "AYH": LegalForm.ASSOCIATION,
    "31": LegalForm.ASSOCIATION,
    "18": LegalForm.FOUNDATION,
    "SÄÄ": LegalForm.FOUNDATION,
}
DISSOLVING_SITUATIONS = frozenset({"KONK", "SELTILA"})  # bankruptcy, liquidation; SANE (restructuring) is not
JSON_KEYS = ("companies",)
FINNISH, SWEDISH = "1", "2"
VISITING, POSTAL = 1, 2


def _current(entries: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [e for e in entries or [] if isinstance(e, dict) and not e.get("endDate")]


def _name(company: dict[str, Any]) -> str:
    names = _current(company.get("names"))
    main = [n for n in names if str(n.get("type")) == "1"] or names
    main.sort(key=lambda n: n.get("version") or 0)
    return " ".join(str(main[0].get("name") or "").split()) if main else ""


def _form(company: dict[str, Any]) -> str:
    forms = _current(company.get("companyForms")) or list(company.get("companyForms") or [])
    forms.sort(key=lambda f: f.get("version") or 0)
    return str(forms[0].get("type") or "").strip().upper() if forms else ""


def _address(company: dict[str, Any]) -> dict[str, str]:
    addresses = [a for a in company.get("addresses") or [] if isinstance(a, dict)]
    addresses.sort(key=lambda a: 0 if a.get("type") == VISITING else 1)
    if not addresses:
        return {"street_address": "", "postal_code": "", "city": "", "municipality": ""}
    a = addresses[0]
    offices = [o for o in a.get("postOffices") or [] if isinstance(o, dict)]
    office = next((o for o in offices if str(o.get("languageCode")) == FINNISH), offices[0] if offices else {})
    municipality = next((str(o["municipalityCode"]) for o in offices if o.get("municipalityCode")), "")
    if a.get("street"):
        street = join(
            care_of(str(a.get("co") or "")),
            " ".join(
                str(a[k])
                for k in ("street", "buildingNumber", "entrance", "apartmentNumber", "apartmentIdSuffix")
                if a.get(k)
            ),
        )
    elif a.get("postOfficeBox"):
        street = f"PL {a['postOfficeBox']}"
    else:
        street = str(a.get("freeAddressLine") or "")
    return {
        "street_address": street,
        "postal_code": str(a.get("postCode") or ""),
        "city": str(office.get("city") or ""),
        "municipality": municipality.zfill(3) if municipality.isdigit() else municipality,
    }


def map_company(line: int, company: Any) -> Row:
    if not isinstance(company, dict):
        return Reject(line, "", "", _("The record is not a JSON object."))
    try:
        business_id = company.get("businessId") or {}
        raw = str(business_id.get("value") or "") if isinstance(business_id, dict) else str(business_id)
        form = _form(company)
        if form not in LEGAL_FORMS:
            return Skip(line, f"legal form {form or '-'}")
        name = _name(company)
        number, problem = org_number("FI", raw)
        if problem:
            return Reject(line, raw, name, problem)
        if not name:
            return Reject(line, number, "", _("The name is missing."))
        situations = {str(s.get("type")) for s in _current(company.get("companySituations"))}
        dissolved = bool(company.get("endDate")) or bool(situations & DISSOLVING_SITUATIONS)
        site = company.get("website")
        address = _address(company)
        return Record(
            line=line,
            org_number=number,
            name=name,
            legal_form=LEGAL_FORMS[form],
            status=OrganisationStatus.DISSOLVED if dissolved else OrganisationStatus.ACTIVE,
            website=website(str(site.get("url") or "")) if isinstance(site, dict) else "",
            municipality=address["municipality"],
            street_address=address["street_address"],
            postal_code=address["postal_code"],
            city=address["city"],
        )
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return Reject(line, "", "", _("The record does not follow the PRH/YTJ schema."))


def _json_first(obj: Any) -> None:
    if not isinstance(obj, dict) or "businessId" not in obj:
        raise ImportFileError(_("This is not a PRH/YTJ JSON file: records lack businessId."))


class PrhFormat:
    key = "prh"
    country = "FI"
    source = Source.PRH

    def prepare(self, source: SourceFile) -> None:
        head = sniff(source).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] not in (b"[", b"{"):
            raise ImportFileError(_("This is not a PRH/YTJ JSON file."))
        check_json(source, "utf-8-sig", JSON_KEYS, _json_first)

    def rows(self, source: SourceFile) -> Iterator[Row]:
        with open_text(source, "utf-8-sig") as stream:
            for line, obj in JsonRecords(stream, JSON_KEYS):
                yield map_company(line, obj)
