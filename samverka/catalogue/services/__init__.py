"""Writes of the catalogue: `<entity>_<verb>(*, actor, ...)`, each in one transaction and audited."""

from .errors import Forbidden
from .feedback import error_report_create
from .locations import location_create, location_delete, location_update, location_uses
from .proposals import proposal_approve, proposal_reject
from .state import FIELDS, clean_state, empty_state, service_state
from .writes import service_create, service_update, service_verify

__all__ = [
    "FIELDS",
    "Forbidden",
    "clean_state",
    "empty_state",
    "error_report_create",
    "location_create",
    "location_delete",
    "location_update",
    "location_uses",
    "proposal_approve",
    "proposal_reject",
    "service_create",
    "service_state",
    "service_update",
    "service_verify",
]
