import pytest
from django.test import Client

from samverka.accounts.access import access_for
from samverka.accounts.models import AreaRole, OrganisationRole
from samverka.audit.models import AuditEvent

from .factories import (
    grant_area_role,
    grant_organisation_role,
    make_area,
    make_organisation,
    make_user,
    plain_login,
    staff_login,
)

pytestmark = pytest.mark.django_db


def test_roles_page_lists_people_in_the_coordinators_areas_only(client, coordinator, town):
    officer = make_user("officer@example.org")
    grant_area_role(officer, town, "officer", ["grants"])
    outsider = make_user("outsider@example.org")
    grant_area_role(outsider, make_area("Annenby"), "viewer")
    staff_login(client, coordinator)
    html = client.get("/accounts/roles/").content.decode()
    assert "officer@example.org" in html and "coord@example.org" in html
    assert "outsider@example.org" not in html


def test_roles_page_lists_organisation_roles_in_the_coordinators_areas(client, coordinator, town):
    member = make_user("member@example.org")
    grant_organisation_role(member, make_organisation("Lag", areas=[town]), "member")
    stranger = make_user("stranger@example.org")
    grant_organisation_role(stranger, make_organisation("Fjernt", areas=[make_area("Annenby")]), "member")
    staff_login(client, coordinator)
    html = client.get("/accounts/roles/?kind=organisation").content.decode()
    assert "member@example.org" in html and "stranger@example.org" not in html


def test_revoke_asks_first_and_the_role_is_gone_on_the_next_request(coordinator, county, town):
    colleague = make_user("colleague@example.org")
    grant = grant_area_role(colleague, town, "coordinator")
    colleague_client = Client()
    staff_login(colleague_client, colleague)
    assert colleague_client.get("/accounts/roles/").status_code == 200

    client = Client()
    staff_login(client, coordinator)
    url = f"/accounts/roles/area/{grant.pk}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "colleague@example.org" in confirm.content.decode()
    assert AreaRole.objects.filter(pk=grant.pk).exists()
    assert client.post(url).status_code == 302
    assert not AreaRole.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="area_role.revoke", actor=coordinator).exists()

    assert colleague_client.get("/accounts/roles/").status_code == 403
    assert not access_for(type(colleague).objects.get(pk=colleague.pk)).has_area_role(town)


def test_revoking_a_role_in_another_area_is_404_and_audited(client, coordinator):
    other = grant_area_role(make_user(), make_area("Annenby"), "viewer")
    staff_login(client, coordinator)
    assert client.post(f"/accounts/roles/area/{other.pk}/revoke/").status_code == 404
    assert AreaRole.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(other.pk), actor=coordinator).exists()


def test_organisation_admin_revokes_a_member_of_their_organisation(client):
    org = make_organisation("Lag")
    admin = make_user()
    grant_organisation_role(admin, org, "admin")
    member = make_user()
    grant = grant_organisation_role(member, org, "member")
    plain_login(client, admin)
    assert client.post(f"/accounts/roles/organisation/{grant.pk}/revoke/").status_code == 302
    assert not OrganisationRole.objects.filter(pk=grant.pk).exists()


def test_people_without_a_managing_role_get_403(client):
    viewer = make_user()
    grant_area_role(viewer, make_area(), "viewer")
    plain_login(client, viewer)
    for url in ("/accounts/roles/", "/accounts/invite/", "/accounts/invitations/"):
        assert client.get(url).status_code == 403


def test_unknown_kind_is_404(client, coordinator):
    staff_login(client, coordinator)
    grant = AreaRole.objects.get(user=coordinator)
    assert client.get(f"/accounts/roles/other/{grant.pk}/revoke/").status_code == 404


def test_roles_page_query_count_does_not_grow_with_rows(client, coordinator, town, django_assert_max_num_queries):
    for i in range(30):
        grant_area_role(make_user(f"p{i}@example.org"), town, "viewer")
    staff_login(client, coordinator)
    with django_assert_max_num_queries(15):
        assert client.get("/accounts/roles/").status_code == 200


def test_home_lists_roles_with_links(client, coordinator, county):
    org = make_organisation("Lag")
    grant_organisation_role(coordinator, org, "admin")
    staff_login(client, coordinator)
    html = client.get("/accounts/").content.decode()
    assert f'href="/areas/{county.pk}/"' in html
    assert f'href="/organisations/{org.pk}/"' in html
    assert "/accounts/tokens/" in html and "/accounts/logout-everywhere/" in html
