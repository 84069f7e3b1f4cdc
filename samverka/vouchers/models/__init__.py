from .ledger import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind
from .residents import IdCountry, Resident
from .schemes import (
    Accreditation,
    AccreditationDocument,
    AccreditationStatus,
    BudgetPeriod,
    CopaymentKind,
    SchemeKind,
    SchemeStatus,
    Unit,
    VoucherScheme,
)
from .vouchers import BudgetLine, Claim, NextClaimSeq, Settlement, SettlementLine, SettlementRun, Voucher, VoucherStatus

__all__ = [
    "AccountKind",
    "Accreditation",
    "AccreditationDocument",
    "AccreditationStatus",
    "BudgetLine",
    "BudgetPeriod",
    "Claim",
    "CopaymentKind",
    "IdCountry",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "NextClaimSeq",
    "Resident",
    "SchemeKind",
    "SchemeStatus",
    "Settlement",
    "SettlementLine",
    "SettlementRun",
    "TransactionKind",
    "Unit",
    "Voucher",
    "VoucherScheme",
    "VoucherStatus",
]
