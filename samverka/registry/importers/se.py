"""Sweden: SCB's bulk file (Företagsregistret, ISO-8859-1, TAB) or Bolagsverket's bulk file (UTF-8, ";", "$"-packed).

`--format se` tells them apart by the header. Neither file carries a municipality code, so Swedish
organisations arrive without a registered municipality (a coordinator sets the areas served).

SCB JurForm imported: 61 ideella föreningar → association, 63 registrerade trossamfund → religious community,
71 familjestiftelser and 72 övriga stiftelser → foundation. Bolagsverket: I-ORGFO → association, S-ORGFO →
foundation. Other forms and natural persons (personnummer) are skipped.
"""

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _

from samverka.registry.models import LegalForm, OrganisationStatus, Source

from .base import Record, Reject, Row, Skip
from .files import ImportFileError, SourceFile, sniff
from .tabular import Layout, care_of, check_file, join, org_number, rows

SCB_FORMS = {
    "61": LegalForm.ASSOCIATION,
    "63": LegalForm.RELIGIOUS_COMMUNITY,
    "71": LegalForm.FOUNDATION,
    "72": LegalForm.FOUNDATION,
}
SCB = Layout(
    label="SCB bulk file (ISO-8859-1, TAB)",
    encoding="iso-8859-1",
    delimiter="\t",
    quoting=csv.QUOTE_NONE,
    required=("PeOrgNr", "Namn", "JurForm"),
    columns=("PeOrgNr", "Namn", "Foretagsnamn", "JurForm", "Gatuadress", "COAdress", "PostNr", "PostOrt"),
    refuse_utf8=True,
)

BOLAGSVERKET_FORMS = {"I-ORGFO": LegalForm.ASSOCIATION, "S-ORGFO": LegalForm.FOUNDATION}
DISSOLVING_PROCEDURES = frozenset({"LI", "KK"})  # likvidation, konkurs
BOLAGSVERKET = Layout(
    label="Bolagsverket bulk file",
    encoding="utf-8-sig",
    delimiter=";",
    quoting=csv.QUOTE_MINIMAL,
    required=("organisationsidentitet", "organisationsnamn", "organisationsform"),
    columns=(
        "organisationsidentitet",
        "organisationsnamn",
        "organisationsform",
        "avregistreringsdatum",
        "pagandeAvvecklingsEllerOmstruktureringsforfarande",
        "verksamhetsbeskrivning",
        "postadress",
    ),
)


def map_scb(line: int, r: dict[str, str]) -> Row:
    raw = r["PeOrgNr"].strip()
    if len(raw) == 12 and raw[:2] in ("19", "20"):
        return Skip(line, "natural person")
    form = r["JurForm"].strip()
    if form not in SCB_FORMS:
        return Skip(line, f"JurForm {form or '-'}")
    name = " ".join((r["Namn"] or r["Foretagsnamn"]).split())
    number, problem = org_number("SE", raw[2:] if len(raw) == 12 and raw.startswith("16") else raw)
    if problem:
        return Reject(line, raw, name, problem)
    if not name:
        return Reject(line, number, "", _("The name is missing."))
    return Record(
        line=line,
        org_number=number,
        name=name,
        legal_form=SCB_FORMS[form],
        # FtgStat tells whether the unit is registered for VAT, F-tax or as an employer, which most
        # associations are not, so it says nothing about whether the association is alive.
        status=OrganisationStatus.ACTIVE,
        street_address=join(care_of(r["COAdress"]), r["Gatuadress"]),
        postal_code=r["PostNr"].replace(" ", ""),
        city=r["PostOrt"].strip(),
    )


def _packed(value: str) -> list[str]:
    return value.split("$")


def map_bolagsverket(line: int, r: dict[str, str]) -> Row:
    identity = _packed(r["organisationsidentitet"].strip())
    if len(identity) > 1 and identity[1].startswith("PERSON"):
        return Skip(line, "natural person")
    form = r["organisationsform"].strip().upper()
    if form not in BOLAGSVERKET_FORMS:
        return Skip(line, f"organisationsform {form or '-'}")
    names = [_packed(n) for n in r["organisationsnamn"].split("|") if n.strip()]
    chosen = next((n for n in names if len(n) > 1 and n[1].startswith("FORETAGSNAMN")), names[0] if names else [""])
    name = " ".join(chosen[0].split())
    number, problem = org_number("SE", identity[0])
    if problem:
        return Reject(line, identity[0], name, problem)
    if not name:
        return Reject(line, number, "", _("The name is missing."))
    procedures = {
        _packed(p)[0].split("-")[0].strip()
        for p in r["pagandeAvvecklingsEllerOmstruktureringsforfarande"].split("|")
        if p.strip()
    }
    dissolved = bool(r["avregistreringsdatum"].strip()) or bool(procedures & DISSOLVING_PROCEDURES)
    street, co, city, postcode = (_packed(r["postadress"]) + ["", "", "", ""])[:4]
    return Record(
        line=line,
        org_number=number,
        name=name,
        legal_form=BOLAGSVERKET_FORMS[form],
        status=OrganisationStatus.DISSOLVED if dissolved else OrganisationStatus.ACTIVE,
        purpose=r["verksamhetsbeskrivning"].strip(),
        street_address=join(care_of(co), street),
        postal_code=postcode.replace(" ", ""),
        city=city.strip(),
    )


class SwedishFormat:
    key = "se"
    country = "SE"
    source = Source.SE

    def prepare(self, source: SourceFile) -> None:
        first_line = sniff(source).split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf")
        if b"PeOrgNr" in first_line:
            self.layout, self.mapper = SCB, map_scb
        elif b"organisationsidentitet" in first_line:
            self.layout, self.mapper = BOLAGSVERKET, map_bolagsverket
        else:
            raise ImportFileError(
                _(
                    "This is neither an SCB bulk file (PeOrgNr, TAB) nor a Bolagsverket bulk file "
                    "(organisationsidentitet)."
                )
            )
        self.header = check_file(source, self.layout)

    def rows(self, source: SourceFile) -> Iterator[Row]:
        yield from rows(source, self.layout, self.header, self.mapper)
