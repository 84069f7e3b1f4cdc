"""Norway: Enhetsregisteret (Brønnøysundregistrene) bulk CSV, or its JSON bulk/API form.

Which rows are organisations for Samverka: legal forms FLI (forening/lag/innretning), STI (stiftelse) and
KIRK (church bodies, which run diaconal work); any other form only when its institutional sector is 7000
"Ideelle organisasjoner" or it is registered in Frivillighetsregisteret. The rest (municipalities, state
bodies, companies, co-ownerships) are skipped and counted, not rejected.
"""

import csv
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from samverka.registry.models import LegalForm, OrganisationStatus, Source

from .base import Record, Reject, Row, Skip
from .files import ImportFileError, JsonRecords, SourceFile, check_json, open_text, sniff
from .tabular import Layout, check_file, email, join, org_number, rows, website

LEGAL_FORMS = {
    "FLI": LegalForm.ASSOCIATION,
    "STI": LegalForm.FOUNDATION,
    "SA": LegalForm.COOPERATIVE,
    "BBL": LegalForm.COOPERATIVE,
    "KIRK": LegalForm.RELIGIOUS_COMMUNITY,
    "ORGL": LegalForm.ASSOCIATION,
    "AS": LegalForm.NONPROFIT_COMPANY,
    "ASA": LegalForm.NONPROFIT_COMPANY,
}
ALWAYS_IMPORTED = frozenset({"FLI", "STI", "KIRK"})
NONPROFIT_SECTOR = "7000"
DISSOLVED_FLAGS = ("konkurs", "underAvvikling", "underTvangsavviklingEllerTvangsopplosning")

COLUMNS = (
    "organisasjonsnummer",
    "navn",
    "organisasjonsform.kode",
    "institusjonellSektorkode.kode",
    "registrertIFrivillighetsregisteret",
    *DISSOLVED_FLAGS,
    "slettedato",
    "hjemmeside",
    "epostadresse",
    "telefon",
    "mobil",
    "vedtektsfestetFormaal",
    "aktivitet",
    *(
        f"{kind}.{part}"
        for kind in ("forretningsadresse", "postadresse")
        for part in ("adresse", "postnummer", "poststed", "kommunenummer")
    ),
)
LAYOUT = Layout(
    label="Enhetsregisteret CSV",
    encoding="utf-8-sig",
    delimiter=",",
    quoting=csv.QUOTE_MINIMAL,
    required=("organisasjonsnummer", "navn", "organisasjonsform.kode"),
    columns=COLUMNS,
)
JSON_KEYS = ("enheter",)


def map_row(line: int, r: dict[str, str]) -> Row:
    form = r["organisasjonsform.kode"].strip().upper()
    volunteer = r["registrertIFrivillighetsregisteret"].strip().lower() == "true"
    if form not in ALWAYS_IMPORTED and not volunteer and r["institusjonellSektorkode.kode"] != NONPROFIT_SECTOR:
        return Skip(line, f"legal form {form or '-'}")
    name = " ".join(r["navn"].split())
    number, problem = org_number("NO", r["organisasjonsnummer"])
    if problem:
        return Reject(line, r["organisasjonsnummer"], name, problem)
    if not name:
        return Reject(line, number, "", _("The name is missing."))
    dissolved = r["slettedato"] or any(r[flag].strip().lower() == "true" for flag in DISSOLVED_FLAGS)
    # The business address (forretningsadresse) says where the organisation is; the postal one is a fallback.
    kind = (
        "forretningsadresse"
        if r["forretningsadresse.adresse"] or r["forretningsadresse.kommunenummer"]
        else "postadresse"
    )
    purpose = r["vedtektsfestetFormaal"] or r["aktivitet"]
    return Record(
        line=line,
        org_number=number,
        name=name,
        legal_form=LEGAL_FORMS.get(form, LegalForm.OTHER),
        status=OrganisationStatus.DISSOLVED if dissolved else OrganisationStatus.ACTIVE,
        municipality=r[f"{kind}.kommunenummer"].strip(),
        in_volunteer_register=volunteer,
        purpose=purpose.replace("/n", "\n").strip(),
        website=website(r["hjemmeside"]),
        email=email(r["epostadresse"]),
        phone=(r["telefon"] or r["mobil"]).strip()[:40],
        street_address=join(*r[f"{kind}.adresse"].split("/n")),
        postal_code=r[f"{kind}.postnummer"].strip(),
        city=r[f"{kind}.poststed"].strip(),
    )


def _flatten(obj: dict[str, Any], prefix: str = "", out: dict[str, str] | None = None) -> dict[str, str]:
    """A JSON Enhet as the CSV's dotted columns: nested keys joined with ".", text lists with "/n"."""
    out = {} if out is None else out
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}.", out)
        elif isinstance(value, list):
            out[name] = "/n".join(str(v) for v in value if not isinstance(v, (dict, list)))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif value is not None:
            out[name] = str(value)
    return out


def _json_first(obj: Any) -> None:
    if not isinstance(obj, dict) or "organisasjonsnummer" not in obj:
        raise ImportFileError(_("This is not an Enhetsregisteret JSON file: records lack organisasjonsnummer."))


class BrregFormat:
    key = "brreg"
    country = "NO"
    source = Source.BRREG

    def prepare(self, source: SourceFile) -> None:
        head = sniff(source).lstrip(b"\xef\xbb\xbf \t\r\n")
        self.json = head[:1] in (b"[", b"{")
        if self.json:
            check_json(source, "utf-8-sig", JSON_KEYS, _json_first)
        else:
            self.header = check_file(source, LAYOUT)

    def rows(self, source: SourceFile) -> Iterator[Row]:
        if not self.json:
            yield from rows(source, LAYOUT, self.header, map_row)
            return
        with open_text(source, "utf-8-sig") as stream:
            for line, obj in JsonRecords(stream, JSON_KEYS):
                if not isinstance(obj, dict):
                    yield Reject(line, "", "", _("The record is not a JSON object."))
                    continue
                flat = _flatten(obj)
                yield map_row(line, {name: flat.get(name, "") for name in COLUMNS})
