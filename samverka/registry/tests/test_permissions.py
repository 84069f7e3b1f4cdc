import pytest

from samverka.registry import permissions

from .factories import OrganisationFactory, UserFactory, area, grant_area_role, grant_org_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(areas=[area("NO", "3201")])


@pytest.mark.parametrize(
    ("role", "where", "view", "edit", "history"),
    [
        ("coordinator", ("NO", "32"), True, True, True),
        ("officer", ("NO", "3201"), True, True, False),
        ("viewer", ("NO", "32"), True, False, False),
        ("coordinator", ("NO", "3203"), False, False, False),
        ("coordinator", ("SE", "17"), False, False, False),
    ],
)
def test_area_roles(org, role, where, view, edit, history):
    user = UserFactory()
    grant_area_role(user, area(*where), role=role)
    assert permissions.can_view_staff(user, org) is view
    assert permissions.can_edit(user, org) is edit
    assert permissions.can_view_history(user, org) is history


def test_home_area_counts_like_an_area_served():
    org = OrganisationFactory(home_area=area("NO", "3203"))
    user = UserFactory()
    grant_area_role(user, area("NO", "3203"))
    assert permissions.can_edit(user, org)


def test_platform_admin_may_do_everything(org):
    admin = UserFactory(is_superuser=True)
    assert permissions.can_edit(admin, org) and permissions.can_view_history(admin, org)


def test_own_organisation_admin_may_edit_but_not_see_history(org):
    user = UserFactory()
    grant_org_role(user, org, role="admin")
    assert permissions.can_edit(user, org)
    assert not permissions.can_view_history(user, org)
    assert not permissions.can_edit(user, OrganisationFactory())
    assert not permissions.can_use_registry(user)


def test_own_organisation_member_reads_but_may_not_edit(org):
    user = UserFactory()
    grant_org_role(user, org, role="member")
    assert permissions.can_view_staff(user, org)
    assert not permissions.can_edit(user, org)


def test_anonymous_may_do_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_view_staff(AnonymousUser(), org)
    assert not permissions.can_edit(AnonymousUser(), org)
