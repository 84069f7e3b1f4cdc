"""Demo-like data for the browser tests, built through the services (as the demo command would)."""

from dataclasses import dataclass

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts import services as accounts
from samverka.accounts.models import User
from samverka.areas.models import Area
from samverka.registry import services as registry
from samverka.registry.models import Category, Organisation
from tests.serialized import restore_reference_data_if_flushed

PASSWORD = "samverka-demo"


@dataclass
class World:
    county: Area
    municipality: Area
    organisation: Organisation
    org_admin: User
    coordinator: User
    coordinator_device: TOTPDevice
    new_coordinator: User


def _ensure_reference_data() -> None:
    restore_reference_data_if_flushed()
    assert Area.objects.exists() and Category.objects.exists(), "reference data missing: see tests/serialized.py"


def totp_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def build_world() -> World:
    _ensure_reference_data()
    county = Area.objects.get(country="NO", kind="county", code="32")  # Akershus
    baerum = Area.objects.get(country="NO", kind="municipality", code="3201")
    asker = Area.objects.get(country="NO", kind="municipality", code="3203")

    coordinator = accounts.user_create(
        actor=None,
        email="coordinator.akershus@samverka.example",
        password=PASSWORD,
        full_name="Kari Nordmann",
        home_area=county,
    )
    accounts.area_role_grant(actor=None, user=coordinator, area=county, role="coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator", confirmed=True)

    new_coordinator = accounts.user_create(
        actor=None, email="new.coordinator@samverka.example", password=PASSWORD, full_name="Ola Ny", home_area=county
    )
    accounts.area_role_grant(actor=None, user=new_coordinator, area=county, role="coordinator")

    categories = list(Category.objects.values_list("code", flat=True)[:2])
    organisation = registry.organisation_create(
        actor=coordinator,
        data={
            "country": "NO",
            "org_number": "971 526 157",
            "name": "Bærum Frivilligsentral",
            "name_en": "Bærum Volunteer Centre",
            "legal_form": "association",
            "home_area": baerum.pk,
            "areas": [baerum.pk, asker.pk],
            "categories": categories,
            "expertise": "Visiting friends for older people, homework help and language cafés.",
            "expertise_tags": ["visiting friends", "language café"],
            "purpose": "Brings volunteers and people who want company together.",
            "email": "post@baerum-frivilligsentral.example",
            "website": "https://baerum-frivilligsentral.example",
            "city": "Sandvika",
        },
    )
    registry.organisation_year_upsert(
        actor=coordinator,
        organisation=organisation,
        year=2024,
        values={"members": 310, "volunteers": 140, "peer_supporters": 12, "employees": 3, "volunteer_hours": 16950},
    )
    for number, name in [("983 531 393", "Asker Røde Kors"), ("975 894 126", "Mental Helse Bærum")]:
        registry.organisation_create(
            actor=coordinator,
            data={
                "country": "NO",
                "org_number": number,
                "name": name,
                "legal_form": "association",
                "home_area": asker.pk,
                "areas": [asker.pk],
                "categories": categories,
            },
        )

    org_admin = accounts.user_create(
        actor=None,
        email="ngo.admin@samverka.example",
        password=PASSWORD,
        full_name="Nora Frivillig",
        home_area=baerum,
    )
    accounts.organisation_role_grant(actor=None, user=org_admin, organisation=organisation, role="admin")
    return World(county, baerum, organisation, org_admin, coordinator, device, new_coordinator)
