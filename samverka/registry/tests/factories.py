"""Factories and login helpers for registry tests (other apps' tests may use them too)."""

import itertools

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import AreaRole, OrganisationRole, User
from samverka.areas.models import Area
from samverka.registry.facets import facets_rebuild
from samverka.registry.models import Organisation, OrganisationYear
from samverka.registry.orgnumbers import with_check_digit

_numbers = itertools.count(1)


def area(country: str = "NO", code: str = "3201", kind: str | None = None) -> Area:
    """An official area loaded by the areas data migration (e.g. NO 3201 Bærum, NO 32 Akershus)."""
    qs = Area.objects.filter(country=country, code=code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.get()


_issued: set[str] = set()


def valid_number(country: str = "NO") -> str:
    """A valid organisation number not handed out before in this test run."""
    while True:
        n = next(_numbers)
        base = {"NO": f"9{n:07d}", "SE": f"82{n:07d}", "FI": f"3{n:06d}"}[country]
        number = with_check_digit(country, base)
        if number not in _issued:
            _issued.add(number)
            return number


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    country = "NO"
    org_number = factory.LazyAttribute(lambda o: valid_number(o.country))
    name = factory.Sequence(lambda n: f"Frivillig lag {n:04d}")
    legal_form = "association"
    status = "active"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def facets(self, create, extracted, **kwargs):
        # After the areas and categories (declaration order), as the services do.
        if create:
            facets_rebuild([self.pk])


class OrganisationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationYear

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    members = 100
    volunteers = 20
    volunteer_hours = 1695


def grant_area_role(user, area_obj, role="coordinator", capabilities=()):
    return AreaRole.objects.create(user=user, area=area_obj, role=role, capabilities=list(capabilities))


def grant_org_role(user, org, role="admin"):
    return OrganisationRole.objects.create(user=user, organisation=org, role=role)


def staff_login(client, user):
    """Log `user` in with a verified TOTP device in the session, as the MFA middleware requires for staff."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device
