import pytest

from samverka.audit.models import AuditEvent
from samverka.audit.presentation import history_rows

pytestmark = pytest.mark.django_db


def _event(**changes) -> AuditEvent:
    return AuditEvent(action="organisation.update", object_type="registry.organisation", object_id="x", changes=changes)


def test_changes_named_after_a_reverse_relation_or_no_field_keep_their_key():
    row = history_rows([_event(years={"before": 1, "after": 2}, something_else="value")])[0]
    assert [c.label for c in row.changes] == ["years", "something_else"]
    assert (row.changes[0].before, row.changes[0].after, row.changes[1].text) == ("1", "2", "value")


def test_fields_choices_and_booleans_are_put_into_words():
    row = history_rows([_event(legal_form={"before": "association", "after": "foundation"}, trusted_publisher=True)])[0]
    assert row.what == "Organisation: changed"
    assert [(c.label, c.before, c.after, c.text) for c in row.changes] == [
        ("Legal form", "Association", "Foundation", None),
        ("May publish directly", None, None, "Yes"),
    ]
