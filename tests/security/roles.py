"""The signed-in roles of the access matrices, from the demo data (own area Akershus, other area Värmland)."""

from samverka.accounts.models import User
from samverka.accounts.tests.factories import grant_area_role, grant_organisation_role, make_user
from samverka.areas.models import Area
from samverka.registry.demo import ADMIN_EMAIL
from samverka.registry.models import Organisation

# Roles that sign in with a TOTP check (staff); the others log in with a password alone.
STAFF = {"officer", "coordinator_own", "coordinator_other", "platform_admin"}


def role_users(prefix: str = "matrix") -> dict[str, User]:
    """One user per signed-in role: the demo's own ones, plus an NGO member and a viewer made here (the demo has
    none), with e-mail addresses starting with `prefix`."""
    akershus = Area.objects.get(country="NO", kind="county", code="32")
    org = Organisation.objects.filter(roles__user__email="ngo.akershus@samverka.example").first()
    member = make_user(f"{prefix}.member@samverka.example")
    grant_organisation_role(member, org, "member")
    viewer = make_user(f"{prefix}.viewer@samverka.example")
    grant_area_role(viewer, akershus, "viewer")
    return {
        "ngo_member": member,
        "ngo_admin": User.objects.get(email="ngo.akershus@samverka.example"),
        "viewer": viewer,
        "officer": User.objects.get(email="officer.akershus@samverka.example"),
        "coordinator_own": User.objects.get(email="coordinator.akershus@samverka.example"),
        "coordinator_other": User.objects.get(email="coordinator.varmland@samverka.example"),
        "platform_admin": User.objects.get(email=ADMIN_EMAIL),
    }
