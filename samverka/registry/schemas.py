"""Input and output schemas of the registry API: one of each per endpoint."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from . import figures, orgnumbers
from .models import LegalForm, OrganisationStatus


class OrganisationFilterIn(Schema):
    q: str = Field("", max_length=200, description="Name (any language) or organisation number")
    area: uuid.UUID | None = Field(None, description="Area id; includes the areas below it")
    category: str = Field("", max_length=40)
    target_group: str = Field("", max_length=40)
    legal_form: LegalForm | None = None
    status: OrganisationStatus | None = None
    sort: str = Field("name", pattern=r"^-?(name|number|updated|municipality)$")


class AreaRefOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    kind: str
    country: str


class OrganisationListItemOut(Schema):
    id: uuid.UUID
    name: str
    country: str
    org_number: str
    org_number_display: str
    legal_form: str
    status: str
    home_area: AreaRefOut | None
    categories: list[str]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_org_number_display(obj) -> str:
        return orgnumbers.display(obj.country, obj.org_number)

    @staticmethod
    def resolve_categories(obj) -> list[str]:
        return [c.code for c in obj.listed_categories]  # items of selectors.organisation_page


class OrganisationCreateIn(Schema):
    country: str = Field(..., max_length=2, description="NO, SE or FI")
    org_number: str = Field(..., max_length=20)
    name: str = Field(..., min_length=1, max_length=300)
    name_nb: str = Field("", max_length=300)
    name_sv: str = Field("", max_length=300)
    name_fi: str = Field("", max_length=300)
    name_en: str = Field("", max_length=300)
    legal_form: LegalForm = LegalForm.ASSOCIATION
    status: OrganisationStatus = OrganisationStatus.ACTIVE
    home_area: uuid.UUID | None = None
    areas: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    categories: list[str] = Field(default_factory=list, max_length=50)
    target_groups: list[str] = Field(default_factory=list, max_length=50)
    expertise: str = Field("", max_length=10_000)
    expertise_tags: list[str] = Field(default_factory=list, max_length=30)
    purpose: str = Field("", max_length=10_000)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    website: str = Field("", max_length=200)
    street_address: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=12)
    city: str = Field("", max_length=100)
    in_volunteer_register: bool = False


class OrganisationPatchIn(Schema):
    """Only the fields sent change."""

    country: str | None = Field(None, max_length=2)
    org_number: str | None = Field(None, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=300)
    name_nb: str | None = Field(None, max_length=300)
    name_sv: str | None = Field(None, max_length=300)
    name_fi: str | None = Field(None, max_length=300)
    name_en: str | None = Field(None, max_length=300)
    legal_form: LegalForm | None = None
    status: OrganisationStatus | None = None
    home_area: uuid.UUID | None = None
    areas: list[uuid.UUID] | None = Field(None, max_length=500)
    categories: list[str] | None = Field(None, max_length=50)
    target_groups: list[str] | None = Field(None, max_length=50)
    expertise: str | None = Field(None, max_length=10_000)
    expertise_tags: list[str] | None = Field(None, max_length=30)
    purpose: str | None = Field(None, max_length=10_000)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    website: str | None = Field(None, max_length=200)
    street_address: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=12)
    city: str | None = Field(None, max_length=100)
    in_volunteer_register: bool | None = None
    trusted_publisher: bool | None = Field(None, description="Coordinators only: may publish its services directly.")


class YearOut(Schema):
    year: int
    members: int | None
    volunteers: int | None
    peer_supporters: int | None
    employees: int | None
    volunteer_hours: int | None
    person_years: Decimal | None


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    name_nb: str
    name_sv: str
    name_fi: str
    name_en: str
    country: str
    org_number: str
    org_number_display: str
    org_id: str
    legal_form: str
    status: str
    home_area: AreaRefOut | None
    areas: list[AreaRefOut]
    categories: list[str]
    target_groups: list[str]
    expertise: str
    expertise_tags: list[str]
    purpose: str
    email: str
    phone: str
    website: str
    street_address: str
    postal_code: str
    city: str
    in_volunteer_register: bool
    source: str
    latest_year: YearOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_org_number_display(obj) -> str:
        return orgnumbers.display(obj.country, obj.org_number)

    @staticmethod
    def resolve_org_id(obj) -> str:
        return orgnumbers.org_id(obj.country, obj.org_number)

    @staticmethod
    def resolve_areas(obj) -> list:
        return list(obj.areas.all())

    @staticmethod
    def resolve_categories(obj) -> list[str]:
        return [c.code for c in obj.categories.all()]

    @staticmethod
    def resolve_target_groups(obj) -> list[str]:
        return [t.code for t in obj.target_groups.all()]

    @staticmethod
    def resolve_latest_year(obj):
        latest = figures.latest_year(obj)
        return year_out(latest, obj.country) if latest else None


class OrganisationYearIn(Schema):
    members: int | None = Field(None, ge=0, le=10_000_000)
    volunteers: int | None = Field(None, ge=0, le=10_000_000)
    peer_supporters: int | None = Field(None, ge=0, le=10_000_000)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    volunteer_hours: int | None = Field(None, ge=0, le=500_000_000)


class OrganisationYearOut(YearOut):
    organisation_id: uuid.UUID


def year_out(row, country: str) -> dict:
    return {
        "year": row.year,
        "organisation_id": row.organisation_id,
        **{f: getattr(row, f) for f in ("members", "volunteers", "peer_supporters", "employees", "volunteer_hours")},
        "person_years": figures.person_years(row.volunteer_hours, country),
    }
