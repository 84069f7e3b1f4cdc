"""Actions that cannot be undone ask first: closing a hearing, rejecting a comment, replacing the feed address."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.core.errors import ValidationError
from samverka.dialogue import hearings
from samverka.dialogue.hearing_models import Hearing, HearingComment
from samverka.dialogue.models import CalendarToken

from .factories import make_world

pytestmark = pytest.mark.django_db


def _open_hearing(world):
    now = timezone.now()
    h = hearings.hearing_create(
        actor=world.coordinator,
        area=world.county,
        title="Strategi",
        sections=[{"heading": "Mål", "text": "Mer samarbeid."}],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=9),
    )
    h = hearings.hearing_transition(actor=world.coordinator, hearing=h, action="open")
    c = hearings.comment_add(actor=AnonymousUser(), hearing=h, text="Reklame", client_ip="192.0.2.1")
    return h, c


def test_closing_a_hearing_asks_first_and_only_the_confirmation_closes_it(client):
    world = make_world()
    h, _c = _open_hearing(world)
    staff_login(client, world.coordinator)
    close = reverse("dialogue:hearing_action", args=[h.pk, "close"])
    assert f'href="{close}"' in client.get(reverse("dialogue:hearing", args=[h.pk])).text  # a link, not a POST
    events = AuditEvent.objects.count()
    page = client.get(close)
    assert page.status_code == 200 and "This cannot be undone." in page.text
    assert Hearing.objects.get(pk=h.pk).status == "open" and AuditEvent.objects.count() == events
    assert client.post(close).status_code == 302
    assert Hearing.objects.get(pk=h.pk).status == "closed"


def test_rejecting_a_comment_asks_first_and_shows_the_comment(client):
    world = make_world()
    h, c = _open_hearing(world)
    staff_login(client, world.coordinator)
    reject = reverse("dialogue:hearing_action", args=[h.pk, "reject"])
    page = client.get(f"{reject}?comment={c.pk}")
    assert page.status_code == 200 and "Reklame" in page.text
    assert HearingComment.objects.get(pk=c.pk).status == "pending"
    assert client.get(f"{reject}?comment=not-a-uuid").status_code == 404
    assert client.post(reject, {"comment": str(c.pk)}).status_code == 302
    assert HearingComment.objects.get(pk=c.pk).status == "rejected"


def test_the_confirmation_pages_are_refused_to_others_and_other_actions_have_none(client):
    world = make_world()
    h, c = _open_hearing(world)
    plain_login(client, world.org_admin)
    page = client.get(reverse("dialogue:hearing_action", args=[h.pk, "close"]))
    assert page.status_code == 403 and "Nothing was changed." in page.text
    staff_login(client, world.coordinator)
    assert client.get(reverse("dialogue:hearing_action", args=[h.pk, "open"])).status_code == 404
    assert client.get(reverse("dialogue:hearing_action", args=[h.pk, "publish"])).status_code == 404
    assert Hearing.objects.get(pk=h.pk).status == "open"


def test_replacing_the_calendar_address_asks_first(client):
    world = make_world()
    staff_login(client, world.coordinator)
    url = reverse("dialogue:calendar")
    client.get(url)
    token = CalendarToken.objects.get(user=world.coordinator).token
    confirm = client.get(url + "?replace=1")
    assert confirm.status_code == 200 and "The old address stops working at once" in confirm.text
    assert CalendarToken.objects.get(user=world.coordinator).token == token
    assert client.post(url).status_code == 302
    new = CalendarToken.objects.get(user=world.coordinator).token
    assert new != token
    assert client.get(reverse("dialogue:user_ics", args=[token])).status_code == 404
    assert client.get(reverse("dialogue:user_ics", args=[new])).status_code == 200


def test_a_member_proposes_an_agenda_item_for_their_organisation_but_not_for_another(client):
    from samverka.agreements.tests.factories import make_organisation
    from samverka.dialogue import services
    from samverka.dialogue.models import AgendaItem

    world = make_world(is_public=False)
    plain_login(client, world.org_admin)
    url = reverse("dialogue:meeting", args=[world.meeting.pk])
    response = client.post(
        url, {"form": "agenda", "ag-title": "Frivilligbørs", "ag-proposer_organisation": str(world.organisation.pk)}
    )
    assert response.status_code == 302
    item = world.meeting.agenda.get(title="Frivilligbørs")
    assert item.proposer_organisation == world.organisation and item.proposer_name == "Ola Organisasjon"
    assert "proposed by Ola Organisasjon for Bærum Besøksvenner" in client.get(url).text
    other = make_organisation("Annen forening")
    refused = client.post(url, {"form": "agenda", "ag-title": "Fremmed", "ag-proposer_organisation": str(other.pk)})
    assert refused.status_code == 422 and not AgendaItem.objects.filter(title="Fremmed").exists()
    with pytest.raises(ValidationError) as refused_by_service:
        services.agenda_item_add(
            actor=world.org_admin, meeting=world.meeting, title="Fremmed", proposer_organisation=other
        )
    assert "proposer_organisation" in refused_by_service.value.errors
    assert not AgendaItem.objects.filter(title="Fremmed").exists()
