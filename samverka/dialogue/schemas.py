"""API schemas for the dialogue app."""

import datetime
import uuid

from ninja import Field, Schema


class ForumOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    mandate: str
    is_public: bool
    area_id: uuid.UUID


class MeetingOut(Schema):
    id: uuid.UUID
    forum_id: uuid.UUID
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    link: str


class ActionOut(Schema):
    id: uuid.UUID
    forum_id: uuid.UUID
    meeting_id: uuid.UUID
    decision_id: uuid.UUID | None
    title: str
    owner: str
    due: datetime.date | None
    status: str


class ActionStatusIn(Schema):
    status: str
    comment: str = Field("", max_length=5000)


class HearingOut(Schema):
    id: uuid.UUID
    title: str
    intro: str
    area_id: uuid.UUID
    area_name: str = Field(alias="area.name")
    audience: str
    status: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime


class HearingSectionOut(Schema):
    id: uuid.UUID
    number: int
    heading: str
    text: str
    published_comments: int


class HearingDetailOut(HearingOut):
    accepting_comments: bool
    sections: list[HearingSectionOut] = Field(alias="section_list")


class HearingCommentIn(Schema):
    text: str = Field(..., max_length=10_000)
    section_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    name: str = Field("", max_length=200)


class HearingCommentOut(Schema):
    id: uuid.UUID
    section_id: uuid.UUID | None
    author: str = Field(alias="display_author")
    text: str
    status: str
    response: str
    supports: int
    created_at: datetime.datetime
