"""Gaps of the catalogue's tests: the proposal diff in names, reject / edit-then-approve on the pages, freshness,
the "Needs checking" tag, the organisation page's list, stable HSDS ids across an edit, the reminders command."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from samverka.accounts.tests.factories import plain_login, staff_login
from samverka.catalogue import services
from samverka.catalogue.models import ChangeProposal, Service, TaxonomyTerm
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, org_member, platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag G")


def _place(org, name):
    return services.location_create(actor=platform_admin(), organisation=org, data={"name": name})


def _propose(org, service, **data):
    _service, proposal = services.service_update(actor=org_member(org, "member"), service=service, data=data)
    assert proposal is not None
    return proposal


def test_proposal_diff_shows_names_of_areas_places_and_categories_not_ids(client, org):
    old_place, new_place = _place(org, "Gamle huset"), _place(org, "Nye huset")
    baerum, asker = area("NO", "3201"), area("NO", "3203")
    service = make_service(
        org, areas=[str(baerum.pk)], locations=[str(old_place.pk)], categories=["peer-support"], target_groups=[]
    )
    proposal = _propose(org, service, areas=[str(asker.pk)], locations=[str(new_place.pk)], categories=["loneliness"])
    staff_login(client, coordinator_for("32"))
    body = client.get(reverse("catalogue:proposal_detail", args=[proposal.pk])).content.decode()
    for name in (
        baerum.display_name,
        asker.display_name,
        "Gamle huset",
        "Nye huset",
        TaxonomyTerm.objects.get(code="peer-support").display_name,
        TaxonomyTerm.objects.get(code="loneliness").display_name,
    ):
        assert name in body
    for raw in (str(baerum.pk), str(asker.pk), str(old_place.pk), str(new_place.pk), ">loneliness<"):
        assert raw not in body


def _approved_form(service, **changes):
    data = services.service_state(service)
    form = {k: v for k, v in data.items() if k != "schedules" and v not in (None, [])}
    form.update({"schedules-TOTAL_FORMS": "1", "schedules-INITIAL_FORMS": "0", **changes})
    return form


def test_reject_on_the_page_needs_a_reason_and_keeps_the_published_version(
    client, org, django_capture_on_commit_callbacks
):
    service = make_service(org, name_nb="Kaffetreff")
    proposal = _propose(org, service, name_nb="Suppetreff")
    staff_login(client, coordinator_for("32"))
    url = reverse("catalogue:proposal_detail", args=[proposal.pk])
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 422 and response.context["reject_form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "reject", "reason": "Feil navn"}).status_code == 302
    proposal.refresh_from_db()
    service.refresh_from_db()
    assert (proposal.status, proposal.reason, service.name_nb) == ("rejected", "Feil navn", "Kaffetreff")


def test_edit_then_approve_on_the_page_publishes_the_coordinators_version(client, org):
    service = make_service(org, name_nb="Kaffetreff")
    proposal = _propose(org, service, name_nb="Suppetreff")
    staff_login(client, coordinator_for("32"))
    url = reverse("catalogue:service_edit", args=[service.pk]) + f"?proposal={proposal.pk}"
    page = client.get(url).content.decode()
    assert 'value="Suppetreff"' in page  # the form starts from the proposal
    response = client.post(url, _approved_form(service, name_nb="Suppetreff på torsdag"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    service.refresh_from_db()
    assert (proposal.status, service.name_nb) == ("approved", "Suppetreff på torsdag")
    assert not ChangeProposal.objects.filter(service=service, status="pending").exists()


def test_needs_checking_tag_marks_only_active_services_not_verified_for_a_year(client, org):
    stale = make_service(org, name_nb="Gammel")
    make_service(org, name_nb="Fersk")
    Service.objects.filter(pk=stale.pk).update(last_verified="2020-01-01")
    plain_login(client, org_member(org))
    body = client.get(reverse("catalogue:org_services", args=[org.pk])).content.decode()
    rows = {row.split("</th>")[0]: row for row in body.split('<th scope="row">')[1:]}
    assert "Needs checking" in next(r for k, r in rows.items() if "Gammel" in k)
    assert "Needs checking" not in next(r for k, r in rows.items() if "Fersk" in k)


def test_freshness_page_counts_and_lists_only_the_stale_services_of_the_area(client, org):
    stale = make_service(org, name_nb="Gammel")
    make_service(org, name_nb="Fersk")
    make_service(org, name_nb="Utkast", status="draft")
    elsewhere = make_service(OrganisationFactory(home_area=area("NO", "0301"), name="Oslo lag"), name_nb="Oslo")
    Service.objects.filter(pk__in=[stale.pk, elsewhere.pk]).update(last_verified="2020-01-01")
    staff_login(client, coordinator_for("32"))
    response = client.get(reverse("catalogue:freshness"))
    data = response.context["data"]
    assert (data["total"], data["stale_count"]) == (2, 1)
    body = response.content.decode()
    assert "Gammel" in body and "Fersk" not in body and "Oslo" not in body.split("<main")[-1].split("</main>")[0]
    csv = client.get(reverse("catalogue:freshness_csv")).content.decode()
    assert "Gammel" in csv and "Fersk" not in csv


def test_organisation_page_lists_its_published_services_only(client, org):
    make_service(org, name_nb="Leksehjelp")
    make_service(org, name_nb="Hemmelig utkast", status="draft")
    make_service(name_nb="Andres tjeneste")
    body = client.get(reverse("registry:public_detail", args=[org.pk])).content.decode()
    assert "Leksehjelp" in body
    assert "Hemmelig utkast" not in body and "Andres tjeneste" not in body


def _ids(value, path=""):
    """Every object id in an HSDS document, by where it sits."""
    found = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                found[path] = item
            else:
                found.update(_ids(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.update(_ids(item, f"{path}[{i}]"))
    return found


def test_hsds_ids_stay_the_same_after_an_edit_between_two_reads(client, org):
    place = _place(org, "Huset")
    service = make_service(
        org,
        name_nb="Kaffetreff",
        phone="+47 22 22 22 22",
        categories=["loneliness"],
        languages=["nb"],
        locations=[str(place.pk)],
        schedules=[
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "dtstart": "2025-01-07", "opens_at": "18:00", "closes_at": "20:00"}
        ],
    )
    url = f"/api/hsds/services/{service.pk}"
    before = client.get(url).json()
    services.service_update(
        actor=platform_admin(),
        service=service,
        data={"name_nb": "Kveldskaffe", "phone": "+47 23 23 23 23", "languages": ["nb", "en"]},
    )
    after = client.get(url).json()
    assert after["name"] == "Kveldskaffe"
    old, new = _ids(before), _ids(after)
    assert len(old) >= 5  # service, phone, schedule, location, taxonomy term at least
    assert set(old.values()) <= set(new.values())  # lists may reorder: compare the ids, not where they sit
    assert len(new) == len(old) + 1  # the one new language is the only new id


def test_reminders_command_emails_the_organisation_once(org):
    stale = make_service(org, name_nb="Gammel")
    make_service(org, name_nb="Fersk")
    Service.objects.filter(pk=stale.pk).update(last_verified="2020-01-01")
    admin = org_member(org, "admin")
    mail.outbox.clear()
    call_command("catalogue_reminders")
    call_command("catalogue_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [admin.email] or admin.email in message.to + message.bcc
    assert "Gammel" in message.body and "Fersk" not in message.body
