import pytest

from samverka.audit.models import AuditEvent
from samverka.core.errors import NotFound, ValidationError
from samverka.registry import services
from samverka.registry.models import Organisation, OrganisationYear
from samverka.registry.services import Forbidden

from .factories import OrganisationFactory, UserFactory, area, grant_area_role, grant_org_role, valid_number

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {
        "country": "NO",
        "org_number": valid_number("NO"),
        "name": "Bærum Røde Kors",
        "legal_form": "association",
        "areas": [area("NO", "3201").pk],
        "categories": ["health"],
        **extra,
    }


def test_create_normalises_the_number_and_audits_with_m2m_after_values():
    org = services.organisation_create(actor=None, data=_data(org_number="998 877 660"))
    assert org.org_number == "998877660"
    event = AuditEvent.objects.get(action="organisation.create", object_id=str(org.pk))
    assert event.actor_label == "system"
    assert event.changes["org_number"] == {"before": None, "after": "998877660"}
    assert event.changes["categories"]["after"] == ["health"]
    assert event.changes["areas"]["after"] == [str(area("NO", "3201").pk)]


def test_bad_checksum_is_a_field_error_and_writes_nothing():
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=None, data=_data(org_number="998877661"))
    assert exc.value.status_code == 422
    assert "org_number" in exc.value.errors
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_duplicate_number_in_the_same_country_is_a_field_error():
    services.organisation_create(actor=None, data=_data(org_number="998877660"))
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=None, data=_data(org_number="998877660", name="Another"))
    assert exc.value.status_code == 422
    assert "org_number" in exc.value.errors
    assert Organisation.objects.count() == 1


def test_duplicate_under_a_race_is_caught_from_the_database_constraint(monkeypatch):
    services.organisation_create(actor=None, data=_data(org_number="998877660"))
    # Another request inserted the same number after this one checked: only the unique constraint notices.
    monkeypatch.setattr(services, "_number_taken", lambda *a, **k: False)
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=None, data=_data(org_number="998877660", name="Another"))
    assert "org_number" in exc.value.errors
    assert Organisation.objects.count() == 1


def test_unknown_category_and_bad_website_are_field_errors():
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=None, data=_data(categories=["nope"], website="not a url"))
    assert set(exc.value.errors) >= {"categories"}


def test_update_audits_before_and_after_including_m2m_changes():
    org = services.organisation_create(actor=None, data=_data())
    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "32"))
    services.organisation_update(
        actor=coordinator, organisation=org, data={"name": "Bærum RK", "categories": ["health", "elderly"]}
    )
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.actor_id == coordinator.pk
    assert event.changes["name"] == {"before": "Bærum Røde Kors", "after": "Bærum RK"}
    assert event.changes["categories"] == {"before": ["health"], "after": ["elderly", "health"]}


def test_update_without_changes_writes_no_audit_event():
    org = services.organisation_create(actor=None, data=_data())
    services.organisation_update(actor=None, organisation=org, data={"name": org.name})
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_organisation_admin_edits_own_organisation_but_not_another():
    own = OrganisationFactory(areas=[area("NO", "3201")])
    other = OrganisationFactory(areas=[area("NO", "3201")])
    admin = UserFactory()
    grant_org_role(admin, own)
    services.organisation_update(actor=admin, organisation=own, data={"expertise": "Besøkstjeneste"})
    own.refresh_from_db()
    assert own.expertise == "Besøkstjeneste"
    with pytest.raises(NotFound):
        services.organisation_update(actor=admin, organisation=other, data={"expertise": "x"})


def test_organisation_admin_may_not_change_the_number():
    own = OrganisationFactory()
    admin = UserFactory()
    grant_org_role(admin, own)
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(actor=admin, organisation=own, data={"org_number": valid_number("NO")})
    assert "org_number" in exc.value.errors


def test_officer_may_create_only_within_own_areas_and_viewer_not_at_all():
    officer = UserFactory()
    grant_area_role(officer, area("NO", "3201"), role="officer")
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=officer, data=_data(areas=[area("NO", "3203").pk]))
    assert "areas" in exc.value.errors
    services.organisation_create(actor=officer, data=_data())
    viewer = UserFactory()
    grant_area_role(viewer, area("NO", "32"), role="viewer")
    with pytest.raises(Forbidden):
        services.organisation_create(actor=viewer, data=_data())


def test_year_upsert_creates_then_updates_and_audits_only_changes():
    org = OrganisationFactory()
    row, changed = services.organisation_year_upsert(
        actor=None, organisation=org, year=2024, values={"members": 10, "volunteer_hours": 3390}
    )
    assert changed and row.person_years == 2
    _row, changed = services.organisation_year_upsert(
        actor=None, organisation=org, year=2024, values={"members": 10, "volunteer_hours": 3390}
    )
    assert not changed
    services.organisation_year_upsert(
        actor=None, organisation=org, year=2024, values={"members": 12, "volunteer_hours": 3390}
    )
    actions = list(AuditEvent.objects.filter(organisation_id=org.pk).values_list("action", flat=True))
    assert sorted(actions) == ["organisation_year.create", "organisation_year.update"]


@pytest.mark.parametrize("values", [{"members": -1}, {"volunteers": "many"}, {"unknown": 1}])
def test_year_upsert_rejects_bad_figures(values):
    org = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_year_upsert(actor=None, organisation=org, year=2024, values=values)
    assert not OrganisationYear.objects.exists()


def test_year_upsert_rejects_a_year_out_of_range():
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        services.organisation_year_upsert(actor=None, organisation=org, year=1800, values={})
    assert "year" in exc.value.errors


def test_year_delete_is_audited():
    org = OrganisationFactory()
    services.organisation_year_upsert(actor=None, organisation=org, year=2024, values={"members": 3})
    services.organisation_year_delete(actor=None, organisation=org, year=2024)
    assert not OrganisationYear.objects.exists()
    event = AuditEvent.objects.get(action="organisation_year.delete")
    assert event.changes["members"] == {"before": 3, "after": None}


def test_only_a_coordinator_covering_it_makes_an_organisation_a_trusted_publisher():
    org = OrganisationFactory(areas=[area("NO", "3201")])
    officer, other_coordinator, coordinator = UserFactory(), UserFactory(), UserFactory()
    grant_area_role(officer, area("NO", "3201"), role="officer")
    grant_area_role(other_coordinator, area("NO", "3203"), role="coordinator")
    grant_area_role(coordinator, area("NO", "32"), role="coordinator")
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(actor=officer, organisation=org, data={"trusted_publisher": True})
    assert "trusted_publisher" in exc.value.errors
    with pytest.raises(NotFound):
        services.organisation_update(actor=other_coordinator, organisation=org, data={"trusted_publisher": True})
    org.refresh_from_db()
    assert not org.trusted_publisher
    services.organisation_update(actor=coordinator, organisation=org, data={"trusted_publisher": True})
    org.refresh_from_db()
    assert org.trusted_publisher
    event = AuditEvent.objects.filter(action="organisation.update", object_id=str(org.pk)).latest("created_at")
    assert "trusted_publisher" in event.changes
    # The officer may still edit the rest; sending the unchanged flag is not a change.
    services.organisation_update(actor=officer, organisation=org, data={"trusted_publisher": True, "city": "Asker"})
