"""API schemas for agreements."""

import datetime
import uuid

from ninja import Field, Schema


class PartyOut(Schema):
    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID | None
    area_id: uuid.UUID | None

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class AgreementListItemOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    area_id: uuid.UUID
    area_name: str = Field(..., alias="area.name")
    starts: datetime.date | None
    ends: datetime.date | None
    published: bool
    parties: list[PartyOut]

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.all())


class SectionOut(Schema):
    heading: str
    text: str


class VersionOut(Schema):
    number: int
    title: str
    sections: list[SectionOut]
    text_sha256: str
    frozen: bool


class AgreementOut(AgreementListItemOut):
    review_date: datetime.date | None
    renewal_decision: str
    current_version: VersionOut | None
    principles: list[str]

    @staticmethod
    def resolve_principles(obj):
        return [p.title for p in obj.principles.all()]


class TransitionIn(Schema):
    ends: datetime.date | None = None


class SignIn(Schema):
    otp_token: str = Field(..., max_length=10)
    text_sha256: str = Field(..., max_length=64)


class VersionIn(Schema):
    title: str = Field(..., max_length=300)
    sections: list[SectionOut]
    note: str = Field("", max_length=500)
