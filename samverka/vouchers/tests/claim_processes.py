"""A claimant in its own OS process (multiprocessing, spawn) for the PostgreSQL concurrency test.

This module imports nothing from Django at the top: a spawned child imports it before Django is set up, then
`claimant` points Django at the test database given by the parent and sets it up, with its own connection."""

import os


def claimant(database_url: str, user_id, voucher_ids: list, day: str, worker: int, claims: int, start, results):
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import datetime

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections

    from samverka.core.errors import ConflictError
    from samverka.vouchers import services

    outcomes = []
    try:
        user = get_user_model().objects.get(pk=user_id)
        when = datetime.date.fromisoformat(day)
        start.wait(60)
        for i in range(claims):
            voucher_id = voucher_ids[(worker + i) % len(voucher_ids)]
            key = f"proc{worker}-{i}"
            request = {"voucher_id": voucher_id, "idempotency_key": key, "units": "1", "service_date": when}
            try:
                claim, created = services.claim_create(actor=user, **request)
                again, created_again = services.claim_create(actor=user, **request)  # a retry: the same claim
                ok = created and not created_again and again.pk == claim.pk
                outcomes.append((key, str(voucher_id), "accepted" if ok else "retry-broke", claim.amount_minor))
            except ConflictError:
                outcomes.append((key, str(voucher_id), "refused", 0))
    except BaseException as exc:  # noqa: BLE001 — reported to the parent, which fails the test
        outcomes.append(("error", "", repr(exc), 0))
    finally:
        connections.close_all()
        results.put((worker, outcomes))
