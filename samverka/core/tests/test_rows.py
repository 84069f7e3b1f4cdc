"""Reads by primary key without a queryset (samverka.core.rows) give what the ORM gives."""

import pytest
from django.db import connection

from samverka.core.rows import count_and_slice, fetch_by_ids, fetch_links, fetch_one
from samverka.registry.models import Category, Organisation, OrganisationFacet
from samverka.registry.tests.factories import OrganisationFactory, area

pytestmark = pytest.mark.django_db

FIELDS = ("name", "org_number", "home_area", "updated_at")


def test_fetch_by_ids_loads_the_same_values_as_the_orm_with_only():
    orgs = [OrganisationFactory(home_area=area("NO", "3201")), OrganisationFactory(home_area=None)]
    fetched = {o.pk: o for o in fetch_by_ids(Organisation, FIELDS, [o.pk for o in orgs])}
    expected = {o.pk: o for o in Organisation.objects.filter(pk__in=[o.pk for o in orgs]).only(*FIELDS)}
    assert fetched.keys() == expected.keys()
    for pk, org in fetched.items():
        assert (org.name, org.org_number, org.home_area_id, org.updated_at) == (
            expected[pk].name,
            expected[pk].org_number,
            expected[pk].home_area_id,
            expected[pk].updated_at,
        )
        assert org.updated_at.tzinfo is not None
        assert org.get_deferred_fields() == expected[pk].get_deferred_fields()


def test_fetch_by_ids_loads_a_deferred_field_on_access_and_ignores_unknown_ids():
    org = OrganisationFactory(legal_form="foundation")
    import uuid

    [fetched] = fetch_by_ids(Organisation, FIELDS, [org.pk, uuid.uuid4()])
    assert "legal_form" in fetched.get_deferred_fields()
    assert fetched.legal_form == "foundation"
    assert fetch_by_ids(Organisation, FIELDS, []) == []


def test_fetch_by_ids_objects_behave_as_loaded_ones_saving_and_comparing_like_the_orms():
    org = OrganisationFactory(name="Before")
    [fetched] = fetch_by_ids(Organisation, FIELDS, [org.pk])
    assert fetched == org and not fetched._state.adding and fetched._state.db == "default"
    fetched.name = "After"
    fetched.save(update_fields=["name"])
    org.refresh_from_db()
    assert org.name == "After"


def test_fetch_by_ids_makes_objects_through_init_when_a_model_has_init_listeners():
    from django.db.models.signals import post_init

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    org = OrganisationFactory()
    post_init.connect(listener, sender=Organisation)
    try:
        [fetched] = fetch_by_ids(Organisation, FIELDS, [org.pk])
    finally:
        post_init.disconnect(listener, sender=Organisation)
    assert seen == [org.pk] and fetched.name == org.name


def test_fetch_links_gives_each_organisations_category_ids():
    health, culture = Category.objects.get(code="health"), Category.objects.get(code="culture")
    one = OrganisationFactory(categories=[health, culture])
    two = OrganisationFactory(categories=[health])
    OrganisationFactory(categories=[culture])  # not asked for
    pairs = fetch_links(Organisation.categories.through, "organisation", "category", [one.pk, two.pk])
    assert sorted((str(o), c) for o, c in pairs) == sorted(
        [(str(one.pk), health.pk), (str(one.pk), culture.pk), (str(two.pk), health.pk)]
    )


def test_count_and_slice_counts_every_row_and_reads_one_slice_in_order():
    bærum = area("NO", "3201")
    names = [f"Lag {n:02d}" for n in range(7)]
    orgs = {name: OrganisationFactory(name=name, areas=[bærum]) for name in names}
    OrganisationFactory(name="Lag elsewhere", areas=[area("NO", "3203")])
    quote = connection.ops.quote_name
    table = quote(OrganisationFacet._meta.db_table)
    select = f"{table}.{quote('organisation_id')}"
    area_value = OrganisationFacet._meta.get_field("area").get_db_prep_value(bærum.pk, connection)
    source = (f"FROM {table} WHERE {quote('area_id')} = %s AND {quote('category_id')} IS NULL", [area_value])
    column = OrganisationFacet._meta.get_field("organisation")
    name = quote("name")
    total, ids = count_and_slice(select, source, f"ORDER BY {name}", column, 2, 3)
    assert (total, ids) == (7, [orgs[n].pk for n in names[2:5]])
    total, ids = count_and_slice(select, source, f"ORDER BY {name} DESC", column, 0, 2)
    assert (total, ids) == (7, [orgs[n].pk for n in reversed(names[-2:])])
    assert count_and_slice(select, source, f"ORDER BY {name}", column, 7, 3) == (7, [])
    assert count_and_slice(select, source, f"ORDER BY {name}", column, 6, 3) == (7, [orgs[names[6]].pk])


def test_fetch_one_gives_the_row_the_orm_gives_with_every_field_or_only_some():
    org = OrganisationFactory(home_area=area("NO", "3201"), legal_form="foundation")
    fetched = fetch_one(Organisation, "pk", org.pk)
    expected = Organisation.objects.get(pk=org.pk)
    assert fetched is not None and fetched.get_deferred_fields() == set()
    assert {f.attname: getattr(fetched, f.attname) for f in Organisation._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in Organisation._meta.concrete_fields
    }
    by_number = fetch_one(Organisation, "org_number", org.org_number, ["name"])
    assert by_number is not None and by_number.pk == org.pk and by_number.name == org.name
    assert "legal_form" in by_number.get_deferred_fields() and by_number.legal_form == "foundation"


def test_fetch_one_gives_none_for_no_row_and_refuses_a_value_the_field_cannot_hold():
    import uuid

    from django.core.exceptions import ValidationError

    assert fetch_one(Organisation, "pk", uuid.uuid4()) is None
    with pytest.raises(ValidationError):
        fetch_one(Organisation, "pk", "not-a-uuid")


def test_fetch_by_ids_with_links_gives_each_object_its_linked_ids_in_one_query(django_assert_num_queries):
    health, culture = Category.objects.get(code="health"), Category.objects.get(code="culture")
    one = OrganisationFactory(categories=[health, culture])
    none = OrganisationFactory(categories=[])
    OrganisationFactory(categories=[culture])  # not asked for
    from samverka.core.rows import fetch_by_ids_with_links

    with django_assert_num_queries(1):
        fetched = fetch_by_ids_with_links(
            Organisation, FIELDS, [one.pk, none.pk], Organisation.categories.through, "organisation", "category"
        )
    linked = {obj.pk: sorted(ids) for obj, ids in fetched}
    assert linked == {one.pk: sorted([health.pk, culture.pk]), none.pk: []}
    assert all(obj.name for obj, _ids in fetched)
    assert fetch_by_ids_with_links(Organisation, FIELDS, [], Organisation.categories.through, "x", "y") == []
