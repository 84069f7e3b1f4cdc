"""A new scheme belongs to a service category of the catalogue (required on the page, in the API and in the service);
schemes made before without one keep working."""

import datetime

import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import staff_login
from samverka.core.errors import ValidationError
from samverka.vouchers import services
from samverka.vouchers.models import VoucherScheme

from .factories import World, baerum, officer, older_people

pytestmark = pytest.mark.django_db
FORM = {
    "name": "Ledsager",
    "kind": "unit_voucher",
    "unit": "hour",
    "currency": "NOK",
    "valid_from": "2026-01-01",
    "price_ceiling": "500",
    "budget": "10000",
    "copayment_kind": "none",
    "criteria": "Training",
}


def test_the_scheme_form_without_a_category_is_422_with_a_field_message_and_saves_nothing(client):
    user = officer()
    staff_login(client, user)
    response = client.post(reverse("vouchers:scheme_create"), {**FORM, "area": str(baerum().pk)})
    assert response.status_code == 422
    assert "Choose the service category of the scheme." in response.content.decode()
    assert not VoucherScheme.objects.filter(name="Ledsager").exists()


def test_the_service_refuses_a_scheme_without_a_category():
    user = officer()
    data = {**FORM, "valid_from": datetime.date(2026, 1, 1), "criteria": ["Training"]}
    with pytest.raises(ValidationError) as refused:
        services.scheme_create(actor=user, area=baerum(), data=data)
    assert refused.value.errors["category"] == ["Choose the service category of the scheme."]
    assert not VoucherScheme.objects.filter(name="Ledsager").exists()


def _api(client, **changes):
    body = {**FORM, "criteria": ["Training"], "area_id": str(baerum().pk), "category": "older-people", **changes}
    return client.post("/api/v1/vouchers/schemes", body, content_type="application/json")


def test_the_api_creates_a_scheme_in_a_category_and_refuses_one_without_or_with_an_unknown_one(client):
    user = officer()
    staff_login(client, user)
    # "social-care" is a registry field of work, not a catalogue service category.
    for missing in ({"category": ""}, {"category": "no-such-thing"}, {"category": "social-care"}):
        response = _api(client, **missing)
        assert response.status_code == 422 and "category" in response.json()["errors"], response.json()
    body = {**FORM, "criteria": ["Training"], "area_id": str(baerum().pk)}
    without = client.post("/api/v1/vouchers/schemes", body, content_type="application/json")
    assert without.status_code == 422
    assert not VoucherScheme.objects.filter(name="Ledsager").exists()
    created = _api(client)
    assert created.status_code == 201, created.json()
    assert created.json()["category"] == "older-people"
    scheme = VoucherScheme.objects.get(name="Ledsager")
    assert scheme.category == older_people() and scheme.area == baerum()


def test_the_api_answers_404_for_an_area_the_officer_does_not_run(client):
    from samverka.registry.tests.factories import area

    user = officer()
    staff_login(client, user)
    response = _api(client, area_id=str(area("NO", "0301").pk))
    assert response.status_code == 404
    assert not VoucherScheme.objects.filter(name="Ledsager").exists()


def test_a_scheme_made_before_without_a_category_keeps_working(client):
    world = World()
    VoucherScheme.objects.filter(pk=world.scheme.pk).update(category=None)
    world.claim(units="1")
    staff_login(client, world.officer)
    assert client.get(reverse("vouchers:scheme_detail", args=[world.scheme.pk])).status_code == 200
    assert client.get(reverse("vouchers:compare", args=[world.scheme.pk])).status_code == 200
    schemes = client.get("/api/v1/vouchers/schemes").json()
    assert [s["category"] for s in schemes if s["id"] == str(world.scheme.pk)] == [None]


def test_the_migration_maps_a_registry_category_onto_the_catalogue_term_of_the_same_code_or_name_else_none():
    import importlib

    from samverka.catalogue.models import TaxonomyTerm
    from samverka.registry.models import Category

    mapping = importlib.import_module("samverka.vouchers.migrations.0012_scheme_service_category_data")
    terms = list(TaxonomyTerm.objects.all())
    mapped = {c.code: getattr(mapping._match(c, terms), "code", None) for c in Category.objects.all()}
    assert mapped["mental-health"] == "mental-health" and mapped["housing"] == "housing"
    assert mapped["elderly"] == "older-people"  # by the English name, "Older people"
    assert mapped["social-care"] is None and mapped["sport"] is None
    categories = list(Category.objects.all())
    assert mapping._match(TaxonomyTerm.objects.get(code="older-people"), categories).code == "elderly"
