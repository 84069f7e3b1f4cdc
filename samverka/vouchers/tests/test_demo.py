import pytest

from samverka.registry.demo import load_demo as load_registry_demo
from samverka.vouchers import ledger
from samverka.vouchers.demo import load_demo
from samverka.vouchers.models import Accreditation, Claim, SettlementRun, VoucherScheme
from samverka.vouchers.selectors import reconciliation

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_the_ledger_reconciles():
    load_registry_demo()
    line = load_demo()
    assert "2 accredited providers" in line and "settled" in line
    assert load_demo().startswith("vouchers demo: already loaded")
    scheme = VoucherScheme.objects.get()
    assert Accreditation.objects.filter(scheme=scheme, status="approved").count() == 2
    assert Claim.objects.count() == 6 and SettlementRun.objects.count() == 1
    assert ledger.verify().ok and reconciliation(scheme=scheme).balanced
