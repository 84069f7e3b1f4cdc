"""A realistic Nordic demo: Akershus (NO), Värmland (SE) and Pirkanmaa welfare area (FI).

Idempotent: organisations are matched by (country, number), users by e-mail; a second run creates nothing.
Writes go through the services with actor=None, so the audit trail shows "system".
The organisations are modelled on the kinds of NGOs named in the background material, but their numbers are
computed demo numbers (valid check digits), not their real register numbers.
Demo password and TOTP secret are for demos only: never load this into a production database.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction

from samverka.accounts.models import User
from samverka.areas.models import Area

from . import orgnumbers, services
from .models import Organisation

# Demo data only (documented in docs/registry.md), never used outside `samverka demo`.
DEMO_PASSWORD = "samverka-demo"  # noqa: S105  # nosec B105
# RFC 6238's test secret ("12345678901234567890"), base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ. Demo only.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
ADMIN_EMAIL = "admin@samverka.example"


@dataclass
class DemoOrg:
    name: str
    municipality: str  # official code
    categories: tuple[str, ...]
    target_groups: tuple[str, ...]
    expertise: str
    legal_form: str = "association"
    tags: tuple[str, ...] = ()
    figures: tuple[int, int, int, int, int] = (120, 35, 5, 1, 4200)  # members, volunteers, peers, employees, hours
    extra_areas: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class DemoArea:
    key: str
    country: str
    kind: str
    code: str
    language: str
    orgs: list[DemoOrg]


AREAS = [
    DemoArea(
        "akershus",
        "NO",
        "county",
        "32",
        "nb",
        [
            DemoOrg(
                "Bærum Røde Kors",
                "3201",
                ("health", "preparedness", "social-care"),
                ("everyone", "elderly"),
                "Besøkstjeneste, hjelpekorps og leksehjelp.",
                tags=("besøksvenn", "førstehjelp"),
                figures=(1450, 320, 0, 3, 28000),
            ),
            DemoOrg(
                "Asker Frivilligsentral",
                "3203",
                ("social-care", "integration"),
                ("everyone",),
                "Møteplass og formidling av frivillige oppdrag.",
                legal_form="foundation",
                figures=(0, 210, 0, 2, 15000),
            ),
            DemoOrg(
                "Frelsesarmeen Håpets dør Fetsund",
                "3205",
                ("addiction", "rehabilitation"),
                ("substance-users",),
                "Lavterskel rusomsorg og ettervern.",
                legal_form="religious_community",
                figures=(0, 40, 8, 12, 5200),
            ),
            DemoOrg(
                "Blå Kors Eidsvoll",
                "3240",
                ("addiction", "child-welfare"),
                ("families", "children"),
                "Rusforebygging og støtte til barn av foreldre med rusproblemer.",
                figures=(230, 45, 10, 6, 6100),
            ),
            DemoOrg(
                "Kirkens Bymisjon Akershus",
                "3222",
                ("social-care", "housing"),
                ("homeless", "adults"),
                "Varmestue, gatenært arbeid og bolig-oppfølging.",
                legal_form="foundation",
                figures=(0, 180, 12, 25, 16000),
            ),
            DemoOrg(
                "LHL Lillestrøm",
                "3205",
                ("health", "rehabilitation"),
                ("adults", "elderly"),
                "Likepersonsarbeid for hjerte-, lunge- og slagrammede.",
                tags=("likeperson",),
                figures=(610, 30, 14, 0, 2400),
            ),
            DemoOrg(
                "Mental Helse Lørenskog",
                "3222",
                ("mental-health",),
                ("adults", "relatives"),
                "Selvhjelpsgrupper og likepersoner innen psykisk helse.",
                figures=(180, 25, 11, 0, 2100),
            ),
            DemoOrg(
                "Ski Sanitetsforening",
                "3207",
                ("health", "elderly"),
                ("elderly", "families"),
                "Trygghetsbesøk, barselvenn og sykestuer.",
                figures=(520, 90, 0, 0, 7300),
            ),
            DemoOrg(
                "Ullensaker Frivilligsentral",
                "3209",
                ("social-care", "elderly", "integration"),
                ("everyone",),
                "Følgetjeneste, språkkafé og seniortreff.",
                legal_form="foundation",
                figures=(0, 150, 0, 2, 9800),
            ),
        ],
    ),
    DemoArea(
        "varmland",
        "SE",
        "county",
        "17",
        "sv",
        [
            DemoOrg(
                "Karlstads Stadsmission",
                "1780",
                ("social-care", "housing"),
                ("homeless", "adults"),
                "Dagverksamhet, boende och second hand.",
                legal_form="nonprofit_company",
                figures=(0, 260, 0, 40, 21000),
            ),
            DemoOrg(
                "Röda Korset Karlstad",
                "1780",
                ("health", "preparedness", "integration"),
                ("everyone",),
                "Besöksverksamhet, krisstöd och språkcafé.",
                figures=(900, 140, 0, 0, 11000),
            ),
            DemoOrg(
                "Arvika Frivilligcentral",
                "1784",
                ("social-care", "elderly"),
                ("elderly", "everyone"),
                "Förmedling av frivilliga till äldre och ensamma.",
                figures=(0, 85, 0, 1, 5400),
            ),
            DemoOrg(
                "Attention Värmland",
                "1780",
                ("disability", "mental-health"),
                ("people-with-disabilities", "relatives"),
                "Stöd till personer med NPF och deras anhöriga.",
                figures=(340, 20, 15, 0, 1900),
            ),
            DemoOrg(
                "Hela Människan Kristinehamn",
                "1781",
                ("addiction", "social-care"),
                ("substance-users",),
                "Kamratstöd och öppen verksamhet.",
                figures=(60, 35, 12, 2, 3600),
            ),
        ],
    ),
    DemoArea(
        "pirkanmaa",
        "FI",
        "welfare_area",
        "08",
        "fi",
        [
            DemoOrg(
                "Tampereen Mielenterveysseura ry",
                "837",
                ("mental-health",),
                ("adults", "youth"),
                "Kriisikeskus ja vertaistukiryhmät.",
                figures=(450, 60, 25, 14, 4800),
            ),
            DemoOrg(
                "SPR Tampereen osasto",
                "837",
                ("health", "preparedness", "integration"),
                ("everyone",),
                "Ystävätoiminta, ensiapuryhmä ja kotoutumisen tuki.",
                figures=(700, 120, 0, 0, 9200),
            ),
            DemoOrg(
                "Nokian Vapaaehtoiskeskus ry",
                "536",
                ("social-care", "elderly"),
                ("elderly", "everyone"),
                "Vapaaehtoisten välitys ja ikäihmisten asiointiapu.",
                figures=(80, 95, 0, 1, 6600),
            ),
            DemoOrg(
                "MLL Ylöjärven yhdistys",
                "980",
                ("child-welfare",),
                ("children", "families"),
                "Perhekahvilat ja lastenhoitoapu.",
                figures=(390, 70, 10, 0, 3100),
            ),
            DemoOrg(
                "Tampereen Seudun A-kilta ry",
                "837",
                ("addiction", "rehabilitation"),
                ("substance-users",),
                "Päihdetoipujien vertaistuki ja kohtaamispaikka.",
                figures=(150, 30, 20, 2, 2900),
            ),
        ],
    ),
]
YEAR_SCALE = {2023: 0.9, 2024: 0.95, 2025: 1.0}


def demo_number(country: str, name: str) -> str:
    """A stable, valid demo organisation number derived from the name."""
    digits = str(int(hashlib.sha256(name.encode()).hexdigest(), 16))
    base = {"NO": "9" + digits[:7], "SE": "8" + "2" + digits[:7], "FI": "3" + digits[:6]}[country]
    return orgnumbers.with_check_digit(country, base)


def _user(email: str, full_name: str, home_area, counts, *, superuser=False) -> User:
    from samverka.accounts.services import user_create

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_create(actor=None, email=email, password=DEMO_PASSWORD, full_name=full_name, home_area=home_area)
        counts["users"] += 1
    if superuser and not (user.is_superuser and user.is_staff):
        User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
        user.refresh_from_db()
    return user


def _totp(user, counts) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, name="demo").exists():
        TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_HEX, confirmed=True)
        counts["totp_devices"] += 1


def _organisation(spec: DemoOrg, country: str, counts) -> Organisation:
    number = demo_number(country, spec.name)
    org = Organisation.objects.filter(country=country, org_number=number).first()
    if org is None:
        municipality = Area.objects.get(country=country, kind="municipality", code=spec.municipality)
        extra = [Area.objects.get(country=country, kind="municipality", code=c).pk for c in spec.extra_areas]
        slug = "".join(ch for ch in spec.name.lower() if ch.isalnum())[:30]
        org = services.organisation_create(
            actor=None,
            data={
                "country": country,
                "org_number": number,
                "name": spec.name,
                "legal_form": spec.legal_form,
                "home_area": municipality,
                "areas": [municipality.pk, *extra],
                "categories": list(spec.categories),
                "target_groups": list(spec.target_groups),
                "expertise": spec.expertise,
                "expertise_tags": list(spec.tags),
                "email": f"post@{slug}.example",
                "website": f"https://{slug}.example",
                "city": municipality.name,
                "in_volunteer_register": country == "NO",
            },
        )
        counts["organisations"] += 1
    for year, scale in YEAR_SCALE.items():
        values = dict(zip(services.YEAR_FIELDS, (round(v * scale) for v in spec.figures), strict=True))
        _row, changed = services.organisation_year_upsert(actor=None, organisation=org, year=year, values=values)
        counts["years"] += int(changed)
    return org


@transaction.atomic
def load_demo() -> dict:
    """Create or complete the demo. Returns counts of what was created and the logins to print."""
    from samverka.accounts.services import area_role_grant, organisation_role_grant

    counts = {"organisations": 0, "years": 0, "users": 0, "roles": 0, "totp_devices": 0}
    logins: list[tuple[str, str, bool]] = []
    admin = _user(ADMIN_EMAIL, "Platform Admin", None, counts, superuser=True)
    _totp(admin, counts)
    logins.append((ADMIN_EMAIL, "platform admin", True))
    for spec in AREAS:
        area = Area.objects.get(country=spec.country, kind=spec.kind, code=spec.code)
        orgs = [_organisation(o, spec.country, counts) for o in spec.orgs]
        people = [
            (f"coordinator.{spec.key}@samverka.example", "coordinator", []),
            (f"officer.{spec.key}@samverka.example", "officer", ["grants", "vouchers"]),
        ]
        for email, role, caps in people:
            user = _user(email, f"{role.title()} {area.name}", area, counts)
            grant_before = user.area_roles.filter(area=area, role=role).exists()
            area_role_grant(actor=None, user=user, area=area, role=role, capabilities=caps)
            counts["roles"] += int(not grant_before)
            _totp(user, counts)
            logins.append((email, f"{role}, {area.name}", True))
        email = f"ngo.{spec.key}@samverka.example"
        ngo_admin = _user(email, f"{orgs[0].name} admin", area, counts)
        grant_before = ngo_admin.organisation_roles.filter(organisation=orgs[0], role="admin").exists()
        organisation_role_grant(actor=None, user=ngo_admin, organisation=orgs[0], role="admin")
        counts["roles"] += int(not grant_before)
        logins.append((email, f"organisation admin, {orgs[0].name}", False))
    return {"counts": counts, "logins": logins}
