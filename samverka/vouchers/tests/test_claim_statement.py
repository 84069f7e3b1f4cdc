"""PostgreSQL: a claim is one read and one statement (services/claim_sql.py). The statement writes only if the voucher
is still as it was read; otherwise nothing is written and the claim is made again under the voucher's lock. It writes
the same rows the locked path writes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverka.audit.models import AuditEvent
from samverka.audit.services import audit_event
from samverka.core.errors import ConflictError
from samverka.vouchers import ledger, permissions, services
from samverka.vouchers.models import Claim, LedgerEntry, LedgerTransaction
from samverka.vouchers.services import claim_sql, claims

from .factories import World, provider, resident, voucher
from .factories import scheme as make_scheme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def _counts():
    return (Claim.objects.count(), LedgerTransaction.objects.count(), LedgerEntry.objects.count(), _events())


def _events():
    return AuditEvent.objects.filter(action="vouchers.claim.create").count()


def _read_and_plan(world, units="1", key="k1"):
    """The first round trip of a claim and its checks, as claims._create_in_one_statement does them."""
    current, orgs = claim_sql.read_for_claim(world.provider_user.pk, world.voucher.pk, key)
    plan = claims._plan(current, orgs, YESTERDAY, units, None, None, None)
    tx, entries, deltas = ledger.prepare(actor=world.provider_user, **claims._ledger_lines(current, plan))
    claim = claims._claim(world.provider_user, current, plan, tx, key, "digest", "")
    event = audit_event(**claims._audit(world.provider_user, current, plan, claim))

    def write():
        return claim_sql.write_claim(current, tx, entries, deltas, claim, event, key=key, organisation_ids=orgs)

    return write


@pytest.mark.django_db(transaction=True)
def test_a_claim_is_one_read_and_one_statement_without_begin_or_commit():
    assert connection.vendor == "postgresql"
    world = World()
    with CaptureQueriesContext(connection) as queries:
        claim, created = world.claim(key="one")
    statements = [q["sql"].lstrip() for q in queries.captured_queries]
    assert created
    assert not [s for s in statements if s.split()[0].upper() in ("BEGIN", "COMMIT", "SAVEPOINT")]
    assert len(statements) == 2  # the read (with the provider's organisations), the statement
    assert ["INSERT INTO" in s for s in statements] == [False, True]  # reads, then writes everything at once
    with CaptureQueriesContext(connection) as queries:
        again, created = world.claim(key="one")
    assert not created and again.pk == claim.pk
    assert len(queries.captured_queries) == 2  # the read (finds the key), the original claim
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == 10 * 500_00 - 450_00
    assert ledger.verify().ok


def test_the_read_names_the_organisations_the_user_claims_for_as_the_permissions_do():
    from samverka.accounts.tests.factories import grant_organisation_role, make_organisation, make_user

    world = World()
    member = make_user()
    grant_organisation_role(member, world.accreditation.organisation, "member")
    grant_organisation_role(member, make_organisation("Annet lag"), "admin")
    for user in (world.provider_user, member, world.officer, make_user()):
        current, orgs = claim_sql.read_for_claim(user.pk, world.voucher.pk, "k")
        assert orgs == permissions.provider_organisation_ids(user)
        assert current.pk == world.voucher.pk
    assert len(claim_sql.read_for_claim(member.pk, world.voucher.pk, "k")[1]) == 2
    missing, orgs = claim_sql.read_for_claim(member.pk, world.resident.pk, "k")  # no voucher has this id
    assert missing is None and orgs == permissions.provider_organisation_ids(member)


def test_the_statement_writes_nothing_when_the_voucher_was_cancelled_after_the_read():
    world = World()
    write = _read_and_plan(world)
    services.voucher_cancel(actor=world.officer, voucher=world.voucher, reason="Moved away")
    before = _counts()
    assert write() is False
    assert _counts() == before
    with pytest.raises(ConflictError, match="cancelled"):  # made again under the lock: the refusal of now
        world.claim()
    assert _counts() == before and ledger.verify().ok


def test_the_statement_writes_nothing_when_another_claim_used_the_balance_after_the_read():
    world = World(units="1")  # 500 NOK: one claim of 450
    write = _read_and_plan(world, key="late")
    world.claim(key="first")
    before = _counts()
    assert write() is False
    assert _counts() == before
    world.voucher.account.refresh_from_db()
    assert world.voucher.account.balance_minor == 50_00
    with pytest.raises(ConflictError, match="remaining balance"):
        world.claim(key="late")
    assert ledger.verify().ok


def test_the_statement_writes_nothing_when_the_provider_was_suspended_after_the_read():
    world = World()
    write = _read_and_plan(world)
    services.accreditation_decide(
        actor=world.officer, accreditation=world.accreditation, action="suspend", reason="Inspection"
    )
    before = _counts()
    assert write() is False
    assert _counts() == before


def test_the_statement_writes_nothing_when_the_key_was_used_after_the_read():
    world = World()
    write = _read_and_plan(world, key="same")
    first, _ = world.claim(key="same")
    before = _counts()
    assert write() is False
    assert _counts() == before
    again, created = world.claim(key="same")  # made again: the retry is answered with the first claim
    assert not created and again.pk == first.pk


def _rows(claim):
    tx = claim.transaction
    entries = sorted(
        (e.account_id, e.amount_minor, e.currency, e.kind, e.budget_line_id)
        for e in LedgerEntry.objects.filter(transaction=tx)
    )
    event = AuditEvent.objects.get(action="vouchers.claim.create", object_id=str(claim.pk))
    return {
        "claim": (
            claim.voucher_id,
            claim.accreditation_id,
            claim.service_date,
            claim.units,
            claim.unit_price_minor,
            claim.amount_minor,
            claim.copayment_minor,
            claim.budget_line_id,
            claim.note,
            claim.created_by_id,
        ),
        "transaction": (tx.kind, tx.scheme_id, tx.voucher_id, tx.memo, tx.reverses_id, tx.actor_id),
        "entries": entries,
        "event": (
            event.actor_id,
            event.actor_label,
            event.object_type,
            event.object_label.replace(str(claim.pk), "<id>"),
            event.area_id,
            event.organisation_id,
            event.changes,
            event.request_id,
            event.ip,
        ),
    }


@pytest.mark.parametrize("copayment", [{}, {"copayment_kind": "fixed", "copayment_fixed": "50"}])
def test_the_statement_writes_the_rows_the_locked_path_writes(copayment):
    world = World()
    scheme = make_scheme(world.officer, name="Copay", **copayment)
    acc, user = provider(world.officer, scheme)
    v = voucher(world.officer, scheme, resident(world.officer), acc, units="10")
    args = {"voucher_id": v.pk, "service_date": YESTERDAY, "units": "1.5", "unit_price": None, "amount": None}
    orgs = permissions.provider_organisation_ids(user)
    fast, created = services.claim_create(actor=user, idempotency_key="fast", note="Tuesday", **args)
    assert created
    digest = services.request_hash(note="Tuesday", **args)
    locked, created = claims._create_locked(
        user, v.pk, orgs, "locked", digest, YESTERDAY, "1.5", None, None, "Tuesday", None
    )
    assert created
    fast.refresh_from_db()
    locked.refresh_from_db()
    assert _rows(fast) == _rows(locked)
    assert fast.seq < locked.seq and fast.request_hash == locked.request_hash
    if copayment:
        assert len(_rows(fast)["entries"]) == 3
    assert ledger.verify().ok
