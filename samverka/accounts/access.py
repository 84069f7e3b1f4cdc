"""The one place that answers "what may this user reach": roles resolved once per request.

A role in an area covers its child areas (path prefix). Roles are read from the database on each
request, so a granted or revoked role takes effect on the next request.
"""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.db import connection
from django.db.models import Q

from samverka.areas.models import Area
from samverka.core.rows import convert_rows

from .models import AreaRole, AreaRoleKind, OrganisationRole, OrganisationRoleKind

STAFF_ROLES = (AreaRoleKind.COORDINATOR, AreaRoleKind.OFFICER)
ALL_AREA_ROLES = (AreaRoleKind.COORDINATOR, AreaRoleKind.OFFICER, AreaRoleKind.VIEWER)


@dataclass(frozen=True)
class AreaGrant:
    area_id: object
    path: str
    role: str
    capabilities: tuple[str, ...]


def _area_role_rows(user_id) -> list[list]:
    """(area id, area path, role, capabilities) of each area role of the user: what
    `AreaRole.objects.filter(user=…).values_list("area_id", "area__path", "role", "capabilities")` reads, written
    out because compiling that queryset cost more than the query on every signed-in request."""
    sql, user, fields = _area_role_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.get_db_prep_value(user_id, connection)])
        return convert_rows(cursor.fetchall(), fields)


@cache
def _area_role_statement(vendor: str) -> tuple[str, Any, list[Any]]:
    """The statement of `_area_role_rows`, its user field and its columns' fields; built once per process (the
    vendor is part of the key: the quoting is the database's)."""
    role, area = AreaRole._meta, Area._meta
    area_id, path = role.get_field("area"), area.get_field("path")
    role_kind, capabilities, user = role.get_field("role"), role.get_field("capabilities"), role.get_field("user")
    q = connection.ops.quote_name
    column = lambda field: q(field.column)  # noqa: E731
    sql = (
        f"SELECT r.{column(area_id)}, a.{column(path)}, r.{column(role_kind)}, r.{column(capabilities)} "  # noqa: S608  # nosec B608
        f"FROM {q(role.db_table)} r INNER JOIN {q(area.db_table)} a ON a.{column(area.pk)} = r.{column(area_id)} "
        f"WHERE r.{column(user)} = %s"
    )
    return sql, user, [area_id, path, role_kind, capabilities]


class Access:
    def __init__(self, user):
        self.user = user

    @property
    def authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated and self.user.is_active)

    @property
    def is_platform_admin(self) -> bool:
        return self.authenticated and self.user.is_superuser

    @cached_property
    def area_grants(self) -> tuple[AreaGrant, ...]:
        if not self.authenticated:
            return ()
        return tuple(AreaGrant(a, p, r, tuple(c or ())) for a, p, r, c in _area_role_rows(self.user.pk))

    @cached_property
    def organisation_grants(self) -> dict[object, str]:
        if not self.authenticated:
            return {}
        return dict(OrganisationRole.objects.filter(user=self.user).values_list("organisation_id", "role"))

    # -- areas --------------------------------------------------------------
    def area_paths(self, roles: Iterable[str] = ALL_AREA_ROLES, capability: str | None = None) -> list[str]:
        roles = set(roles)
        paths = [
            g.path
            for g in self.area_grants
            if g.role in roles
            and (capability is None or g.role == AreaRoleKind.COORDINATOR or capability in g.capabilities)
        ]
        # Drop paths already covered by a broader one.
        paths.sort(key=len)
        kept: list[str] = []
        for p in paths:
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        return kept

    def has_area_role(self, area, roles: Iterable[str] = ALL_AREA_ROLES, capability: str | None = None) -> bool:
        if self.is_platform_admin:
            return True
        if area is None:
            return False
        return any(area.path.startswith(p) for p in self.area_paths(roles, capability))

    def area_filter(self, lookup: str, roles: Iterable[str] = ALL_AREA_ROLES, capability: str | None = None) -> Q:
        """Q matching rows whose area path (at `lookup`, e.g. "areas__path") lies within the user's areas."""
        if self.is_platform_admin:
            return Q()
        paths = self.area_paths(roles, capability)
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for p in paths:
            q |= Q(**{f"{lookup}__startswith": p})
        return q

    @property
    def is_staff_role(self) -> bool:
        """Platform admins, coordinators and officers: the people who must use MFA."""
        return self.is_platform_admin or any(g.role in STAFF_ROLES for g in self.area_grants)

    @property
    def is_area_member(self) -> bool:
        return bool(self.area_grants)

    # -- organisations --------------------------------------------------------
    def organisation_ids(self, roles: Iterable[str] = (OrganisationRoleKind.ADMIN, OrganisationRoleKind.MEMBER)):
        roles = set(roles)
        return {org_id for org_id, role in self.organisation_grants.items() if role in roles}

    def organisation_role(self, organisation) -> str | None:
        return self.organisation_grants.get(organisation.pk)

    # -- managing people ---------------------------------------------------------
    @property
    def is_coordinator(self) -> bool:
        return self.is_platform_admin or any(g.role == AreaRoleKind.COORDINATOR for g in self.area_grants)

    @property
    def manages_people(self) -> bool:
        """May open the invitation and role pages: coordinators, organisation admins, platform admins."""
        return self.is_coordinator or bool(self.organisation_ids([OrganisationRoleKind.ADMIN]))

    def may_manage_area(self, area) -> bool:
        """Invite to and revoke roles in this area: a coordinator covering it (or a platform admin)."""
        return self.has_area_role(area, [AreaRoleKind.COORDINATOR])

    def managed_organisations_filter(self, prefix: str = "") -> Q:
        """Q over organisations (at `prefix`, e.g. "organisation__") whose people this user manages:
        their own organisations as admin, and organisations in the areas they coordinate."""
        if self.is_platform_admin:
            return Q()
        coord = [AreaRoleKind.COORDINATOR]
        q = Q(**{f"{prefix}pk__in": list(self.organisation_ids([OrganisationRoleKind.ADMIN]))})
        if self.area_paths(coord):
            q |= self.area_filter(f"{prefix}home_area__path", coord) | self.area_filter(f"{prefix}areas__path", coord)
        return q

    def may_manage_organisation(self, organisation) -> bool:
        if self.is_platform_admin or self.organisation_role(organisation) == OrganisationRoleKind.ADMIN:
            return True
        if not self.area_paths([AreaRoleKind.COORDINATOR]):
            return False
        model = type(organisation)
        return model.objects.filter(self.managed_organisations_filter(), pk=organisation.pk).exists()


def access_for(user) -> Access:
    """The Access of this user for this request (cached on the user object, which lives one request)."""
    cached = getattr(user, "_samverka_access", None)
    if cached is None:
        cached = Access(user)
        with contextlib.suppress(AttributeError):
            user._samverka_access = cached
    return cached
