"""Writes on agreements. Each validates, writes in one transaction and leaves an audit event."""

from .common import Forbidden
from .drafting import (
    agreement_create,
    agreement_update_details,
    comment_add,
    commitment_set,
    party_add,
    principle_add,
    signatory_add,
    version_create,
)
from .library import principle_set_create, template_create
from .lifecycle import TRANSITIONS, agreement_sign, agreement_transition
from .reviews import review_disagreement_resolve, review_score_set

__all__ = [
    "TRANSITIONS",
    "Forbidden",
    "agreement_create",
    "agreement_sign",
    "agreement_transition",
    "agreement_update_details",
    "comment_add",
    "commitment_set",
    "party_add",
    "principle_add",
    "principle_set_create",
    "review_disagreement_resolve",
    "review_score_set",
    "signatory_add",
    "template_create",
    "version_create",
]
