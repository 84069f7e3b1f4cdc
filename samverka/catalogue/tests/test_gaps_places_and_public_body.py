"""Places are edited and removed from the pages; the public body's own services and places have pages."""

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import grant_area_role, make_user, plain_login, staff_login
from samverka.audit.models import AuditEvent
from samverka.catalogue import services
from samverka.catalogue.models import Location, Service
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import coordinator_for, make_service, org_member, platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(home_area=area("NO", "3201"), name="Lag P")


def _place(org, name="Huset"):
    return services.location_create(actor=platform_admin(), organisation=org, data={"name": name, "city": "Sandvika"})


def _form(**overrides):
    data = {"name": "Nytt hus", "street_address": "Gata 1", "postal_code": "1337", "city": "Sandvika"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["org_admin", "staff"])
def test_place_is_edited_from_the_page_and_the_change_is_audited(client, org, who):
    place = _place(org)
    if who == "org_admin":
        plain_login(client, org_member(org))
    else:
        staff_login(client, coordinator_for("32"))
    listing = client.get(reverse("catalogue:org_services", args=[org.pk])).content.decode()
    assert reverse("catalogue:location_edit", args=[place.pk]) in listing
    page = client.get(reverse("catalogue:location_edit", args=[place.pk]))
    assert page.status_code == 200 and 'value="Huset"' in page.content.decode()
    response = client.post(reverse("catalogue:location_edit", args=[place.pk]), _form())
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.street_address, place.city) == ("Nytt hus", "Gata 1", "Sandvika")
    event = AuditEvent.objects.get(action="catalogue.location.updated", object_id=str(place.pk))
    assert event.changes["name"] == {"before": "Huset", "after": "Nytt hus"}


def test_another_organisations_user_gets_404_on_edit_and_remove(client, org):
    place = _place(org)
    plain_login(client, org_member(OrganisationFactory(home_area=area("NO", "3201"), name="Andre")))
    assert client.get(reverse("catalogue:location_edit", args=[place.pk])).status_code == 404
    assert client.post(reverse("catalogue:location_edit", args=[place.pk]), _form()).status_code == 404
    assert client.post(reverse("catalogue:location_delete", args=[place.pk])).status_code == 404
    place.refresh_from_db()
    assert place.name == "Huset"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_form(name=""), "name"),
        (_form(latitude="north"), "latitude"),
        (_form(latitude="59.9"), "longitude"),
        (_form(municipality="00000000-0000-0000-0000-000000000000"), "municipality"),
    ],
)
def test_bad_place_input_is_422_with_the_field_error_and_nothing_saved(client, org, data, field):
    place = _place(org)
    plain_login(client, org_member(org))
    response = client.post(reverse("catalogue:location_edit", args=[place.pk]), data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    place.refresh_from_db()
    assert place.name == "Huset" and not place.street_address


def test_unused_place_is_removed_after_confirmation_and_audited(client, org):
    place = _place(org)
    plain_login(client, org_member(org))
    confirm = client.get(reverse("catalogue:location_delete", args=[place.pk]))
    assert confirm.status_code == 200 and "Huset" in confirm.content.decode()
    assert Location.objects.filter(pk=place.pk).exists()
    response = client.post(reverse("catalogue:location_delete", args=[place.pk]))
    assert response.status_code == 302
    assert not Location.objects.filter(pk=place.pk).exists()
    assert AuditEvent.objects.filter(action="catalogue.location.deleted", object_id=str(place.pk)).exists()


def test_a_place_a_service_uses_is_not_removed_and_the_service_is_named(client, org):
    place = _place(org)
    make_service(org, name_nb="Kaffetreff", locations=[str(place.pk)])
    plain_login(client, org_member(org))
    confirm = client.get(reverse("catalogue:location_delete", args=[place.pk])).content.decode()
    assert "Kaffetreff" in confirm and "Remove the place</button>" not in confirm
    response = client.post(reverse("catalogue:location_delete", args=[place.pk]))
    assert response.status_code == 409
    assert "Kaffetreff" in response.content.decode()
    assert Location.objects.filter(pk=place.pk).exists()


def test_a_place_only_a_waiting_proposal_uses_is_not_removed(org):
    place = _place(org)
    service = make_service(org, name_nb="Leksehjelp")
    member = org_member(org, "member")
    _service, proposal = services.service_update(actor=member, service=service, data={"locations": [str(place.pk)]})
    assert proposal is not None
    assert services.location_uses(place) == ["Leksehjelp"]


@pytest.mark.parametrize("role", ["coordinator", "officer"])
def test_staff_of_the_area_create_a_public_body_service_and_place_from_the_area_page(client, role):
    municipality = area("NO", "3201")
    user = make_user()
    grant_area_role(user, area("NO", "32", kind="county"), role)
    staff_login(client, user)
    area_page = client.get(reverse("areas:detail", args=[municipality.pk])).content.decode()
    assert reverse("catalogue:area_services", args=[municipality.pk]) in area_page

    response = client.post(
        reverse("catalogue:area_location_create", args=[municipality.pk]), {"name": "Rådhuset", "city": "Sandvika"}
    )
    assert response.status_code == 302
    place = Location.objects.get(name="Rådhuset")
    assert place.area == municipality and place.organisation is None

    form = client.get(reverse("catalogue:area_service_create", args=[municipality.pk])).content.decode()
    assert str(place.pk) in form  # the area's own places are offered
    response = client.post(
        reverse("catalogue:area_service_create", args=[municipality.pk]),
        {
            "name_nb": "Helsestasjon for ungdom",
            "kind": "advice",
            "status": "active",
            "fee": "free",
            "access_mode": "drop_in",
            "locations": [str(place.pk)],
            "schedules-TOTAL_FORMS": "1",
            "schedules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    service = Service.objects.get(name_nb="Helsestasjon for ungdom")
    assert service.area == municipality and service.organisation is None
    assert service.status == "active"
    assert list(service.locations.all()) == [place]
    listing = client.get(reverse("catalogue:area_services", args=[municipality.pk])).content.decode()
    assert "Helsestasjon for ungdom" in listing and reverse("catalogue:location_edit", args=[place.pk]) in listing


def test_public_body_pages_are_404_outside_ones_areas(client):
    municipality = area("NO", "3201")
    staff_login(client, coordinator_for("03"))  # Oslo's coordinator
    for name in ("area_services", "area_service_create", "area_location_create"):
        assert client.get(reverse(f"catalogue:{name}", args=[municipality.pk])).status_code == 404
    plain_login(client, make_user())
    assert client.get(reverse("catalogue:area_services", args=[municipality.pk])).status_code == 404


def test_bad_public_body_service_is_422_and_nothing_is_created(client):
    municipality = area("NO", "3201")
    staff_login(client, coordinator_for("32"))
    response = client.post(
        reverse("catalogue:area_service_create", args=[municipality.pk]),
        {
            "kind": "advice",
            "status": "active",
            "fee": "free",
            "access_mode": "drop_in",
            "schedules-TOTAL_FORMS": "1",
            "schedules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors
    assert not Service.objects.filter(area=municipality).exists()


def test_public_body_place_is_edited_by_area_staff_and_the_page_returns_to_the_area(client):
    municipality = area("NO", "3201")
    place = services.location_create(actor=platform_admin(), area=municipality, data={"name": "Biblioteket"})
    staff_login(client, coordinator_for("32"))
    response = client.post(reverse("catalogue:location_edit", args=[place.pk]), _form(name="Hovedbiblioteket"))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:area_services", args=[municipality.pk])
    place.refresh_from_db()
    assert place.name == "Hovedbiblioteket"
