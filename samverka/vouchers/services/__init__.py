"""Writes of the vouchers app. One function per action, each in one transaction with an audit event."""

from .claims import claim_create, claim_is_settled, claim_reverse, request_hash
from .decisions import voucher_cancel, voucher_choose_provider, voucher_issue, voucher_lapse
from .links import choice_link_create, choice_link_open
from .residents import normalise_national_id, resident_create, resident_erase, resident_update
from .schemes import (
    accreditation_apply,
    accreditation_decide,
    accreditation_update_openings,
    scheme_create,
    scheme_fund,
    scheme_set_status,
)
from .settlement import settlement_run

__all__ = [
    "accreditation_apply",
    "accreditation_decide",
    "accreditation_update_openings",
    "choice_link_create",
    "choice_link_open",
    "claim_create",
    "claim_is_settled",
    "claim_reverse",
    "normalise_national_id",
    "request_hash",
    "resident_create",
    "resident_erase",
    "resident_update",
    "scheme_create",
    "scheme_fund",
    "scheme_set_status",
    "settlement_run",
    "voucher_cancel",
    "voucher_choose_provider",
    "voucher_issue",
    "voucher_lapse",
]
