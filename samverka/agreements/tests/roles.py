"""The cast of the permission matrices: one user per role around an area and an organisation.

Shared by the agreements and dialogue matrices (dialogue imports it), so both ask the same nine people.
"""

from django.contrib.auth.models import AnonymousUser

from samverka.accounts.tests.factories import (
    grant_area_role,
    grant_organisation_role,
    make_user,
    plain_login,
    staff_login,
)
from samverka.registry.tests.factories import area

from .factories import make_organisation

ROLES = (
    "anonymous",
    "org_member",  # member (not admin) of the party / member organisation
    "org_admin",  # admin of the party / member organisation
    "other_org_admin",  # admin of an organisation that is not a party
    "viewer",  # viewer role on the object's area
    "officer",  # officer (with every capability) on the object's area
    "coordinator",  # coordinator of the object's area (the county above it)
    "other_coordinator",  # coordinator of a sibling municipality
    "platform_admin",
)
MANAGERS = frozenset({"coordinator", "platform_admin"})
# Roles that need an MFA-verified session (staff), the rest log in plainly.
STAFF = frozenset({"officer", "coordinator", "other_coordinator", "platform_admin"})
# Roles that may see a private object of the area (but not change it unless they are managers).
SEES_PRIVATE = frozenset({"org_member", "org_admin", "viewer", "officer", "coordinator", "platform_admin"})


def make_cast(*, coordinator, org_admin, organisation, object_area, coordinator_area) -> dict:
    """Users per role. `coordinator` and `org_admin` come from the app's world; the rest are made here."""
    cast = {"anonymous": AnonymousUser(), "coordinator": coordinator, "org_admin": org_admin}
    cast["org_member"] = make_user(full_name="Mona Medlem")
    grant_organisation_role(cast["org_member"], organisation, "member")
    cast["other_org_admin"] = make_user(full_name="Per Utenfor")
    grant_organisation_role(cast["other_org_admin"], make_organisation("Annen forening"), "admin")
    cast["viewer"] = make_user(full_name="Vera Viewer")
    grant_area_role(cast["viewer"], object_area, "viewer")
    cast["officer"] = make_user(full_name="Otto Officer")
    grant_area_role(
        cast["officer"],
        coordinator_area,
        "officer",
        capabilities=["grants", "procurement", "vouchers", "premises", "referrals"],
    )
    cast["other_coordinator"] = make_user(full_name="Anne Asker")
    grant_area_role(cast["other_coordinator"], area("NO", "3203"), "coordinator")  # Asker, Bærum's neighbour
    cast["platform_admin"] = make_user(full_name="Pia Plattform", is_superuser=True)
    return cast


def login(client, role: str, user) -> None:
    if role == "anonymous":
        client.logout()
    elif role in STAFF:
        staff_login(client, user)
    else:
        plain_login(client, user)
