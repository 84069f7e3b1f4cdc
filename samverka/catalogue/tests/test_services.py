"""Writing services: validation, the publishing rules, proposals and their decisions, notifications."""

import threading

import pytest
from django.core import mail
from django.db import connection

from samverka.audit.models import AuditEvent
from samverka.catalogue import services
from samverka.catalogue.finder import search_ids
from samverka.catalogue.models import ChangeProposal, ProposalStatus, Service
from samverka.core.errors import ConflictError, ValidationError
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, org_member, service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag A")


def test_member_edit_of_published_service_waits_for_approval_and_public_keeps_old(
    org, django_capture_on_commit_callbacks
):
    service = make_service(org, name_nb="Kaffetreff")
    member = org_member(org, "member")
    coordinator_for("32")
    with django_capture_on_commit_callbacks(execute=True):
        _, proposal = services.service_update(actor=member, service=service, data={"name_nb": "Suppetreff"})
    assert proposal is not None and proposal.status == ProposalStatus.PENDING
    service.refresh_from_db()
    assert service.name_nb == "Kaffetreff"
    assert search_ids("suppetreff") == [] and search_ids("kaffetreff") == [service.pk]
    assert any("Change to review" in m.subject for m in mail.outbox)


def test_approval_publishes_the_proposed_version_and_reindexes(org):
    service = make_service(org, name_nb="Kaffetreff")
    coordinator = coordinator_for("32")
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"name_nb": "Suppetreff"})
    services.proposal_approve(actor=coordinator, proposal_id=proposal.pk)
    service.refresh_from_db()
    assert service.name_nb == "Suppetreff"
    assert search_ids("suppetreff") == [service.pk]
    assert AuditEvent.objects.filter(action="catalogue.proposal.approved").count() == 1


def test_coordinator_can_edit_then_approve(org):
    service = make_service(org, name_nb="Kaffetreff")
    coordinator = coordinator_for("32")
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"name_nb": "Suppetreff"})
    services.proposal_approve(actor=coordinator, proposal_id=proposal.pk, edits={"summary_nb": "Varm suppe."})
    service.refresh_from_db()
    assert (service.name_nb, service.summary_nb) == ("Suppetreff", "Varm suppe.")


def test_rejection_needs_a_reason_and_keeps_the_published_version(org, django_capture_on_commit_callbacks):
    service = make_service(org, name_nb="Kaffetreff")
    coordinator = coordinator_for("32")
    member = org_member(org)
    _, proposal = services.service_update(actor=member, service=service, data={"name_nb": "Suppetreff"})
    with pytest.raises(ValidationError) as exc:
        services.proposal_reject(actor=coordinator, proposal_id=proposal.pk, reason=" ")
    assert "reason" in exc.value.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_reject(actor=coordinator, proposal_id=proposal.pk, reason="Feil navn")
    service.refresh_from_db()
    assert service.name_nb == "Kaffetreff"
    assert any("Feil navn" in m.body for m in mail.outbox if member.email in m.to)


def test_second_decision_is_a_conflict(org):
    service = make_service(org)
    coordinator = coordinator_for("32")
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"summary_nb": "Nytt"})
    services.proposal_approve(actor=coordinator, proposal_id=proposal.pk)
    with pytest.raises(ConflictError):
        services.proposal_approve(actor=coordinator, proposal_id=proposal.pk)
    with pytest.raises(ConflictError):
        services.proposal_reject(actor=coordinator, proposal_id=proposal.pk, reason="x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_at_once_exactly_one_wins():
    org = OrganisationFactory(home_area=area("NO", "3201"), name="Lag B")
    service = make_service(org)
    first, second = coordinator_for("32"), coordinator_for("32")
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"summary_nb": "Nytt"})
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve(user):
        try:
            barrier.wait()
            services.proposal_approve(actor=user, proposal_id=proposal.pk)
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="catalogue.proposal.approved").count() == 1


def test_trusted_publisher_publishes_directly(org):
    org.trusted_publisher = True
    org.save()
    service = make_service(org, name_nb="Kaffetreff")
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"name_nb": "Suppetreff"})
    assert proposal is None
    service.refresh_from_db()
    assert service.name_nb == "Suppetreff"


def test_member_creating_a_published_service_gets_a_draft_and_a_proposal(org):
    service, proposal = services.service_create(actor=org_member(org), organisation=org, data=service_data())
    assert service.status == "draft" and proposal.data["status"] == "active"


def test_member_may_take_own_service_down_without_approval(org):
    service = make_service(org)
    _, proposal = services.service_update(actor=org_member(org), service=service, data={"status": "inactive"})
    assert proposal is None and Service.objects.get(pk=service.pk).status == "inactive"


def test_outsider_cannot_edit(org):
    from samverka.accounts.tests.factories import make_user
    from samverka.core.errors import NotFound

    with pytest.raises(NotFound):
        services.service_update(actor=make_user(), service=make_service(org), data={"name_nb": "X"})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_age": "ti"}, "min_age"),
        ({"min_age": 30, "max_age": 20}, "max_age"),
        ({"min_age": 500}, "min_age"),
        ({"categories": ["no-such-category"]}, "categories"),
        ({"languages": ["xx"]}, "languages"),
        ({"kind": "other"}, "kind"),
        ({"website": "javascript:alert(1)"}, "website"),
        (
            {
                "schedules": [
                    {"rrule": "FREQ=SOMETIMES", "dtstart": "2025-01-01", "opens_at": "10:00", "closes_at": "12:00"}
                ]
            },
            "schedules.0.rrule",
        ),
        (
            {
                "schedules": [
                    {"rrule": "FREQ=WEEKLY", "dtstart": "2025-01-01", "opens_at": "12:00", "closes_at": "10:00"}
                ]
            },
            "schedules.0.closes_at",
        ),
        ({"name_nb": "", "name_en": ""}, "name_nb"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(org, data, field):
    service = make_service(org, name_nb="Kaffetreff")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.service_update(actor=coordinator_for("32"), service=service, data=data)
    assert field in exc.value.errors
    assert AuditEvent.objects.count() == events
    assert ChangeProposal.objects.count() == 0


def test_schedules_keep_their_ids_across_edits(org):
    schedule = {
        "kind": "session",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "dtstart": "2025-01-07",
        "opens_at": "18:00",
        "closes_at": "20:00",
        "exceptions": ["2025-04-15"],
    }
    service = make_service(org, schedules=[schedule])
    first = service.schedules.get()
    assert first.weekdays == ",tu,"
    state = services.service_state(service)
    state["schedules"][0]["notes"] = "Ta med kaffe"
    services.service_update(actor=coordinator_for("32"), service=service, data={"schedules": state["schedules"]})
    again = service.schedules.get()
    assert again.pk == first.pk and again.notes == "Ta med kaffe"


def test_error_report_reaches_org_admins_and_coordinators(org, django_capture_on_commit_callbacks):
    service = make_service(org)
    admin, coordinator = org_member(org, "admin"), coordinator_for("32")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.error_report_create(actor=None, service=service, message="Feil telefonnummer")
    assert set(mail.outbox[0].to) == {admin.email, coordinator.email}
    assert AuditEvent.objects.filter(action="catalogue.error_report.created").exists()


def test_stale_reminders_go_once_per_service_per_month(org):
    from samverka.catalogue.tasks import send_stale_reminders

    service = make_service(org)
    Service.objects.filter(pk=service.pk).update(last_verified="2020-01-01")
    org_member(org, "admin")
    mail.outbox.clear()
    send_stale_reminders.call()
    send_stale_reminders.call()
    assert len(mail.outbox) == 1
