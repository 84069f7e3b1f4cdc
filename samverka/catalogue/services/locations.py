"""Places where services are given."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverka.areas.models import Area, AreaKind
from samverka.audit.services import audit_record, diff, snapshot
from samverka.core.errors import ConflictError, NotFound, ValidationError

from .. import permissions
from ..models import Location, Service
from .errors import Forbidden

FIELDS = (
    "name",
    "street_address",
    "postal_code",
    "city",
    "municipality",
    "latitude",
    "longitude",
    "accessibility",
    "transportation",
)
LIMITS = {
    "name": 200,
    "street_address": 200,
    "postal_code": 12,
    "city": 100,
    "accessibility": 4000,
    "transportation": 4000,
}


def _coordinate(value, field: str, bound: int, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number such as 59.91.")]
        return None
    if not -bound <= number <= bound:
        errors[field] = [_("Enter a number between -%(b)s and %(b)s.") % {"b": bound}]
        return None
    return number


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for field, limit in LIMITS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = [_("At most %(n)s characters.") % {"n": limit}]
        out[field] = value
    if not out["name"]:
        errors["name"] = [_("Give the place a name.")]
    out["latitude"] = _coordinate(data.get("latitude"), "latitude", 90, errors)
    out["longitude"] = _coordinate(data.get("longitude"), "longitude", 180, errors)
    if (out["latitude"] is None) != (out["longitude"] is None) and "latitude" not in errors:
        errors["longitude"] = [_("Give both latitude and longitude, or neither.")]
    municipality = data.get("municipality")
    out["municipality"] = None
    if municipality:
        try:
            out["municipality"] = Area.objects.get(pk=municipality, kind=AreaKind.MUNICIPALITY)
        except (Area.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            errors["municipality"] = [_("Choose a municipality from the list.")]
    if errors:
        raise ValidationError(_("Please correct the errors below."), errors)
    return out


def location_create(*, actor, data: Mapping[str, Any], organisation=None, area=None) -> Location:
    if not permissions.can_manage(actor, Service(organisation=organisation, area=area)):
        raise Forbidden(_("You may not add places here."))
    values = _clean(data)
    location = Location(organisation=organisation, area=area)
    with transaction.atomic():
        location_save(actor=actor, location=location, values=values, created=True)
    return location


def location_save(*, actor, location: Location, values: Mapping[str, Any], created: bool) -> dict[str, Any]:
    """Set `values` (already cleaned: `_clean`) on `location`, save it and audit its fields before/after, inside
    the caller's transaction. A location that exists and does not change is neither saved nor audited. Returns
    the changes (empty: nothing written). Used by the pages, the API and the HSDS import."""
    before = {} if created else snapshot(location, FIELDS)
    for field, value in values.items():
        setattr(location, field, value)
    changes = diff(before, snapshot(location, FIELDS))
    if not created and not changes:
        return changes
    location.save()
    audit_record(
        actor=actor,
        action="catalogue.location.created" if created else "catalogue.location.updated",
        obj=location,
        changes=changes,
        organisation_id=location.organisation_id,
        area_id=location.area_id,
    )
    return changes


def location_update(*, actor, location: Location, data: Mapping[str, Any]) -> Location:
    if not permissions.can_manage(actor, Service(organisation=location.organisation, area=location.area)):
        raise NotFound(_("Not found."))
    values = _clean({**snapshot(location, FIELDS), **data})
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        location_save(actor=actor, location=location, values=values, created=False)
        from ..search.index import index_services

        index_services(location.services.values_list("pk", flat=True))
    return location


def location_uses(location: Location) -> list[str]:
    """Names of the services that still give `location` as a place, or propose to (waiting proposals)."""
    from ..models import ChangeProposal, ProposalStatus

    names = [s.display_name for s in location.services.order_by("sort_name", "id")]
    waiting = ChangeProposal.objects.filter(status=ProposalStatus.PENDING).select_related("service")
    if location.organisation_id:
        waiting = waiting.filter(service__organisation_id=location.organisation_id)
    else:
        waiting = waiting.filter(service__area=location.area)
    for proposal in waiting:
        proposed = (proposal.data or {}).get("locations") or []
        if str(location.pk) in proposed and proposal.service.display_name not in names:
            names.append(proposal.service.display_name)
    return names


def location_delete(*, actor, location: Location) -> None:
    """Remove a place no service uses (nor a waiting proposal): a used place is a conflict naming the services."""
    if not permissions.can_manage(actor, Service(organisation=location.organisation, area=location.area)):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        used_by = location_uses(location)
        if used_by:
            raise ConflictError(
                _("The place is still used by: %(names)s. Remove it from these services first.")
                % {"names": ", ".join(used_by)}
            )
        audit_record(
            actor=actor,
            action="catalogue.location.deleted",
            obj=location,
            changes=snapshot(location, FIELDS),
            organisation_id=location.organisation_id,
            area_id=location.area_id,
        )
        location.delete()
