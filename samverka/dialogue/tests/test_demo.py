import pytest

from samverka.dialogue.demo import load_demo
from samverka.dialogue.models import ActionItem, Forum, Meeting
from samverka.registry.demo import load_demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_carries_open_actions_to_the_next_meeting():
    registry_demo()
    assert "created 1 forum" in load_demo()
    assert "created 0 forum" in load_demo()
    forum = Forum.objects.get()
    upcoming = Meeting.objects.filter(forum=forum).order_by("-starts_at").first()
    assert upcoming.agenda.exclude(action_item=None).count() == ActionItem.objects.filter(forum=forum).count() == 2
