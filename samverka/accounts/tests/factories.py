"""Reusable helpers for tests across apps: users, areas, organisations, staff sessions with MFA."""

import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.middleware import SESSION_EPOCH_KEY
from samverka.accounts.models import AreaRole, OrganisationRole, User

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def make_user(email: str | None = None, *, password: str = PASSWORD, full_name: str = "", **extra) -> User:
    email = email or f"user{next(_seq)}@example.org"
    return User.objects.create_user(email, password, full_name=full_name or email.split("@")[0].title(), **extra)


def make_area(name: str | None = None, *, parent=None, kind: str | None = None, country: str = "NO"):
    from samverka.areas.models import Area

    n = next(_seq)
    kind = kind or ("municipality" if parent is not None else "county")
    return Area.objects.create(
        kind=kind,
        country=country,
        code=f"T{n:05d}",
        name=name or f"Test area {n}",
        parent=parent,
        default_language="nb",
    )


def _no_org_number(n: int) -> str:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        base = f"9{n:07d}"
        remainder = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return base + str(check)
        n += 1


def make_organisation(name: str = "Test", *, org_number: str | None = None, areas=(), home_area=None):
    from samverka.registry.models import Organisation

    org = Organisation.objects.create(
        country="NO",
        org_number=org_number or _no_org_number(next(_seq) * 7919 % 9_999_999),
        legal_form="association",
        name=name,
        home_area=home_area,
    )
    if areas:
        org.areas.set(areas)
    return org


def grant_area_role(user, area, role: str = "coordinator", capabilities=()) -> AreaRole:
    return AreaRole.objects.create(user=user, area=area, role=role, capabilities=list(capabilities))


def grant_organisation_role(user, organisation, role: str = "admin") -> OrganisationRole:
    return OrganisationRole.objects.create(user=user, organisation=organisation, role=role)


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def staff_login(client, user) -> TOTPDevice:
    """Log `user` in on `client` with a confirmed TOTP device, as if they had passed the MFA check."""
    client.force_login(user)
    device = confirmed_device(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session.save()
    return device


def plain_login(client, user) -> None:
    """Log in without MFA (viewers and organisation users)."""
    client.force_login(user)
    session = client.session
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session.save()


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
