"""Daily voucher housekeeping on django.tasks. Idempotent: a second run the same day lapses nothing."""

import datetime

from django.tasks import task
from django.utils import timezone

from .models import Voucher, VoucherStatus
from .services import voucher_lapse


def lapse_expired(today: datetime.date | None = None) -> int:
    """Lapse every active voucher whose validity ended before `today`; returns how many lapsed now."""
    today = today or timezone.localdate()
    ids = Voucher.objects.filter(status=VoucherStatus.ACTIVE, valid_to__lt=today).values_list("pk", flat=True)
    return sum(1 for pk in list(ids) if voucher_lapse(voucher=Voucher(pk=pk), today=today))


@task()
def lapse_expired_vouchers() -> int:
    return lapse_expired()
