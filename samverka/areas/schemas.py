"""Input and output schemas of the areas API."""

import uuid

from ninja import Field, Schema

from .models import AreaKind, Country


class AreaFilterIn(Schema):
    q: str = Field("", max_length=100, description="Name in any language, or official code")
    country: Country | None = None
    kind: AreaKind | None = None
    parent: uuid.UUID | None = None


class AreaListItemOut(Schema):
    id: uuid.UUID
    kind: str
    country: str
    code: str
    name: str
    parent_id: uuid.UUID | None


class AreaOut(Schema):
    id: uuid.UUID
    kind: str
    country: str
    code: str
    external_code: str
    name: str
    name_nb: str
    name_sv: str
    name_fi: str
    name_en: str
    other_names: str
    parent_id: uuid.UUID | None
    region_id: uuid.UUID | None
    default_language: str
    time_zone: str
