"""Public finder and service page, management pages, review pages."""

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.catalogue import services
from samverka.catalogue.models import ChangeProposal
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, org_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag V")


def test_finder_searches_and_highlights(client, org):
    make_service(org, name_nb="Frivillig <b>besøk</b>")
    response = client.get(reverse("catalogue:index"), {"q": "frivillige"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Frivillig</mark> &lt;b&gt;besøk&lt;/b&gt;" in body


def test_finder_htmx_returns_only_results(client, org):
    make_service(org, name_nb="Kaffetreff")
    response = client.get(reverse("catalogue:index"), {"q": "kaffetreff"}, headers={"HX-Request": "true"})
    assert "<h1>" not in response.content.decode() and "Kaffetreff" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"age": "old"}, "age"),
        ({"category": "nope"}, "category"),
        ({"weekday": "xx"}, "weekday"),
        ({"area": "not-a-uuid"}, "area"),
        ({"sort": "price"}, "sort"),
    ],
)
def test_finder_bad_filters_answer_400_with_messages(client, params, field):
    response = client.get(reverse("catalogue:index"), params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]


def test_finder_huge_page_is_clamped(client, org):
    make_service(org)
    assert client.get(reverse("catalogue:index"), {"page": "99999999999999"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "hit"),
    [
        ({"category": "peer-support"}, True),
        ({"category": "grief"}, False),
        ({"target_group": "youth"}, None),
        ({"language": "ar"}, True),
        ({"language": "so"}, False),
        ({"age": "15"}, True),
        ({"age": "40"}, False),
        ({"free": "1"}, True),
        ({"vouchers": "1"}, False),
        ({"access": "drop_in"}, True),
        ({"access": "referral"}, False),
        ({"weekday": "tu"}, True),
        ({"weekday": "fr"}, False),
        ({"sort": "updated"}, True),
        ({"sort": "name", "q": "ungdomstreff"}, True),
    ],
)
def test_finder_filters(client, org, params, hit):
    service = make_service(
        org,
        name_nb="Ungdomstreff",
        categories=["peer-support"],
        languages=["ar", "nb"],
        min_age=13,
        max_age=19,
        schedules=[
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": "2025-01-07", "opens_at": "18:00", "closes_at": "20:00"}
        ],
    )
    ids = {s.pk for s in client.get(reverse("catalogue:index"), params).context["page"].items}
    if hit is not None:
        assert (service.pk in ids) is hit


def test_finder_area_includes_the_areas_below_and_above(client, org):
    service = make_service(org, areas=[str(area("NO", "3201").pk)])
    county = area("NO", "32", kind="county")
    other = area("NO", "0301")
    assert service.pk in {
        s.pk for s in client.get(reverse("catalogue:index"), {"area": county.pk}).context["page"].items
    }
    assert not client.get(reverse("catalogue:index"), {"area": other.pk}).context["page"].items


def test_finder_query_count_does_not_grow_with_rows(client, org, django_assert_max_num_queries):
    for i in range(3):
        make_service(org, name_nb=f"Kaffetreff {i}", categories=["peer-support"], languages=["nb"])
    with django_assert_max_num_queries(14):
        client.get(reverse("catalogue:index"), {"q": "kaffetreff"})
    for i in range(10):
        make_service(org, name_nb=f"Kaffetreff mer {i}", categories=["loneliness"], languages=["en"])
    with django_assert_max_num_queries(14):
        client.get(reverse("catalogue:index"), {"q": "kaffetreff"})


def test_service_page_has_json_ld_and_schedule(client, org, django_assert_max_num_queries):
    service = make_service(
        org,
        name_nb="Kaffetreff </script>",
        summary_nb="Kaffe.",
        schedules=[
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": "2025-01-07", "opens_at": "18:00", "closes_at": "20:00"}
        ],
    )
    with django_assert_max_num_queries(15):
        response = client.get(reverse("catalogue:service_detail", args=[service.pk]))
    body = response.content.decode()
    assert '<script type="application/ld+json">' in body and '"@type": "Service"' in body
    assert "Kaffetreff \\u003c/script\\u003e" in body


def test_draft_page_is_hidden_from_public_and_outsiders_are_audited(client, org):
    service = make_service(org, status="draft")
    assert client.get(reverse("catalogue:service_detail", args=[service.pk])).status_code == 404
    plain_login(client, make_user())
    assert client.get(reverse("catalogue:service_detail", args=[service.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(service.pk)).exists()


def test_report_error_form(client, org, django_capture_on_commit_callbacks, mailoutbox):
    service = make_service(org)
    org_member(org, "admin")
    url = reverse("catalogue:report_error", args=[service.pk])
    assert client.post(url, {"message": ""}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"message": "Feil adresse"}).status_code == 302
    assert len(mailoutbox) == 1


def test_member_edits_through_the_page_and_coordinator_approves(client, org, django_capture_on_commit_callbacks):
    service = make_service(org, name_nb="Kaffetreff")
    member = org_member(org, "member")
    plain_login(client, member)
    assert client.get(reverse("catalogue:org_services", args=[org.pk])).status_code == 200
    data = services.service_state(service)
    form = {k: v for k, v in data.items() if k not in ("schedules",) and v not in (None, [])}
    form.update({"name_nb": "Suppetreff", "schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "0"})
    form.update({k: v for k, v in data.items() if isinstance(v, list) and v and k != "schedules"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalogue:service_edit", args=[service.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = ChangeProposal.objects.get()
    public = client.get(reverse("catalogue:service_detail", args=[service.pk])).content.decode()
    assert "Kaffetreff" in public
    coordinator = coordinator_for("32")
    staff_login(client, coordinator)
    page = client.get(reverse("catalogue:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Suppetreff" in page and "Kaffetreff" in page
    assert client.get(reverse("catalogue:proposals")).status_code == 200
    response = client.post(reverse("catalogue:proposal_detail", args=[proposal.pk]), {"action": "approve"})
    assert response.status_code == 302
    assert (
        client.post(reverse("catalogue:proposal_detail", args=[proposal.pk]), {"action": "approve"}).status_code == 404
    )
    service.refresh_from_db()
    assert service.name_nb == "Suppetreff"


def test_outsider_gets_404_on_org_services(client, org):
    plain_login(client, make_user())
    assert client.get(reverse("catalogue:org_services", args=[org.pk])).status_code == 404


def test_freshness_and_csv(client, org):
    make_service(org)
    staff_login(client, coordinator_for("32"))
    assert client.get(reverse("catalogue:freshness")).status_code == 200
    assert client.get(reverse("catalogue:freshness_csv")).status_code == 200
    assert client.get(reverse("catalogue:org_services_csv", args=[org.pk])).status_code == 200


def test_create_and_edit_pages_render_for_the_organisation(client, org):
    service = make_service(
        org,
        schedules=[
            {
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "dtstart": "2025-01-07",
                "opens_at": "18:00",
                "closes_at": "20:00",
                "exceptions": ["2025-04-15"],
            }
        ],
    )
    plain_login(client, org_member(org))
    assert client.get(reverse("catalogue:service_create", args=[org.pk])).status_code == 200
    body = client.get(reverse("catalogue:service_edit", args=[service.pk])).content.decode()
    assert 'value="2025-04-15"' in body
    assert client.get(reverse("catalogue:location_create", args=[org.pk])).status_code == 200


def test_bad_rrule_on_the_page_is_a_422_with_the_message_on_the_schedule(client, org):
    service = make_service(org)
    staff_login(client, coordinator_for("32"))
    form = {
        "name_nb": "X",
        "kind": "activity",
        "status": "draft",
        "fee": "free",
        "access_mode": "drop_in",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "0",
        "schedules-0-kind": "session",
        "schedules-0-rrule": "FREQ=NEVER",
        "schedules-0-dtstart": "2025-01-01",
        "schedules-0-opens_at": "10:00",
        "schedules-0-closes_at": "11:00",
    }
    response = client.post(reverse("catalogue:service_edit", args=[service.pk]), form)
    assert response.status_code == 422
    assert response.context["formset"].forms[0].errors["rrule"]


def _pending_proposal(org, name="Suppetreff"):
    service = make_service(org, name_nb="Kaffetreff")
    _service, proposal = services.service_update(actor=org_member(org), service=service, data={"name_nb": name})
    return service, proposal


def test_coordinator_rejects_on_the_proposal_page_only_with_a_reason_and_the_public_keeps_the_old_version(
    client, org, django_capture_on_commit_callbacks
):
    from django.core import mail

    from samverka.catalogue.models import ProposalStatus

    service, proposal = _pending_proposal(org)
    staff_login(client, coordinator_for("32"))
    page = reverse("catalogue:proposal_detail", args=[proposal.pk])
    response = client.post(page, {"action": "reject", "reason": ""})
    assert response.status_code == 422 and ChangeProposal.objects.get().status == ProposalStatus.PENDING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"action": "reject", "reason": "The opening hours are not right."})
    assert response.status_code == 302 and response.url == reverse("catalogue:proposals")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert any("The opening hours are not right." in m.body for m in mail.outbox)
    public = client.get(reverse("catalogue:service_detail", args=[service.pk])).content.decode()
    assert "Kaffetreff" in public and "Suppetreff" not in public
    assert client.post(page, {"action": "reject", "reason": "Again."}).status_code == 404  # decided already


def test_coordinator_edits_a_proposal_on_the_service_page_then_approves_it_with_the_edits(client, org):
    from samverka.catalogue.models import ProposalStatus

    service, proposal = _pending_proposal(org)
    staff_login(client, coordinator_for("32"))
    edit = reverse("catalogue:service_edit", args=[service.pk])
    page = client.get(edit, {"proposal": proposal.pk}).content.decode()
    assert 'value="Suppetreff"' in page  # the form starts from the proposed version
    data = services.service_state(service) | proposal.data
    form = {k: v for k, v in data.items() if k != "schedules" and v not in (None, [])}
    form |= {"name_nb": "Suppe og prat", "proposal": str(proposal.pk)}
    form |= {"schedules-TOTAL_FORMS": "0", "schedules-INITIAL_FORMS": "0"}
    response = client.post(edit, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    service.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and service.name_nb == "Suppe og prat"


def test_the_reminder_command_queues_the_task_and_says_so(org):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    from samverka.catalogue.models import Service

    service = make_service(org)
    Service.objects.filter(pk=service.pk).update(last_verified="2020-01-01")
    org_member(org, "admin")
    mail.outbox.clear()
    out = StringIO()
    call_command("catalogue_reminders", stdout=out)
    assert out.getvalue().startswith("Queued the reminder task (")
    assert len(mail.outbox) == 1  # the test settings run tasks at once
