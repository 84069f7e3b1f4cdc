"""Ninja schemas of /api/v1/catalogue/…: one input and one output per endpoint."""

import datetime
import uuid
from typing import Any

from ninja import Field, Schema


class ScheduleIn(Schema):
    id: uuid.UUID | None = None
    kind: str = "opening_hours"
    rrule: str = Field(..., max_length=500)
    dtstart: str
    opens_at: str
    closes_at: str
    exceptions: list[str] = []
    notes: str = ""
    location: uuid.UUID | None = None


class ServiceWriteIn(Schema):
    """Every field optional on PATCH; on create the service needs a name in one language, kind and access_mode."""

    name_nb: str | None = None
    name_sv: str | None = None
    name_fi: str | None = None
    name_en: str | None = None
    summary_nb: str | None = None
    summary_sv: str | None = None
    summary_fi: str | None = None
    summary_en: str | None = None
    description_nb: str | None = None
    description_sv: str | None = None
    description_fi: str | None = None
    description_en: str | None = None
    eligibility_nb: str | None = None
    eligibility_sv: str | None = None
    eligibility_fi: str | None = None
    eligibility_en: str | None = None
    fees_description_nb: str | None = None
    fees_description_sv: str | None = None
    fees_description_fi: str | None = None
    fees_description_en: str | None = None
    how_to_access_nb: str | None = None
    how_to_access_sv: str | None = None
    how_to_access_fi: str | None = None
    how_to_access_en: str | None = None
    kind: str | None = None
    status: str | None = None
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    fee: str | None = None
    accepts_vouchers: bool | None = None
    access_mode: str | None = None
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    categories: list[str] | None = None
    target_groups: list[str] | None = None
    areas: list[uuid.UUID] | None = None
    locations: list[uuid.UUID] | None = None
    languages: list[str] | None = None
    schedules: list[ScheduleIn] | None = None

    def service_data(self) -> dict[str, Any]:
        data = self.dict(exclude_unset=True)
        for key in ("areas", "locations"):
            if data.get(key) is not None:
                data[key] = [str(v) for v in data[key]]
        if data.get("schedules") is not None:
            data["schedules"] = [
                {
                    **s,
                    "id": str(s["id"]) if s.get("id") else None,
                    "location": str(s["location"]) if s.get("location") else None,
                }
                for s in data["schedules"]
            ]
        return data


class ServiceCreateIn(ServiceWriteIn):
    organisation_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None


class ServiceListOut(Schema):
    id: uuid.UUID
    name: str
    summary: str
    kind: str
    status: str
    organisation_id: uuid.UUID | None
    area_id: uuid.UUID | None
    updated_at: datetime.datetime


class ServiceOut(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID | None
    area_id: uuid.UUID | None
    last_verified: datetime.date | None
    updated_at: datetime.datetime
    state: dict[str, Any]


class WriteResultOut(Schema):
    service: ServiceOut
    proposal_id: uuid.UUID | None
    published: bool


class ProposalOut(Schema):
    id: uuid.UUID
    service_id: uuid.UUID
    status: str
    reason: str
    created_at: datetime.datetime
    changes: list[dict[str, str]]


class ApproveIn(Schema):
    edits: ServiceWriteIn | None = None


class RejectIn(Schema):
    reason: str = Field(..., max_length=2000)
