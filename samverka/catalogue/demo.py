"""Demo services for the registry's demo organisations (Akershus, Värmland, Pirkanmaa), with places and schedules.

Idempotent: a service is matched by its organisation and name; a second run creates nothing. A service that
already exists has the fields in `KEPT_UP_TO_DATE` brought up to date (so an older demo database gets, say, the
voucher flag the vouchers demo's comparison page relies on); a run that finds them equal changes nothing. Written
through the service functions by the demo platform admin, so they are audited and indexed like any other edit.
"""

from django.db import transaction

from samverka.accounts.models import User
from samverka.areas.models import Area
from samverka.registry.models import Organisation

from . import services
from .models import Location, Service

ADMIN_EMAIL = "admin@samverka.example"
# Fields of an existing demo service that a later run brings in line with its spec (absent from a spec: the default).
KEPT_UP_TO_DATE = ("accepts_vouchers",)

# organisation name, place (name, street, postal code, city, municipality code, lat, lon, accessibility), services
DEMO: list[tuple[str, tuple[str, ...], list[dict]]] = [
    (
        "Bærum Røde Kors",
        (
            "Røde Kors-huset",
            "Brynsveien 2",
            "1338",
            "Sandvika",
            "3201",
            "59.8893",
            "10.5226",
            "Trinnfri inngang og HC-toalett.",
        ),
        [
            {
                "name_nb": "Besøksvenn for eldre",
                "name_en": "Visiting friend for older people",
                "summary_nb": "En frivillig besøker deg hjemme én gang i uka.",
                "summary_en": "A volunteer visits you at home once a week.",
                "description_nb": "Besøkstjenesten gir eldre som er ensomme en fast frivillig å snakke med.",
                "kind": "low_threshold",
                "access_mode": "booking",
                "categories": ["loneliness", "older-people"],
                "languages": ["nb", "en"],
                "min_age": 67,
                "status": "active",
                # Paid with the vouchers demo's home-help vouchers in Bærum (its category is "older-people").
                "accepts_vouchers": True,
                "schedules": [
                    {
                        "kind": "session",
                        "rrule": "FREQ=WEEKLY;BYDAY=WE",
                        "dtstart": "2025-01-08",
                        "opens_at": "11:00",
                        "closes_at": "13:00",
                        "exceptions": ["2025-12-24"],
                    }
                ],
            },
            {
                "name_nb": "Leksehjelp",
                "name_en": "Homework help",
                "summary_nb": "Gratis leksehjelp for barn og unge.",
                "kind": "activity",
                "access_mode": "drop_in",
                "categories": ["children-youth"],
                "languages": ["nb", "ar", "so"],
                "min_age": 6,
                "max_age": 19,
                "status": "active",
                "schedules": [
                    {
                        "rrule": "FREQ=WEEKLY;BYDAY=MO,TH",
                        "dtstart": "2025-01-06",
                        "opens_at": "17:00",
                        "closes_at": "19:00",
                    }
                ],
            },
        ],
    ),
    (
        "Asker Frivilligsentral",
        (
            "Frivilligsentralen",
            "Knud Bryns vei 2",
            "1383",
            "Asker",
            "3203",
            "59.8333",
            "10.4345",
            "Heis til 2. etasje.",
        ),
        [
            {
                "name_nb": "Kaffetreff for alle",
                "summary_nb": "Møteplass med kaffe, vafler og frivillige å snakke med.",
                "kind": "low_threshold",
                "access_mode": "drop_in",
                "categories": ["loneliness"],
                "languages": ["nb"],
                "status": "active",
                "schedules": [
                    {
                        "rrule": "FREQ=WEEKLY;BYDAY=TU",
                        "dtstart": "2025-01-07",
                        "opens_at": "10:00",
                        "closes_at": "13:00",
                    }
                ],
            },
        ],
    ),
    (
        "Karlstads Stadsmission",
        (
            "Stadsmissionen",
            "Västra Torggatan 20",
            "652 24",
            "Karlstad",
            "1780",
            "59.3793",
            "13.5036",
            "Ramp vid entrén.",
        ),
        [
            {
                "name_sv": "Öppen verksamhet för föreningar och frivilliga",
                "name_en": "Open house",
                "summary_sv": "Dagverksamhet med lunch och samtalsstöd.",
                "kind": "low_threshold",
                "access_mode": "drop_in",
                "categories": ["housing", "loneliness"],
                "languages": ["sv", "en", "fi"],
                "status": "active",
                "fee": "cost",
                "fees_description_sv": "Lunch 30 kr.",
                "schedules": [
                    {
                        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                        "dtstart": "2025-01-06",
                        "opens_at": "09:00",
                        "closes_at": "15:00",
                    }
                ],
            },
        ],
    ),
    (
        "Attention Värmland",
        ("Attention", "Drottninggatan 5", "652 25", "Karlstad", "1780", "", "", ""),
        [
            {
                "name_sv": "Kamratstöd för anhöriga",
                "summary_sv": "Samtalsgrupp för anhöriga till personer med NPF.",
                "kind": "peer_support",
                "access_mode": "booking",
                "categories": ["carers", "peer-support"],
                "languages": ["sv"],
                "status": "active",
                "accepts_vouchers": True,
                "schedules": [
                    {
                        "kind": "session",
                        "rrule": "FREQ=MONTHLY;BYDAY=1TU",
                        "dtstart": "2025-01-07",
                        "opens_at": "18:00",
                        "closes_at": "20:00",
                    }
                ],
            },
        ],
    ),
    (
        "Tampereen Mielenterveysseura ry",
        ("Kriisikeskus", "Hämeenkatu 1", "33100", "Tampere", "837", "61.4978", "23.7610", "Esteetön sisäänkäynti."),
        [
            {
                "name_fi": "Vertaistuki mielenterveyskuntoutujille",
                "name_sv": "Kamratstöd för psykisk hälsa",
                "name_en": "Peer support for mental health",
                "summary_fi": "Vertaistukiryhmä kokoontuu joka viikko.",
                "summary_en": "A peer support group meets weekly.",
                "kind": "peer_support",
                "access_mode": "drop_in",
                "categories": ["mental-health", "peer-support"],
                "languages": ["fi", "sv", "en"],
                "min_age": 18,
                "status": "active",
                "schedules": [
                    {
                        "kind": "session",
                        "rrule": "FREQ=WEEKLY;BYDAY=TH",
                        "dtstart": "2025-01-09",
                        "opens_at": "17:00",
                        "closes_at": "19:00",
                    }
                ],
            },
            {
                "name_fi": "Kriisipuhelin",
                "name_en": "Crisis line",
                "summary_fi": "Keskusteluapua kriisissä.",
                "kind": "advice",
                "access_mode": "drop_in",
                "categories": ["grief", "mental-health"],
                "languages": ["fi", "en"],
                "status": "active",
                "phone": "+358 9 2525 0111",
                "schedules": [
                    {"rrule": "FREQ=DAILY", "dtstart": "2025-01-01", "opens_at": "09:00", "closes_at": "21:00"}
                ],
            },
        ],
    ),
]


def _location(actor, org, spec) -> Location:
    name, street, postal, city, code, lat, lon, access = spec
    existing = Location.objects.filter(organisation=org, name=name).first()
    if existing:
        return existing
    municipality = Area.objects.filter(country=org.country, kind="municipality", code=code).first()
    return services.location_create(
        actor=actor,
        organisation=org,
        data={
            "name": name,
            "street_address": street,
            "postal_code": postal,
            "city": city,
            "municipality": str(municipality.pk) if municipality else "",
            "latitude": lat,
            "longitude": lon,
            "accessibility": access,
        },
    )


def _bring_up_to_date(actor, service: Service, spec: dict) -> bool:
    """Update the `KEPT_UP_TO_DATE` fields of an existing demo service that differ from its spec."""
    defaults = services.empty_state()
    wanted = {f: spec.get(f, defaults[f]) for f in KEPT_UP_TO_DATE}
    changes = {f: value for f, value in wanted.items() if getattr(service, f) != value}
    if not changes:
        return False
    services.service_update(actor=actor, service=service, data=changes)
    return True


def load_demo() -> str:
    actor = User.objects.filter(email=ADMIN_EMAIL, is_superuser=True).first()
    if actor is None:
        return "catalogue: no demo admin (run the registry demo first); nothing loaded"
    created = updated = 0
    with transaction.atomic():
        for org_name, place, specs in DEMO:
            org = Organisation.objects.filter(name=org_name).first()
            if org is None:
                continue
            location = _location(actor, org, place)
            for spec in specs:
                name_field = next(f for f in ("name_nb", "name_sv", "name_fi", "name_en") if spec.get(f))
                existing = Service.objects.filter(organisation=org, **{name_field: spec[name_field]}).first()
                if existing is not None:
                    updated += _bring_up_to_date(actor, existing, spec)
                    continue
                areas = [str(a.pk) for a in org.areas.all()] or ([str(org.home_area_id)] if org.home_area_id else [])
                services.service_create(
                    actor=actor,
                    organisation=org,
                    data={**spec, "locations": [str(location.pk)], "areas": areas},
                )
                created += 1
    return f"catalogue: {created} services created, {updated} brought up to date ({Service.objects.count()} in total)"
