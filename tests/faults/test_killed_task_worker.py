"""A task worker killed half-way (SIGKILL) leaves nothing half-written, and the task run again finishes the job
exactly once in effect.

The task is the daily `lapse_expired_vouchers` (the longest task there is: one transaction per voucher with ledger
entries and an audit event). `samverka db_worker` runs in its own process on this test's database and is killed
once some vouchers have lapsed. django_tasks_db leaves the killed run RUNNING (no worker takes it back), so the
task is enqueued again, as the next day's schedule would, and a new worker completes it.
"""

import datetime

import pytest
from django.db.models import Sum

from samverka.audit.models import AuditEvent
from samverka.vouchers.models import AccountKind, LedgerAccount, LedgerTransaction, TransactionKind, Voucher
from samverka.vouchers.models import VoucherStatus as Status
from samverka.vouchers.tests import factories

from ..helpers import run_python
from . import workers

VOUCHERS = 300
ENQUEUE = """
import django
django.setup()
from samverka.vouchers.tasks import lapse_expired_vouchers
lapse_expired_vouchers.enqueue()
"""

pytestmark = pytest.mark.django_db(transaction=True)


def _expired_vouchers(n: int):
    officer = factories.officer()
    scheme = factories.scheme(officer, budget="100000000")
    today = datetime.date.today()
    for i in range(n):
        resident = factories.resident(
            officer, national_id=factories.no_national_id(datetime.date(1950, 1, 1) + datetime.timedelta(days=i))
        )
        factories.voucher(officer, scheme, resident, valid_to=today + datetime.timedelta(days=1))
    # Issued valid, then their validity passes (a voucher cannot be issued already expired).
    Voucher.objects.update(valid_to=today - datetime.timedelta(days=1))
    return scheme


def _enqueue() -> None:
    result = run_python(ENQUEUE, workers.worker_env())
    assert result.returncode == 0, result.stderr[-2000:]


def _lapsed() -> int:
    return Voucher.objects.filter(status=Status.LAPSED).count()


def _assert_whole(scheme, money_in_scheme: int) -> None:
    """Every voucher is either untouched or wholly lapsed: status, ledger and audit agree, and no money is lost."""
    for voucher in Voucher.objects.select_related("account"):
        lapses = LedgerTransaction.objects.filter(voucher=voucher, kind=TransactionKind.LAPSE).count()
        audits = AuditEvent.objects.filter(action="vouchers.voucher.lapsed", object_id=str(voucher.pk)).count()
        if voucher.status == Status.LAPSED:
            assert (lapses, audits, voucher.account.balance_minor) == (1, 1, 0), voucher.pk
        else:
            assert voucher.status == Status.ACTIVE and (lapses, audits) == (0, 0), voucher.pk
            assert voucher.account.balance_minor > 0
    accounts = LedgerAccount.objects.filter(scheme=scheme, kind__in=[AccountKind.SCHEME_BUDGET, AccountKind.VOUCHER])
    assert accounts.aggregate(total=Sum("balance_minor"))["total"] == money_in_scheme


def test_killed_worker_leaves_whole_vouchers_and_the_task_run_again_lapses_each_once():
    scheme = _expired_vouchers(VOUCHERS)
    accounts = LedgerAccount.objects.filter(scheme=scheme, kind__in=[AccountKind.SCHEME_BUDGET, AccountKind.VOUCHER])
    money_in_scheme = accounts.aggregate(total=Sum("balance_minor"))["total"]

    _enqueue()
    worker = workers.start("db_worker", "--no-startup-delay", "--no-reload", environ=workers.worker_env())
    workers.kill_when(worker, lambda: _lapsed() >= 10)
    interrupted = _lapsed()
    assert 0 < interrupted < VOUCHERS
    _assert_whole(scheme, money_in_scheme)

    _enqueue()
    again = workers.start("db_worker", "--batch", "--no-startup-delay", "--no-reload", environ=workers.worker_env())
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-2000:]
    assert _lapsed() == VOUCHERS
    _assert_whole(scheme, money_in_scheme)
