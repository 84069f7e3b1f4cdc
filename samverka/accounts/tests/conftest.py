"""Fixtures shared by the accounts tests: a county with one municipality and its coordinator."""

import pytest

from .factories import grant_area_role, make_area, make_user


@pytest.fixture
def county():
    return make_area("Testfylke")


@pytest.fixture
def town(county):
    return make_area("Testby", parent=county)


@pytest.fixture
def coordinator(county):
    user = make_user("coord@example.org")
    grant_area_role(user, county, "coordinator")
    return user
