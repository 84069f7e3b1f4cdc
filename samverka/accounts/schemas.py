import datetime
import uuid

from ninja import Field, Schema


class AreaRoleOut(Schema):
    area_id: uuid.UUID
    area_name: str
    role: str
    capabilities: list[str]


class OrganisationRoleOut(Schema):
    organisation_id: uuid.UUID
    organisation_name: str
    role: str


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    is_platform_admin: bool
    mfa_enabled: bool
    area_roles: list[AreaRoleOut]
    organisation_roles: list[OrganisationRoleOut]


class TokenOut(Schema):
    id: uuid.UUID
    name: str
    last_four: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj["active"] if isinstance(obj, dict) else obj.is_active


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The raw token. It is shown this once and cannot be read again.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime.datetime | None = None
