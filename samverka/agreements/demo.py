"""Demo agreements (idempotent): an active Akershus cooperation agreement with signatures and a Värmland IOP
in consultation. Uses the registry demo's areas, organisations and users; run after the registry demo."""

import datetime

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import OrganisationRole, User
from samverka.areas.models import Area
from samverka.registry.demo import DEMO_TOTP_HEX

from . import services
from .library import install
from .models import Agreement, PrincipleSet, Template

AKERSHUS_TITLE = "Samarbeidsavtale om besøkstjeneste og frivillighet i Bærum 2025–2030"
VARMLAND_TITLE = "IOP om mötesplatser för äldre i Värmland"


def _code(user) -> str:
    """A current code from the user's demo TOTP device (organisation admins get one with the demo secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Demo authenticator", key=DEMO_TOTP_HEX, confirmed=True
    )
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def _people(key: str):
    coordinator = User.objects.get(email=f"coordinator.{key}@samverka.example")
    ngo = User.objects.get(email=f"ngo.{key}@samverka.example")
    role = OrganisationRole.objects.filter(user=ngo, role="admin").select_related("organisation").first()
    if role is None:
        raise LookupError(f"{ngo.email} administers no organisation: load the registry demo first.")
    return coordinator, ngo, role.organisation


def _akershus() -> bool:
    if Agreement.objects.filter(title=AKERSHUS_TITLE).exists():
        return False
    coordinator, ngo, org = _people("akershus")
    baerum = Area.objects.get(country="NO", kind="municipality", code="3201")
    a = services.agreement_create(
        actor=coordinator,
        area=baerum,
        kind="municipal_cooperation",
        title=AKERSHUS_TITLE,
        template=Template.objects.get(code="municipal-cooperation", language="nb"),
        organisations=[org],
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2030, 12, 31),
        review_date=datetime.date(2026, 3, 1),
        values={
            "purpose": "Besøksvenner, leksehjelp og møteplasser for eldre og barnefamilier i Bærum.",
            "contact": "Frivillighetskoordinator i Bærum kommune og daglig leder i organisasjonen.",
        },
        principle_set=PrincipleSet.objects.get(code="no-state-nonprofit-agreement"),
    )
    public, org_party = sorted(a.parties.all(), key=lambda p: p.organisation_id is not None)
    services.signatory_add(actor=coordinator, party=public, user=coordinator, position="Kommunedirektør")
    services.signatory_add(actor=coordinator, party=org_party, user=ngo, position="Styreleder")
    first = a.principles.first()
    if first is None:
        raise LookupError("The demo agreement has no principles: the shipped principle sets are missing.")
    services.commitment_set(
        actor=coordinator,
        principle=first,
        party=public,
        text="Kommunen drøfter endringer i tilbudet med organisasjonen før vedtak.",
    )
    services.commitment_set(
        actor=ngo,
        principle=first,
        party=org_party,
        text="Organisasjonen rapporterer aktivitet og frivillige timer hvert år.",
    )
    for action in ("open_consultation", "agree", "start_signing"):
        a = services.agreement_transition(actor=coordinator, agreement=a, action=action)
    for user in (coordinator, ngo):
        services.agreement_sign(actor=user, agreement=a, otp_token=_code(user), text_sha256=a.version.text_sha256)
    services.agreement_update_details(actor=coordinator, agreement=a, data={"published": True})
    return True


def _varmland() -> bool:
    if Agreement.objects.filter(title=VARMLAND_TITLE).exists():
        return False
    coordinator, ngo, org = _people("varmland")
    region = Area.objects.get(country="SE", code="17", kind="county")
    a = services.agreement_create(
        actor=coordinator,
        area=region,
        kind="iop",
        title=VARMLAND_TITLE,
        template=Template.objects.get(code="iop", language="sv"),
        organisations=[org],
        starts=datetime.date(2026, 1, 1),
        ends=datetime.date(2029, 12, 31),
        values={
            "purpose": "Fler mötesplatser mot ofrivillig ensamhet bland äldre.",
            "contact": "Regionens organisationskoordinator.",
        },
    )
    a = services.agreement_transition(actor=coordinator, agreement=a, action="open_consultation")
    services.comment_add(
        actor=ngo,
        agreement=a,
        section_index=6,
        text="Fyra år är för kort för att bygga upp verksamheten. Vi föreslår sex år.",
    )
    return True


def load_demo() -> str:
    with transaction.atomic():
        install()
        created = int(_akershus()) + int(_varmland())
    return f"Agreements demo: created {created} agreements (Akershus active and signed, Värmland IOP in consultation)."
