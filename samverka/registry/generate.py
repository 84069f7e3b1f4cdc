"""National-scale test data: organisations straight into the database, or an Enhetsregisteret CSV file.

Everything is deterministic for a seed. Organisation numbers carry valid check digits (NO mod 11, SE Luhn with
the ideella-föreningar group digit 8, FI Y-tunnus mod 11); names come from Nordic word lists and real
municipality names; organisations spread over the real municipalities loaded in the areas table.
"""

import csv
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from samverka.areas.loader import read_rows as area_rows
from samverka.areas.models import Area, AreaKind
from samverka.registry.facets import facets_rebuild_all
from samverka.registry.models import (
    Category,
    LegalForm,
    Organisation,
    OrganisationStatus,
    OrganisationYear,
    Source,
    TargetGroup,
)

CHUNK = 5000
# SQLite page cache of the generating connection, in KiB (PRAGMA cache_size takes a negative number of KiB).
SQLITE_CACHE_KIB = 65_536
YEAR_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "organisation",
    "year",
    "members",
    "volunteers",
    "peer_supporters",
    "employees",
    "volunteer_hours",
)
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)


def _prep(field: models.Field, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _prep_with_default(field: models.Field, default: Any, value: Any) -> Any:
    return field.get_db_prep_save(value or default, connection)


def fast_insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT objects with one executemany: bulk_create's per-value SQL compiling costs more than the database.

    Values go through each field's own get_db_prep_save (UUIDs, dates, JSON per backend), except plain text,
    numbers and booleans, which the drivers take as they are.
    """
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    now = timezone.now()
    prepare: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
            prepare.append(partial(_prep_with_default, f, now))
        elif type(f).pre_save is not models.Field.pre_save and not isinstance(f, models.DateField):
            raise ValueError(f"fast_insert cannot fill {f.name}")
        elif isinstance(f, _PLAIN) and not f.is_relation:
            prepare.append(None)
        else:
            prepare.append(partial(_prep, f))
    rows = [
        tuple(
            value if prep is None else prep(value)
            for prep, value in zip(prepare, [getattr(obj, f.attname) for f in fields], strict=True)
        )
        for obj in objects
    ]
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, quoted; values are bound parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT rows whose values are already in the database's form (see `db_uuid`, `db_datetime`)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = [str(getattr(model._meta.get_field(c), "column", c)) for c in columns]
    # Table and column names come from the model's own metadata, quoted; values are bound parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table), ", ".join(quote(n) for n in names), ", ".join(["%s"] * len(names))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def db_uuid(value: uuid.UUID) -> Any:
    return value if connection.features.has_native_uuid_field else value.hex


COUNTRY_SHARES = (("NO", 0.35), ("SE", 0.40), ("FI", 0.25))


def no_number(base: int) -> str | None:
    digits = f"{base:08d}"
    r = sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    return None if r == 1 else digits + str(0 if r == 0 else 11 - r)


def se_number(base: int) -> str:
    digits = f"8{base:08d}"  # group 8: ideella föreningar och stiftelser; digits 3–4 ≥ 20 while base ≥ 2,000,000
    total = 0
    for i, d in enumerate(digits):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return digits + str((10 - total % 10) % 10)


def fi_number(base: int) -> str | None:
    digits = f"{base:07d}"
    r = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return None if r == 1 else f"{digits}-{0 if r == 0 else 11 - r}"


# Bases per look-up of the numbers already taken: generating into a full database reads them window by window
# instead of holding every existing number of a country in memory.
NUMBER_WINDOW = 50_000
NUMBER_PREFIX: dict[str, Callable[[int], str]] = {
    # The number without its check digit, fixed width: for one country, string order is base order.
    "NO": lambda base: f"{base:08d}",
    "SE": lambda base: f"8{base:08d}",
    "FI": lambda base: f"{base:07d}",
}


def numbers(country: str, rng: random.Random, taken: Callable[[str, str], set[str]] | None = None) -> Iterator[str]:
    """An endless run of valid, unused numbers from a random start.

    `taken(low, high)` gives the numbers already used from prefix `low` (included) to prefix `high` (excluded);
    it is asked once per NUMBER_WINDOW bases, so memory does not grow with the numbers already in the database.
    """
    if country == "NO":
        base, make = rng.randrange(80_000_000, 95_000_000), no_number
    elif country == "SE":
        base, make = rng.randrange(2_000_000, 6_000_000), se_number
    else:
        base, make = rng.randrange(1_000_000, 3_000_000), fi_number
    prefix = NUMBER_PREFIX[country]
    window_end = base + 1
    used: set[str] = set()
    while True:
        base += 1
        if taken is not None and base >= window_end:
            window_end = base + NUMBER_WINDOW
            used = taken(prefix(base), prefix(window_end))
        number = make(base)
        if number and number not in used:
            yield number


def _taken_numbers(country: str) -> Callable[[str, str], set[str]]:
    def taken(low: str, high: str) -> set[str]:
        rows = Organisation.objects.filter(country=country, org_number__gte=low, org_number__lt=high)
        return set(rows.values_list("org_number", flat=True))

    return taken


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split("|")]


# Names of the kind these registers hold: national NGOs' local branches and local associations.
WORDS: dict[str, dict[str, Any]] = {
    "NO": {
        "national": _words(
            "Mental Helse|Røde Kors|Norsk Folkehjelp|LHL|Kreftforeningen|Blå Kors|Kirkens Bymisjon|Redd Barna|"
            "Natteravnene|Home-Start|Norges Blindeforbund|Norges Handikapforbund|Nasjonalforeningen for folkehelsen|"
            "Kirkens SOS|LPP|Frelsesarmeen|Hørselshemmedes Landsforbund|Pensjonistforbundet"
        ),
        "local": _words(
            "Pensjonistforening|Sanitetsforening|Idrettslag|Frivilligsentral|Bygdekvinnelag|Husflidslag|Ungdomslag|"
            "Velforening|Musikkorps|Seniordans|Turlag|Likepersonsforening|Demensforening|Pårørendeforening|"
            "Diabetesforening|Revmatikerforening|Innvandrerforening|Leksehjelp|Besøkstjeneste"
        ),
        "foundation": (
            "Stiftelsen {place} {thing}",
            _words("Seniorsenter|Aktivitetshus|Kirkeasyl|Ungdomshus|Omsorgsfond|Fritidsklubb"),
        ),
        "qualifier": _words("Øst|Vest|Nord|Sør|Sentrum|Ungdom|Senior"),
        "purpose": "Frivillig arbeid for {group} i {place}: møteplasser, likepersonsarbeid og aktiviteter.",
        "groups": _words(
            "eldre|barn og unge|pårørende|innvandrere|mennesker med psykiske helseplager|"
            "mennesker med funksjonsnedsettelse|ensomme"
        ),
    },
    "SE": {
        "national": _words(
            "PRO|SPF Seniorerna|Röda Korset|Attention|RSMH|Brottsofferjouren|Kvinnojouren|Tjejjouren|Lions Club|"
            "Stadsmissionen|Hjärnkoll|Individuell Människohjälp|Rädda Barnen|Hela Människan|Frälsningsarmén|"
            "Anhörigas Riksförbund|Demensförbundet"
        ),
        "local": _words(
            "Hembygdsförening|Pensionärsförening|Idrottsförening|Volontärcentral|Frivilligcentral|Anhörigförening|"
            "Synskadeförening|Hörselförening|Diabetesförening|Reumatikerförening|Läxhjälp|Besöksvänner|"
            "Missionsförsamling|Kamratstödsförening|Föräldraförening"
        ),
        "foundation": (
            "Stiftelsen {thing} i {place}",
            _words("Äldreomsorg|Ungdomens hus|Träffpunkten|Kulturhuset|Sociala fonden"),
        ),
        "qualifier": _words("Norra|Södra|Östra|Västra|Centrum|Ungdom|Senior"),
        "purpose": "Ideell verksamhet för {group} i {place}: mötesplatser, kamratstöd och aktiviteter.",
        "groups": _words(
            "äldre|barn och unga|anhöriga|nyanlända|personer med psykisk ohälsa|personer med funktionsnedsättning|"
            "ensamma"
        ),
    },
    "FI": {
        "national": _words(
            "Mielenterveysseura|SPR|Setlementti|Martat|Eläkeliitto|Omaishoitajat|Muistiyhdistys|"
            "Näkövammaisyhdistys|Kuuloyhdistys|Sydänyhdistys|Diabetesyhdistys|Reumayhdistys|Invalidiyhdistys|MLL|"
            "A-kilta|Kriisikeskus|Vertaistukiyhdistys"
        ),
        "local": _words(
            "Vapaaehtoiskeskus|Nuorisoseura|Kyläyhdistys|Urheiluseura|Eläkeläiset|Seniorit|Perhekerho|"
            "Ystäväpalvelu|Kotiseutuyhdistys|Kansalaisopistoseura"
        ),
        "foundation": ("{thing}säätiö {place}", _words("Vanhus|Nuoriso|Asumis|Kuntoutus|Hyvinvointi")),
        "qualifier": _words("Pohjoinen|Etelä|Itä|Länsi|Keskusta|Nuoret|Seniorit"),
        "purpose": "Vapaaehtoistoimintaa ({group}) paikkakunnalla {place}: kohtaamispaikkoja ja vertaistukea.",
        "groups": _words(
            "ikäihmiset|lapset ja nuoret|omaiset|maahanmuuttajat|mielenterveyskuntoutujat|vammaiset|yksinäiset"
        ),
    },
}
SUFFIX = {"NO": "", "SE": "", "FI": " ry"}
FOUNDATION_SUFFIX = {"NO": "", "SE": "", "FI": " sr"}
STREETS = {
    "NO": ["Storgata", "Kirkeveien", "Skolegata", "Stasjonsveien", "Parkveien"],
    "SE": ["Storgatan", "Kyrkogatan", "Skolgatan", "Järnvägsgatan", "Parkvägen"],
    "FI": ["Kauppakatu", "Kirkkokatu", "Koulukatu", "Asemakatu", "Puistotie"],
}


def place_name(name: str) -> str:
    """The first of a municipality's official names ("Gáivuotna - Kåfjord - Kaivuono" → "Gáivuotna")."""
    return name.split(" - ")[0].split(" (")[0]


def organisation_name(country: str, place: str, foundation: bool, rng: random.Random) -> str:
    words = WORDS[country]
    if foundation:
        pattern, things = words["foundation"]
        return pattern.format(place=place, thing=rng.choice(things)) + FOUNDATION_SUFFIX[country]
    if rng.random() < 0.45:
        name = f"{rng.choice(words['national'])} {place}"
    else:
        name = f"{place} {rng.choice(words['local'])}"
    if rng.random() < 0.25:
        name = f"{name} {rng.choice(words['qualifier'])}"
    return name + SUFFIX[country]


def _slug(text: str) -> str:
    table = str.maketrans("æøåäöüé", "aoaaoue")
    return "".join(c for c in text.lower().translate(table) if c.isascii() and c.isalnum())[:40]


def _organisation(country: str, number: str, area: tuple, rng: random.Random, now) -> Organisation:
    area_id, place = area
    foundation = rng.random() < 0.12
    words = WORDS[country]
    name = organisation_name(country, place, foundation, rng)
    roll = rng.random()
    status = (
        OrganisationStatus.ACTIVE
        if roll < 0.93
        else OrganisationStatus.INACTIVE
        if roll < 0.97
        else OrganisationStatus.DISSOLVED
    )
    return Organisation(
        id=uuid.uuid4(),
        country=country,
        org_number=number,
        name=name,
        legal_form=LegalForm.FOUNDATION if foundation else LegalForm.ASSOCIATION,
        status=status,
        home_area_id=area_id,
        purpose=words["purpose"].format(group=rng.choice(words["groups"]), place=place),
        website=f"https://www.{_slug(name)}.example" if rng.random() < 0.4 else "",
        street_address=f"{rng.choice(STREETS[country])} {rng.randrange(1, 120)}",
        postal_code=f"{rng.randrange(1000, 9999):04d}" if country == "NO" else f"{rng.randrange(10000, 99999)}",
        city=place,
        in_volunteer_register=country == "NO" and rng.random() < 0.6,
        source=Source.GENERATED,
        source_updated_at=now,
        created_at=now,
        updated_at=now,
    )


@contextmanager
def _sqlite_page_cache(kib: int) -> Iterator[None]:
    """On SQLite, a page cache of `kib` KiB for this connection while the block runs, then the old size again.

    Random UUID keys touch pages all over the indexes, so the 2 MB default re-reads most of them. The cache fills
    up and stays full: it is the part of the command's peak memory that rises with the data, up to this cap.
    64 MB against 256 MB, 300,000 organisations with --years, in-process on the shared 2-core machine: peak RSS
    167 MB instead of 403 MB, for 140 s instead of 126 s (89 s against 85 s of CPU), most of it in the final facet
    rebuild (47 s against 22 s), which re-reads the organisation table once per id range.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def generate_organisations(count: int, *, seed: int = 1, years: bool = False) -> dict[str, int]:
    """Insert `count` organisations (plus their areas, categories, target groups and optionally yearly figures)."""
    # Seeded, reproducible synthetic data; not used for anything secret.
    rng = random.Random(seed)  # nosec B311
    municipalities: dict[str, list[tuple]] = {c: [] for c, _ in COUNTRY_SHARES}
    for area_id, country, name in Area.objects.filter(kind=AreaKind.MUNICIPALITY).values_list("id", "country", "name"):
        municipalities[country].append((area_id, place_name(name)))
    for country in municipalities:
        municipalities[country].sort(key=lambda a: a[1])
    if not all(municipalities.values()):
        raise ValueError("Load the areas first (samverka load-areas).")
    categories = list(Category.objects.values_list("id", flat=True))
    target_groups = list(TargetGroup.objects.values_list("id", flat=True))
    number_runs = {c: numbers(c, rng, _taken_numbers(c)) for c, _ in COUNTRY_SHARES}
    area_db = {area_id: db_uuid(area_id) for areas in municipalities.values() for area_id, _name in areas}
    with _sqlite_page_cache(SQLITE_CACHE_KIB):
        through = Organisation.areas.through
        category_through = Organisation.categories.through
        group_through = Organisation.target_groups.through
        this_year = timezone.now().year
        totals = {"organisations": 0, "areas": 0, "categories": 0, "target_groups": 0, "years": 0}
        countries = [c for c, _ in COUNTRY_SHARES]
        weights = [w for _, w in COUNTRY_SHARES]
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            now = timezone.now()
            now_db = Organisation._meta.get_field("created_at").get_db_prep_save(now, connection)
            orgs, links, cats, groups, figures = [], [], [], [], []
            for country in rng.choices(countries, weights, k=size):
                areas = municipalities[country]
                index = rng.randrange(len(areas))
                org = _organisation(country, next(number_runs[country]), areas[index], rng, now)
                orgs.append(org)
                org_db = db_uuid(org.id)
                links.append((org_db, area_db[org.home_area_id]))
                if rng.random() < 0.2:  # serves a neighbour too (municipalities sorted by name: close enough)
                    neighbour = areas[(index + 1) % len(areas)][0]
                    links.append((org_db, area_db[neighbour]))
                for cat in rng.sample(categories, k=min(len(categories), rng.randint(1, 2))):
                    cats.append((org_db, cat))
                for group in rng.sample(target_groups, k=min(len(target_groups), rng.randint(0, 2))):
                    groups.append((org_db, group))
                if years:
                    for year in (this_year - 2, this_year - 1):
                        volunteers = rng.randrange(0, 200)
                        figures.append(
                            (
                                db_uuid(uuid.uuid4()),
                                now_db,
                                now_db,
                                org_db,
                                year,
                                rng.randrange(volunteers, volunteers * 5 + 10),
                                volunteers,
                                rng.randrange(0, volunteers // 4 + 1),
                                rng.randrange(0, 5),
                                volunteers * rng.randrange(5, 60),
                            )
                        )
            with transaction.atomic():
                fast_insert(Organisation, orgs)
                insert_rows(through, ("organisation", "area"), links)
                insert_rows(category_through, ("organisation", "category"), cats)
                insert_rows(group_through, ("organisation", "targetgroup"), groups)
                insert_rows(OrganisationYear, YEAR_COLUMNS, figures)
            done += size
            totals["organisations"] += len(orgs)
            totals["areas"] += len(links)
            totals["categories"] += len(cats)
            totals["target_groups"] += len(groups)
            totals["years"] += len(figures)
        facets_rebuild_all()
        return totals


# The 54 columns of the real sample (brreg's 2024 layout), so the generated file is read like a real one.
SAMPLE = Path(__file__).resolve().parent / "importers" / "samples" / "enheter-csv-selection-fli-sti.csv"
with open(SAMPLE, encoding="utf-8", newline="") as _fh:
    BRREG_HEADER = next(csv.reader(_fh))
NAERING = [
    ("94.991", "Aktiviteter i andre interesseorganisasjoner ikke nevnt annet sted"),
    ("93.120", "Idrettslag og -klubber"),
    ("88.991", "Velferdsorganisasjoner"),
    ("94.920", "Aktiviteter i politiske organisasjoner"),
]


def brreg_rows(count: int, *, seed: int = 1) -> Iterator[list[str]]:
    """Rows in the 54-column Enhetsregisteret CSV layout: FLI and STI with valid numbers and real kommunenummer."""
    # Seeded, reproducible synthetic data; not used for anything secret.
    rng = random.Random(seed)  # nosec B311
    areas = [(r.code, place_name(r.name)) for r in area_rows() if r.country == "NO" and r.kind == "municipality"]
    run = numbers("NO", rng)
    words = WORDS["NO"]
    for _ in range(count):
        code, place = rng.choice(areas)
        foundation = rng.random() < 0.15
        name = organisation_name("NO", place, foundation, rng).upper()
        naering = rng.choice(NAERING)
        volunteer = "true" if rng.random() < 0.6 else "false"
        purpose = words["purpose"].format(group=rng.choice(words["groups"]), place=place)
        row = dict.fromkeys(BRREG_HEADER, "")
        row.update(
            {
                "organisasjonsnummer": next(run),
                "navn": name,
                "organisasjonsform.kode": "STI" if foundation else "FLI",
                "organisasjonsform.beskrivelse": "Stiftelse" if foundation else "Forening/lag/innretning",
                "naeringskode1.kode": naering[0],
                "naeringskode1.beskrivelse": naering[1],
                "harRegistrertAntallAnsatte": "false",
                "hjemmeside": f"www.{_slug(name)}.no" if rng.random() < 0.3 else "",
                "forretningsadresse.adresse": f"c/o {rng.choice(['Kari', 'Ola', 'Ingrid', 'Per'])} Nordmann/n"
                f"{rng.choice(STREETS['NO'])} {rng.randrange(1, 120)}",
                "forretningsadresse.poststed": place.upper(),
                "forretningsadresse.postnummer": f"{rng.randrange(1, 9999):04d}",
                "forretningsadresse.kommune": place.upper(),
                "forretningsadresse.kommunenummer": code,
                "forretningsadresse.land": "Norge",
                "forretningsadresse.landkode": "NO",
                "institusjonellSektorkode.kode": "7000",
                "institusjonellSektorkode.beskrivelse": "Ideelle organisasjoner",
                "registreringsdatoenhetsregisteret": f"{rng.randrange(1995, 2025)}-0{rng.randrange(1, 10)}-15",
                "registrertIMvaRegisteret": "false",
                "registrertIFrivillighetsregisteret": volunteer,
                "registrertIForetaksregisteret": "false",
                "registrertIStiftelsesregisteret": "true" if foundation else "false",
                "konkurs": "false",
                "underAvvikling": "true" if rng.random() < 0.01 else "false",
                "underTvangsavviklingEllerTvangsopplosning": "false",
                "maalform": rng.choice(["Bokmål", "Nynorsk"]),
                "vedtektsfestetFormaal": purpose if foundation else "",
                "aktivitet": "" if foundation else purpose,
            }
        )
        yield [row[name] for name in BRREG_HEADER]


def write_brreg_csv(path: str | Path, count: int, *, seed: int = 1) -> int:
    """Write an Enhetsregisteret-format CSV (every field quoted, as brreg does) and return the rows written."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(BRREG_HEADER)
        written = 0
        for row in brreg_rows(count, seed=seed):
            writer.writerow(row)
            written += 1
    return written
