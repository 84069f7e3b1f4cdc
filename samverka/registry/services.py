"""Writes on organisations and their yearly figures. Each validates, writes in one transaction and is audited."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samverka.areas.models import Area
from samverka.audit.services import audit_record, diff, snapshot
from samverka.core.errors import DomainError, NotFound, ValidationError

from . import orgnumbers, permissions
from .facets import facets_rebuild
from .models import Category, LegalForm, Organisation, OrganisationStatus, OrganisationYear, TargetGroup

SCALAR_FIELDS = (
    "country",
    "org_number",
    "name",
    "name_nb",
    "name_sv",
    "name_fi",
    "name_en",
    "legal_form",
    "status",
    "home_area_id",
    "expertise",
    "expertise_tags",
    "purpose",
    "email",
    "phone",
    "website",
    "street_address",
    "postal_code",
    "city",
    "in_volunteer_register",
    "trusted_publisher",
)
EDITABLE_FIELDS = frozenset(SCALAR_FIELDS) - {"home_area_id"} | {"home_area", "areas", "categories", "target_groups"}
YEAR_FIELDS = ("members", "volunteers", "peer_supporters", "employees", "volunteer_hours")
MAX_FIGURE = 10_000_000
MAX_HOURS = 500_000_000


class Forbidden(DomainError):
    """The actor may not do this: 403."""

    status_code = 403


def _invalid(errors: Mapping[str, list[str]]) -> ValidationError:
    return ValidationError(_("Please correct the errors below."), errors)


def _duplicate_number_error() -> ValidationError:
    return _invalid({"org_number": [_("An organisation with this number is already registered.")]})


def _number_taken(country: str, number: str, exclude_pk=None) -> bool:
    qs = Organisation.objects.filter(country=country, org_number=number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _resolve(model, values: Iterable[Any] | None, field: str, key: str = "pk") -> list:
    """Objects for ids/codes (or objects already), or a field error naming what is unknown."""
    if values is None:
        return []
    objs: list[Any] = []
    wanted: list[Any] = []
    for v in values:
        (objs if isinstance(v, model) else wanted).append(v)
    if wanted:
        try:
            found = {str(getattr(o, key)): o for o in model.objects.filter(**{f"{key}__in": wanted})}
        except (DjangoValidationError, ValueError, TypeError):
            raise _invalid({field: [_("Choose from the list.")]}) from None
        missing = [str(w) for w in wanted if str(w) not in found]
        if missing:
            raise _invalid({field: [_("Unknown value: %(values)s.") % {"values": ", ".join(missing[:5])}]})
        objs.extend(found[str(w)] for w in wanted)
    return list(dict.fromkeys(objs))


def _resolve_area(value) -> Area | None:
    if value is None or value == "" or isinstance(value, Area):
        return value or None
    found = _resolve(Area, [value], "home_area")
    return found[0]


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    data = snapshot(org, SCALAR_FIELDS)
    data["areas"] = sorted(str(a.pk) for a in org.areas.all())
    data["categories"] = sorted(c.code for c in org.categories.all())
    data["target_groups"] = sorted(t.code for t in org.target_groups.all())
    return data


def _clean_tags(tags) -> list[str]:
    if tags in (None, ""):
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = [str(t).strip()[:60] for t in tags if str(t).strip()]
    return list(dict.fromkeys(cleaned))[:30]


def _apply(org: Organisation, data: Mapping[str, Any]) -> dict[str, list]:
    """Set scalar fields on `org`; return the M2M values to set after saving."""
    errors: dict[str, list[str]] = {}
    m2m: dict[str, list] = {}
    for field, value in data.items():
        if field == "home_area":
            try:
                org.home_area = _resolve_area(value)
            except ValidationError as exc:
                errors.update(exc.errors)
        elif field == "areas":
            try:
                m2m["areas"] = _resolve(Area, value, "areas")
            except ValidationError as exc:
                errors.update(exc.errors)
        elif field == "categories":
            try:
                m2m["categories"] = _resolve(Category, value, "categories", key="code")
            except ValidationError as exc:
                errors.update(exc.errors)
        elif field == "target_groups":
            try:
                m2m["target_groups"] = _resolve(TargetGroup, value, "target_groups", key="code")
            except ValidationError as exc:
                errors.update(exc.errors)
        elif field == "expertise_tags":
            org.expertise_tags = _clean_tags(value)
        elif field in ("org_number", "country"):
            continue
        else:
            setattr(
                org,
                field,
                "" if value is None and field not in ("in_volunteer_register", "trusted_publisher") else value,
            )
    if "country" in data or "org_number" in data:
        country = data.get("country", org.country)
        raw = data.get("org_number", org.org_number)
        if country not in {"NO", "SE", "FI"}:
            errors["country"] = [_("Choose Norway, Sweden or Finland.")]
        else:
            org.country = country
            try:
                org.org_number = orgnumbers.normalise(country, raw)
            except orgnumbers.OrgNumberError as exc:
                errors["org_number"] = [str(exc)]
    for field in ("name",):
        setattr(org, field, (getattr(org, field) or "").strip())
    if errors:
        raise _invalid(errors)
    return m2m


def _full_clean(org: Organisation) -> None:
    try:
        org.full_clean(exclude=["areas", "categories", "target_groups"], validate_constraints=False)
    except DjangoValidationError as exc:
        errors = ValidationError.from_django(exc).errors
        errors = {("home_area" if k == "home_area_id" else k): v for k, v in errors.items()}
        raise _invalid(errors) from None


def _save(org: Organisation, m2m: dict[str, list], *, exclude_pk=None) -> None:
    if _number_taken(org.country, org.org_number, exclude_pk=exclude_pk):
        raise _duplicate_number_error()
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        # Someone registered the same number between our check and our insert.
        raise _duplicate_number_error() from None
    for field, values in m2m.items():
        getattr(org, field).set(values)
    facets_rebuild([org.pk])


def organisation_create(*, actor, data: Mapping[str, Any]) -> Organisation:
    """Register an organisation. `data` holds model fields; areas by id, categories/target groups by code."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise _invalid({f: [_("This field cannot be set.")] for f in sorted(unknown)})
    if actor is not None and not permissions.can_create(actor):
        raise Forbidden(_("You may not register organisations."))
    org = Organisation(legal_form=LegalForm.ASSOCIATION, status=OrganisationStatus.ACTIVE)
    if "org_number" not in data:
        raise _invalid({"org_number": [_("Enter the organisation number.")]})
    m2m = _apply(org, data)
    _full_clean(org)
    if actor is not None:
        placed = list(m2m.get("areas", [])) + ([org.home_area] if org.home_area else [])
        if not permissions.can_place_in_areas(actor, placed):
            raise _invalid({"areas": [_("Choose at least one area within your own areas.")]})
    with transaction.atomic():
        _save(org, m2m)
        audit_record(
            actor=actor,
            action="organisation.create",
            obj=org,
            organisation_id=org.pk,
            area_id=org.home_area_id,
            changes=diff({}, organisation_snapshot(org)),
        )
    return org


def organisation_update(*, actor, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    """Change an organisation. Only the fields present in `data` change; no change writes no audit event."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise _invalid({f: [_("This field cannot be set.")] for f in sorted(unknown)})
    if actor is not None:
        if not permissions.can_edit(actor, organisation):
            raise NotFound(_("Not found."))
        if not permissions.can_edit_staff_fields(actor, organisation):
            locked = permissions.STAFF_ONLY_FIELDS & set(data)
            changed = [f for f in locked if str(data[f]) != str(getattr(organisation, f))]
            if "org_number" in changed:
                try:
                    same = orgnumbers.normalise(organisation.country, data["org_number"]) == organisation.org_number
                except orgnumbers.OrgNumberError:
                    same = False
                if same:
                    changed.remove("org_number")
            if changed:
                raise _invalid({f: [_("Only coordinators and officers may change this.")] for f in changed})
        trusted = data.get("trusted_publisher")
        changes_trust = trusted is not None and bool(trusted) != organisation.trusted_publisher
        if changes_trust and not permissions.can_trust(actor, organisation):
            raise _invalid({"trusted_publisher": [_("Only the area's coordinators may change this.")]})
    with transaction.atomic():
        org = Organisation.objects.select_for_update(of=("self",)).select_related("home_area").get(pk=organisation.pk)
        before = organisation_snapshot(org)
        m2m = _apply(org, data)
        _full_clean(org)
        after_areas = m2m.get("areas")
        placed = (after_areas or []) + ([org.home_area] if org.home_area else [])
        if (
            actor is not None
            and after_areas is not None
            and not permissions.is_own_organisation(actor, org)
            and not permissions.can_place_in_areas(actor, placed)
        ):
            raise _invalid({"areas": [_("Choose at least one area within your own areas.")]})
        _save(org, m2m, exclude_pk=org.pk)
        org = Organisation.objects.prefetch_related("areas", "categories", "target_groups").get(pk=org.pk)
        changes = diff(before, organisation_snapshot(org))
        if changes:
            audit_record(
                actor=actor,
                action="organisation.update",
                obj=org,
                organisation_id=org.pk,
                area_id=org.home_area_id,
                changes=changes,
            )
    return org


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise _invalid({"year": [_("Enter a year.")]}) from None
    latest = datetime.date.today().year + 1
    if not 1900 <= year <= latest:
        raise _invalid({"year": [_("Enter a year between 1900 and %(latest)s.") % {"latest": latest}]})
    return year


def _check_figures(values: Mapping[str, Any]) -> dict[str, int | None]:
    errors: dict[str, list[str]] = {}
    figures: dict[str, int | None] = {}
    for field in YEAR_FIELDS:
        raw = values.get(field)
        if raw in (None, ""):
            figures[field] = None
            continue
        try:
            number = int(raw)
        except (TypeError, ValueError):
            errors[field] = [_("Enter a whole number.")]
            continue
        limit = MAX_HOURS if field == "volunteer_hours" else MAX_FIGURE
        if number < 0 or number > limit:
            errors[field] = [_("Enter a number between 0 and %(limit)s.") % {"limit": limit}]
            continue
        figures[field] = number
    unknown = set(values) - set(YEAR_FIELDS)
    for field in unknown:
        errors[field] = [_("This field cannot be set.")]
    if errors:
        raise _invalid(errors)
    return figures


def _check_can_edit(actor, organisation) -> None:
    if actor is not None and not permissions.can_edit(actor, organisation):
        raise NotFound(_("Not found."))


def organisation_year_upsert(
    *, actor, organisation: Organisation, year, values: Mapping[str, Any]
) -> tuple[OrganisationYear, bool]:
    """Create or replace the figures of one year. Returns (row, changed)."""
    _check_can_edit(actor, organisation)
    year = _check_year(year)
    figures = _check_figures(values)
    with transaction.atomic():
        row = OrganisationYear.objects.select_for_update().filter(organisation=organisation, year=year).first()
        before = snapshot(row, YEAR_FIELDS) if row else {}
        if row is None:
            row = OrganisationYear(organisation=organisation, year=year)
        for field, value in figures.items():
            setattr(row, field, value)
        changes = diff(before, snapshot(row, YEAR_FIELDS))
        if before and not changes:
            return row, False
        row.save()
        audit_record(
            actor=actor,
            action="organisation_year.update" if before else "organisation_year.create",
            obj=row,
            organisation_id=organisation.pk,
            area_id=organisation.home_area_id,
            changes={"year": {"before": None, "after": year}, **changes} if not before else changes,
        )
    return row, True


def organisation_year_delete(*, actor, organisation: Organisation, year) -> None:
    _check_can_edit(actor, organisation)
    year = _check_year(year)
    with transaction.atomic():
        row = OrganisationYear.objects.select_for_update().filter(organisation=organisation, year=year).first()
        if row is None:
            raise NotFound(_("Not found."))
        before = snapshot(row, ("year", *YEAR_FIELDS))
        audit_record(
            actor=actor,
            action="organisation_year.delete",
            obj=row,
            organisation_id=organisation.pk,
            area_id=organisation.home_area_id,
            changes=diff(before, {}),
        )
        row.delete()
