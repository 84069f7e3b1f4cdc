"""The facet index gives exactly the lists of the general path, and follows every write."""

import random
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from samverka.registry import selectors, services
from samverka.registry.facets import facets_rebuild, facets_rebuild_all
from samverka.registry.models import Category, Organisation, OrganisationFacet
from samverka.registry.selectors import OrganisationFilters

from .factories import OrganisationFactory, UserFactory, area, grant_area_role

pytestmark = pytest.mark.django_db

AREAS = [("NO", "3201"), ("NO", "3203"), ("NO", "0301"), ("NO", "3301"), ("SE", "1780"), ("FI", "091")]


def _page_ids(qs, filters, number, size):
    page = selectors.organisation_page(qs, filters, number, size)
    return page.count, page.number, [o.pk for o in page.items]


def _statement_ids(facet_range):
    """The organisation ids the facet range's hand-written statement reads, in its order, as hex."""
    found = facet_range.ids_sql()
    if found is None:
        return []
    select, source, params, order = found
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} {source} {order}", params)
        return [uuid.UUID(str(row[0])).hex for row in cursor.fetchall()]


def _general(actor, filters):
    """The list through the general (pre-facet) path."""
    scope = None if actor is None else selectors._scope_paths(actor)
    base = Organisation.objects.all() if actor is not None else Organisation.objects.exclude(status="dissolved")
    return selectors._list_related(selectors._filtered(base, filters, scope))


def _random_registry(rng):
    areas = [area(c, code) for c, code in AREAS]
    categories = list(Category.objects.all())
    for _ in range(60):
        served = rng.sample(areas, k=rng.randint(0, 2))
        OrganisationFactory(
            name=f"Lag {rng.randint(0, 15):02d}",  # repeated names: ties broken by id on both paths
            areas=served,
            home_area=rng.choice([None, *areas]),
            categories=rng.sample(categories, k=rng.randint(0, 2)),
            status=rng.choice(["active", "inactive", "dissolved"]),
            legal_form=rng.choice(["association", "foundation"]),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facet_path_equals_general_path_on_random_data(seed):
    rng = random.Random(seed)
    _random_registry(rng)
    admin = UserFactory(is_superuser=True)
    county_coordinator = UserFactory()
    grant_area_role(county_coordinator, area("NO", "32"))
    two_municipalities = UserFactory()
    grant_area_role(two_municipalities, area("NO", "3201"))
    grant_area_role(two_municipalities, area("SE", "1780"))
    nobody = UserFactory()
    filter_areas = [area("NO", "32"), area("NO", "3201"), area("NO", "03"), area("SE", "17"), area("FI", "091")]
    codes = ["", "no-such-category", *Category.objects.values_list("code", flat=True)[:3]]
    checked = 0
    for actor in (admin, county_coordinator, two_municipalities, nobody):
        for filter_area in filter_areas:
            for _ in range(4):
                filters = OrganisationFilters.from_mapping(
                    {
                        "area": str(filter_area.pk),
                        "category": rng.choice(codes),
                        "status": rng.choice(["", "active", "dissolved"]),
                        "legal_form": rng.choice(["", "foundation"]),
                        "sort": rng.choice(["name", "-name"]),
                    }
                )
                faceted = selectors.organisation_list(actor=actor, filters=filters)
                facet_range = faceted.facet_range
                # The page's statement and the queryset (exports, counts) read the same range.
                by_queryset = [o.hex for o in facet_range.rows().values_list("organisation_id", flat=True)]
                assert _statement_ids(facet_range) == by_queryset
                for number in (1, 2, 99):
                    general = _general(actor, filters)
                    expected = _page_ids(general, filters, number, 7)
                    assert _page_ids(faceted, filters, number, 7) == expected
                    page = selectors.organisation_list_page(actor=actor, filters=filters, page=number, page_size=7)
                    assert (page.count, page.number, [o.pk for o in page.items]) == expected
                    assert [o.pk for o in faceted] == [o.pk for o in general]
                checked += 1
    public = OrganisationFilters.from_mapping({"area": str(area("NO", "32").pk), "category": codes[1]})
    faceted = selectors.public_organisation_list(filters=public)
    assert faceted.facet_range is not None
    expected = _page_ids(_general(None, public), public, 1, 50)
    assert _page_ids(faceted, public, 1, 50) == expected
    page = selectors.public_organisation_list_page(filters=public, page=1, page_size=50)
    assert (page.count, page.number, [o.pk for o in page.items]) == expected
    assert checked == 80


def test_country_search_and_other_sorts_keep_the_general_path():
    admin = UserFactory(is_superuser=True)
    for mapping in (
        {"area": str(area("NO", "NO", kind="country").pk)},
        {"area": str(area("NO", "32").pk), "q": "lag"},
        {"area": str(area("NO", "32").pk), "sort": "number"},
        {"category": "health"},
    ):
        filters = OrganisationFilters.from_mapping(mapping)
        assert getattr(selectors.organisation_list(actor=admin, filters=filters), "facet_range", None) is None


def test_facets_cover_ancestors_and_categories_but_not_the_country():
    health = Category.objects.get(code="health")
    org = OrganisationFactory(areas=[area("NO", "3201")], home_area=area("NO", "3203"), categories=[health])
    rows = set(OrganisationFacet.objects.filter(organisation=org).values_list("area__code", "category__code"))
    assert rows == {(a, c) for a in ("3201", "3203", "32") for c in (None, "health")}


def test_services_keep_facets_current():
    admin = UserFactory(is_superuser=True)
    org = services.organisation_create(
        actor=admin,
        data={"name": "Nytt lag", "country": "NO", "org_number": "974760673", "areas": [area("NO", "3201").pk]},
    )
    assert set(OrganisationFacet.objects.filter(organisation=org).values_list("name", flat=True)) == {"Nytt lag"}
    services.organisation_update(
        actor=admin, organisation=org, data={"name": "Omdøpt", "status": "inactive", "areas": [area("NO", "0301").pk]}
    )
    rows = set(OrganisationFacet.objects.filter(organisation=org).values_list("area__code", "name", "status"))
    assert rows == {("0301", "Omdøpt", "inactive"), ("03", "Omdøpt", "inactive")}


def test_rebuild_all_and_the_command_restore_lost_facets():
    orgs = [OrganisationFactory(areas=[area("NO", "3201")]) for _ in range(5)]
    OrganisationFacet.objects.all().delete()
    assert facets_rebuild_all(batch=2) == 5
    assert OrganisationFacet.objects.count() == 10
    OrganisationFacet.objects.all().delete()
    call_command("registry-refacet", "--batch", "3", verbosity=0)
    assert OrganisationFacet.objects.count() == 10
    facets_rebuild([orgs[0].pk])
    assert OrganisationFacet.objects.count() == 10


def test_staff_filter_offers_county_level_areas_and_the_selected_municipality(client):
    from django.urls import reverse

    from samverka.accounts.tests.factories import staff_login

    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "NO", kind="country"))
    staff_login(client, coordinator)
    page = client.get(reverse("registry:list")).content.decode()
    assert '<label for="id_area">' in page
    assert f'value="{area("NO", "32").pk}"' in page
    assert f'value="{area("NO", "3201").pk}"' not in page
    baerum = area("NO", "3201")
    page = client.get(reverse("registry:list"), {"area": str(baerum.pk)}).content.decode()
    assert f'value="{baerum.pk}" selected' in page
    area_select = page.split('id="id_area"', 1)[1].split("</select>", 1)[0]
    assert area_select.count("<option") == 1 + 1 + 15 + 1  # all areas, Norway, its counties, Bærum


def test_the_filter_selects_follow_the_language_a_renamed_category_and_each_users_areas(client):
    """The options are kept per language and area list (registry/forms.py); what is kept must never be stale or
    another user's."""
    from django.urls import reverse

    from samverka.accounts.tests.factories import staff_login

    def select(page: str, name: str) -> str:
        return page.split(f'id="id_{name}"', 1)[1].split("</select>", 1)[0]

    national, county_only = UserFactory(), UserFactory()
    grant_area_role(national, area("NO", "NO", kind="country"))
    grant_area_role(county_only, area("NO", "32"))
    staff_login(client, national)
    url = reverse("registry:list")
    nb = client.get(url, {"category": "health"}, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    en = client.get(url, {"category": "health"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="health" selected>' in select(nb, "category")
    assert ">Alle områder</option>" in select(nb, "area") and ">All areas</option>" in select(en, "area")
    assert select(nb, "category") != select(en, "category")

    health = Category.objects.get(code="health")
    health.name_en = "Health and care (renamed)"
    health.save()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Health and care (renamed)</option>" in select(en, "category")
    assert '<option value="" selected>' in select(en, "category")

    national_areas = select(en, "area")
    client.logout()
    staff_login(client, county_only)
    own_areas = select(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), "area")
    assert f'value="{area("NO", "32").pk}"' in own_areas
    assert f'value="{area("NO", "03").pk}"' in national_areas and f'value="{area("NO", "03").pk}"' not in own_areas
