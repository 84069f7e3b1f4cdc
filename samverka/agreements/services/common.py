"""Helpers shared by the agreement services."""

import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

from samverka.core.errors import ConflictError, DomainError, ValidationError

from .. import permissions
from ..models import Agreement

PLACEHOLDER = re.compile(r"\{([a-z_]{1,40})\}")
MAX_SECTIONS = 100
MAX_SECTION_CHARS = 50_000


class Forbidden(DomainError):
    status_code = 403


def invalid(errors: Mapping[str, list[str]]) -> ValidationError:
    return ValidationError(_("Please correct the errors below."), errors)


def locked(agreement: Agreement) -> Agreement:
    """The agreement row, locked for this transaction: concurrent transitions queue up behind it."""
    return Agreement.objects.select_for_update().select_related("area").get(pk=agreement.pk)


def require_status(agreement: Agreement, allowed, action: str) -> None:
    if agreement.status not in allowed:
        raise ConflictError(
            _("This cannot be done while the agreement is “%(status)s” (%(action)s).")
            % {"status": agreement.get_status_display(), "action": action}
        )


def require_manager(actor, agreement: Agreement) -> None:
    if not permissions.can_manage(actor, agreement):
        raise Forbidden(_("Only the coordinators of the area may do this."))


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace {name} placeholders with values; unknown names stay visible so nobody signs a hole unnoticed."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1)) or m.group(0)), text)


def clean_sections(sections) -> list[dict]:
    if not isinstance(sections, list) or not sections:
        raise invalid({"sections": [_("The text needs at least one section.")]})
    if len(sections) > MAX_SECTIONS:
        raise invalid({"sections": [_("At most %(n)d sections.") % {"n": MAX_SECTIONS}]})
    cleaned = []
    for section in sections:
        if not isinstance(section, Mapping):
            raise invalid({"sections": [_("Each section needs a heading and a text.")]})
        heading = str(section.get("heading") or "").strip()[:300]
        text = str(section.get("text") or "").replace("\r\n", "\n").strip()
        if not heading and not text:
            continue
        if len(text) > MAX_SECTION_CHARS:
            raise invalid({"sections": [_("A section may hold at most %(n)d characters.") % {"n": MAX_SECTION_CHARS}]})
        cleaned.append({"heading": heading, "text": text})
    if not cleaned:
        raise invalid({"sections": [_("The text needs at least one section.")]})
    return cleaned
