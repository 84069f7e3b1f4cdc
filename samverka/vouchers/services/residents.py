"""Resident records: minimal, validated, erasable (pseudonymised) without touching ledger or access log."""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from samverka.audit.services import audit_record
from samverka.core.errors import ConflictError, NotFound

from .. import permissions
from ..models import IdCountry, Resident
from .common import full_clean, invalid

VALIDATORS: dict[str, Any] = {IdCountry.NO: fodselsnummer, IdCountry.SE: personnummer, IdCountry.FI: hetu}
# Which fields changed is audited; their values are personal data and stay out of the audit trail.
CONTACT_FIELDS = ("full_name", "email", "phone", "address", "preferred_language")


def normalise_national_id(country: str, raw: str) -> str:
    """The compact, validated form of a NO fødselsnummer, SE personnummer or FI henkilötunnus."""
    module = VALIDATORS.get(country)
    if module is None:
        raise ValueError(_("Choose the country of the identity number."))
    try:
        return module.validate(raw or "")
    except StdnumError:
        raise ValueError(_("This is not a valid national identity number for the chosen country.")) from None


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def resident_create(*, actor, area, data: dict) -> Resident:
    if not permissions.reads_residents(actor, area):
        raise NotFound(_("Not found."))
    errors: dict[str, list[str]] = {}
    try:
        national_id = normalise_national_id(data.get("id_country") or "", data.get("national_id") or "")
    except ValueError as exc:
        errors["national_id"] = [str(exc)]
        national_id = ""
    language = data.get("preferred_language") or area.default_language or "nb"
    if language not in _languages():
        errors.setdefault("preferred_language", []).append(_("Choose one of the offered languages."))
    resident = Resident(
        area=area,
        full_name=(data.get("full_name") or "").strip(),
        id_country=data.get("id_country") or "",
        national_id=national_id,
        email=(data.get("email") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        address=(data.get("address") or "").strip(),
        preferred_language=language,
    )
    try:
        full_clean(resident, exclude=["national_id"] if errors.get("national_id") else None)
    except Exception as exc:
        for field, messages in getattr(exc, "errors", {}).items():
            errors.setdefault(field, []).extend(m for m in messages if field != "__all__" or not errors)
    if national_id and Resident.objects.filter(id_country=resident.id_country, national_id=national_id).exists():
        errors.setdefault("national_id", []).append(_("A resident with this identity number is already registered."))
    if errors:
        raise invalid(errors)
    try:
        with transaction.atomic():
            resident.save()
            audit_record(
                actor=actor,
                action="vouchers.resident.create",
                obj=resident,
                area_id=area.pk,
                changes={"fields": list(CONTACT_FIELDS) + ["national_id"]},
            )
    except IntegrityError:
        raise ConflictError(_("A resident with this identity number is already registered.")) from None
    return resident


def resident_update(*, actor, resident, data: dict) -> Resident:
    """Change contact details (not the identity number). Only the names of changed fields are audited."""
    if not permissions.reads_residents(actor, resident.area) or resident.erased_at:
        raise NotFound(_("Not found."))
    changed = []
    for field in CONTACT_FIELDS:
        value = str(data.get(field) or "").strip()
        if field in data and value != getattr(resident, field):
            setattr(resident, field, value)
            changed.append(field)
    if resident.preferred_language not in _languages():
        raise invalid({"preferred_language": [_("Choose one of the offered languages.")]})
    full_clean(resident)
    with transaction.atomic():
        resident.save()
        audit_record(
            actor=actor,
            action="vouchers.resident.update",
            obj=resident,
            area_id=resident.area_id,
            changes={"fields": changed},
        )
    return resident


def resident_erase(*, actor, resident) -> Resident:
    """Pseudonymise: personal fields are replaced; vouchers, ledger amounts and access events stay."""
    if not permissions.reads_residents(actor, resident.area):
        raise NotFound(_("Not found."))
    if resident.erased_at:
        raise ConflictError(_("This resident's personal data has already been erased."))
    with transaction.atomic():
        resident.full_name = "erased"  # shown as a translated "Erased resident"
        resident.national_id = f"erased:{resident.pk}"
        resident.email = resident.phone = resident.address = ""
        resident.erased_at = timezone.now()
        resident.save()
        audit_record(
            actor=actor,
            action="vouchers.resident.erase",
            obj=resident,
            area_id=resident.area_id,
            changes={"fields": list(CONTACT_FIELDS) + ["national_id"]},
        )
    return resident
