"""Audit and access rows are append-only: the ORM refuses changes, and on PostgreSQL so does a trigger."""

import pytest
from django.db import DatabaseError, connection, transaction

from samverka.accounts.models import User
from samverka.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from samverka.audit.selectors import audit_history
from samverka.audit.services import access_record, audit_record, diff, snapshot
from samverka.core import request_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return User.objects.create_user("auditor@samverka.example", "a-long-password-1", full_name="Audit Or")


@pytest.fixture
def event(actor):
    return audit_record(
        actor=actor, action="user.update", obj=actor, changes={"full_name": {"before": "A", "after": "B"}}
    )


def test_audit_record_keeps_actor_object_changes_and_request_context(actor):
    token = request_context.set_current(request_context.RequestContext(request_id="req-1", ip="192.0.2.7"))
    try:
        row = audit_record(actor=actor, action="user.update", obj=actor, changes={"x": {"before": 1, "after": 2}})
    finally:
        request_context.reset(token)
    row = AuditEvent.objects.get(pk=row.pk)
    assert (row.actor_id, row.actor_label, row.action) == (actor.pk, actor.email, "user.update")
    assert (row.object_type, row.object_id) == ("accounts.user", str(actor.pk))
    assert row.changes == {"x": {"before": 1, "after": 2}}
    assert (row.request_id, row.ip) == ("req-1", "192.0.2.7")


def test_system_actions_are_labelled_system():
    assert audit_record(actor=None, action="areas.load", object_type="areas.area").actor_label == "system"


def test_snapshot_and_diff_record_only_changed_fields(actor):
    before = snapshot(actor, ["email", "full_name", "home_area"])
    actor.full_name = "New Name"
    after = snapshot(actor, ["email", "full_name", "home_area"])
    assert diff(before, after) == {"full_name": {"before": "Audit Or", "after": "New Name"}}


def test_history_lists_one_objects_events_newest_first(actor, event):
    later = audit_record(actor=actor, action="user.deactivate", obj=actor)
    audit_record(actor=actor, action="other", object_type="accounts.user", object_id="someone-else")
    assert list(audit_history(object_type="accounts.user", object_id=actor.pk)) == [later, event]


def test_saving_an_existing_audit_row_is_refused(event):
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "user.update"


def test_deleting_an_audit_row_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_of_audit_rows_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])


def test_access_rows_are_append_only_too(actor):
    row = access_record(actor=actor, subject=actor, fields=["email"], purpose="test")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=row.pk).update(purpose="changed")
    with pytest.raises(AppendOnlyError):
        row.delete()


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_accessevent"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET request_id = 'x'", "DELETE FROM {table}"])
def test_postgres_trigger_refuses_raw_update_and_delete(actor, table, statement):
    audit_record(actor=actor, action="probe", obj=actor)
    access_record(actor=actor, subject=actor, fields=["email"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))
    assert AuditEvent.objects.filter(action="probe").exists()
