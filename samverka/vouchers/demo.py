"""Demo: a home-help voucher scheme in Bærum (Akershus) in NOK, two accredited NGOs, residents, vouchers,
claims and one settled month. Built on the registry demo's officer and organisations, through the services.

Idempotent: the scheme is matched by name and area; a second run creates nothing. Each accredited provider's
openings (shown on the scheme's public comparison page) are filled in once, by its own admin, when they were never
set: a run on an older demo database fills them in, a later run (or a provider's own edit) is left alone.
Identity numbers are fictitious: Norwegian numbers with computed check digits for 1 January 1930.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from samverka.accounts.models import User
from samverka.areas.models import Area
from samverka.catalogue.models import TaxonomyTerm
from samverka.registry.models import Organisation

from . import services
from .models import Accreditation, Resident, VoucherScheme
from .services.settlement import month_start

SCHEME_NAME = "Hjemmehjelp – brukervalg Bærum"
# The catalogue's service category of the scheme (seeded with the catalogue's taxonomy).
CATEGORY_CODE = "older-people"
OFFICER_EMAIL = "officer.akershus@samverka.example"
NGOS = [
    ("Bærum Røde Kors", "ngo.akershus@samverka.example", "420", "nb, en", "Sandvika"),
    ("Asker Frivilligsentral", "ngo2.akershus@samverka.example", "395", "nb, en, ar, so", "Asker sentrum"),
]
# organisation name -> takes new clients, only from the first of next month (else now), note
OPENINGS = {
    "Bærum Røde Kors": (True, False, "Ledige plasser onsdager og torsdager."),
    "Asker Frivilligsentral": (True, True, "Fullt denne måneden; nye brukere fra neste måned."),
}
RESIDENTS = [("Astrid Demo", "nb", "12"), ("Jonas Demo", "en", "20"), ("Leila Demo", "nb", "8")]


def _fodselsnummer(individual: int) -> str:
    from stdnum.no import fodselsnummer

    while True:
        base = f"010130{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        k2 = fodselsnummer.calc_check_digit2(base + k1) if len(k1) == 1 else "10"
        if len(k1) == 1 and len(k2) == 1:
            return base + k1 + k2
        individual += 1


def _provider_user(email: str, organisation, area):
    from samverka.accounts.services import organisation_role_grant, user_create
    from samverka.registry.demo import DEMO_PASSWORD

    user = User.objects.filter(email__iexact=email).first() or user_create(
        actor=None, email=email, password=DEMO_PASSWORD, full_name=f"{organisation.name} admin", home_area=area
    )
    if not user.organisation_roles.filter(organisation=organisation).exists():
        organisation_role_grant(actor=None, user=user, organisation=organisation, role="admin")
    return user


def _fill_in_openings(scheme, baerum) -> int:
    """Set the openings of the scheme's accredited demo providers that never had them set; the number set."""
    emails = {name: email for name, email, *_ in NGOS}
    first_of_next_month = month_start(month_start(timezone.localdate()) + datetime.timedelta(days=31))
    filled = 0
    accreditations = Accreditation.objects.filter(
        scheme=scheme, organisation__name__in=list(OPENINGS), openings_note="", new_clients_from=None
    ).select_related("organisation", "scheme")
    for acc in accreditations:
        takes, from_next_month, note = OPENINGS[acc.organisation.name]
        start = first_of_next_month if from_next_month else None
        user = _provider_user(emails[acc.organisation.name], acc.organisation, baerum)
        services.accreditation_update_openings(
            actor=user,
            accreditation=acc,
            data={"takes_new_clients": takes, "new_clients_from": start, "openings_note": note},
        )
        filled += 1
    return filled


def load_demo() -> str:
    officer = User.objects.filter(email__iexact=OFFICER_EMAIL).first()
    baerum = Area.objects.filter(country="NO", kind="municipality", code="3201").first()
    if officer is None or baerum is None:
        return "vouchers demo: skipped (load the registry demo first)"
    category = TaxonomyTerm.objects.filter(code=CATEGORY_CODE).first()
    if category is None:
        return f"vouchers demo: skipped (the catalogue has no service category {CATEGORY_CODE})"
    existing = VoucherScheme.objects.filter(name=SCHEME_NAME, area=baerum).first()
    if existing is not None:
        with transaction.atomic():
            filled = _fill_in_openings(existing, baerum)
        return "vouchers demo: already loaded (1 scheme)" + (f"; openings set for {filled} providers" if filled else "")
    today = timezone.localdate()
    this_month = month_start(today)
    last_month = month_start(this_month - datetime.timedelta(days=1))
    with transaction.atomic():
        scheme = services.scheme_create(
            actor=officer,
            area=baerum,
            data={
                "category": category,
                "name": SCHEME_NAME,
                "kind": "unit_voucher",
                "unit": "hour",
                "currency": "NOK",
                "description": "Praktisk bistand i hjemmet. Du velger selv hvem som hjelper deg.",
                "valid_from": datetime.date(today.year - 1, 1, 1),
                "valid_to": datetime.date(today.year + 1, 12, 31),
                "price_ceiling": "450",
                "budget": "2000000",
                "copayment_kind": "income",
                "copayment_table": [
                    {"income_up_to": 250000, "percent": "0"},
                    {"income_up_to": 500000, "percent": "5"},
                    {"income_up_to": None, "percent": "10"},
                ],
                "criteria": ["Hvordan sikrer dere opplæring av de som hjelper?", "Hvordan håndterer dere avvik?"],
                "provider_terms": "Leverandøren fakturerer ikke brukeren utover egenandelen.",
            },
        )
        accreditations = []
        for name, email, price, languages, location in NGOS:
            org = Organisation.objects.filter(name=name, country="NO").first()
            if org is None:
                continue
            user = _provider_user(email, org, baerum)
            acc = services.accreditation_apply(
                actor=user,
                scheme=scheme,
                organisation=org,
                data={
                    "price": price,
                    "languages": languages,
                    "location": location,
                    "accessibility": "Hjemmebesøk; trinnfri adkomst til kontoret.",
                    "quality_info": "Politiattest for alle. Brukerundersøkelse hvert år.",
                    "answers": dict.fromkeys(scheme.criteria, "Se vedlagt kvalitetssystem."),
                },
            )
            accreditations.append(
                (services.accreditation_decide(actor=officer, accreditation=acc, action="approve"), user)
            )
        claims = 0
        for i, (name, language, units) in enumerate(RESIDENTS):
            resident = Resident.objects.filter(full_name=name, area=baerum).first() or services.resident_create(
                actor=officer,
                area=baerum,
                data={
                    "full_name": name,
                    "id_country": "NO",
                    "national_id": _fodselsnummer(100 + 37 * i),
                    "phone": f"+47 400 00 00{i}",
                    "preferred_language": language,
                },
            )
            acc, user = accreditations[i % len(accreditations)] if accreditations else (None, None)  # type: ignore[assignment]
            voucher = services.voucher_issue(
                actor=officer,
                scheme=scheme,
                resident=resident,
                units=units,
                income=str(200000 + 150000 * i),
                valid_from=last_month - datetime.timedelta(days=31),
                valid_to=today + datetime.timedelta(days=180),
                provider=acc,
            )
            if acc is None:
                continue
            for day in (last_month + datetime.timedelta(days=3), last_month + datetime.timedelta(days=17)):
                services.claim_create(
                    actor=user,
                    voucher_id=voucher.pk,
                    service_date=day,
                    units="2",
                    idempotency_key=f"demo-{voucher.pk}-{day}",
                    note="Rengjøring og innkjøp",
                )
                claims += 1
        services.settlement_run(actor=officer, scheme=scheme, month=last_month)
        _fill_in_openings(scheme, baerum)
    approved = Accreditation.objects.filter(scheme=scheme).count()
    return (
        f"vouchers demo: 1 scheme ({SCHEME_NAME}), {approved} accredited providers, {len(RESIDENTS)} residents, "
        f"{claims} claims, {last_month:%Y-%m} settled"
    )
