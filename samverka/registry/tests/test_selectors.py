import pytest
from django.http import Http404

from samverka.audit.models import AuditEvent
from samverka.registry import figures, selectors
from samverka.registry.selectors import OrganisationFilters

from .factories import (
    OrganisationFactory,
    OrganisationYearFactory,
    UserFactory,
    area,
    grant_area_role,
    grant_org_role,
)

pytestmark = pytest.mark.django_db


def _names(qs):
    return sorted(o.name for o in qs)


def test_area_filter_includes_child_areas_and_home_area_without_duplicates():
    baerum, asker = area("NO", "3201"), area("NO", "3203")
    OrganisationFactory(name="Served in two", areas=[baerum, asker])
    OrganisationFactory(name="Home only", home_area=baerum)
    OrganisationFactory(name="Karlstad", country="SE", areas=[area("SE", "1780")])
    admin = UserFactory(is_superuser=True)
    county = OrganisationFilters.from_mapping({"area": str(area("NO", "32").pk)})
    assert _names(selectors.organisation_list(actor=admin, filters=county)) == ["Home only", "Served in two"]
    assert selectors.organisation_list(actor=admin, filters=county).count() == 2


def test_staff_list_shows_only_the_actors_areas():
    OrganisationFactory(name="Bærum", areas=[area("NO", "3201")])
    OrganisationFactory(name="Karlstad", country="SE", areas=[area("SE", "1780")])
    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "32"))
    assert _names(selectors.organisation_list(actor=coordinator, filters=OrganisationFilters())) == ["Bærum"]
    nobody = UserFactory()
    assert not selectors.organisation_list(actor=nobody, filters=OrganisationFilters()).exists()


@pytest.mark.parametrize("query", ["røde", "RØDE KORS", "Red Cross", "998", "998 877 660"])
def test_search_by_any_name_field_or_number(query):
    OrganisationFactory(name="Bærum Røde Kors", name_en="Red Cross Bærum", org_number="998877660")
    OrganisationFactory(name="Blå Kors")
    admin = UserFactory(is_superuser=True)
    found = selectors.organisation_list(actor=admin, filters=OrganisationFilters(q=query))
    assert _names(found) == ["Bærum Røde Kors"]


def test_search_finds_finnish_numbers_written_without_dash():
    OrganisationFactory(name="Tampereen yhdistys", country="FI", org_number="0116297-6")
    admin = UserFactory(is_superuser=True)
    assert selectors.organisation_list(actor=admin, filters=OrganisationFilters(q="01162976")).count() == 1


def test_filters_by_category_target_group_form_and_status_and_sorts():
    from samverka.registry.models import Category, TargetGroup

    a = OrganisationFactory(name="A", categories=[Category.objects.get(code="health")], legal_form="foundation")
    a.target_groups.set([TargetGroup.objects.get(code="youth")])
    OrganisationFactory(name="B", status="dissolved")
    admin = UserFactory(is_superuser=True)

    def run(**kw):
        return [o.name for o in selectors.organisation_list(actor=admin, filters=OrganisationFilters(**kw))]

    assert run(category="health") == ["A"]
    assert run(target_group="youth") == ["A"]
    assert run(legal_form="foundation") == ["A"]
    assert run(status="dissolved") == ["B"]
    assert run(sort="-name") == ["B", "A"]


def test_bad_filter_values_are_ignored_not_errors():
    filters = OrganisationFilters.from_mapping({"area": "nope", "status": "x", "legal_form": "y", "sort": "evil"})
    assert filters == OrganisationFilters()


def test_public_list_hides_dissolved_organisations():
    OrganisationFactory(name="Active")
    OrganisationFactory(name="Resting", status="inactive")
    OrganisationFactory(name="Gone", status="dissolved")
    assert _names(selectors.public_organisation_list(filters=OrganisationFilters())) == ["Active", "Resting"]


def test_cross_area_staff_read_is_404_and_audited():
    org = OrganisationFactory(country="SE", areas=[area("SE", "1780")])
    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "32"))
    with pytest.raises(Http404):
        selectors.organisation_get_for_staff(actor=coordinator, pk=org.pk)
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_id == coordinator.pk and event.object_id == str(org.pk)


def test_own_organisation_people_see_the_staff_side():
    org = OrganisationFactory()
    member = UserFactory()
    grant_org_role(member, org, role="member")
    assert selectors.organisation_get_for_staff(actor=member, pk=org.pk) == org


def test_area_totals_use_each_organisations_latest_year_and_country_hours(settings):
    settings.HOURS_PER_PERSON_YEAR = {"NO": 1695, "SE": 1760, "FI": 1600}
    no_org = OrganisationFactory(areas=[area("NO", "3201")])
    OrganisationYearFactory(organisation=no_org, year=2023, volunteer_hours=999_999, members=1)
    OrganisationYearFactory(organisation=no_org, year=2024, volunteer_hours=3390, members=10)
    other = OrganisationFactory(home_area=area("NO", "3203"))
    OrganisationYearFactory(organisation=other, year=2025, volunteer_hours=1695, members=5)
    OrganisationYearFactory(organisation=OrganisationFactory(areas=[area("SE", "1780")], country="SE"), year=2024)
    totals = figures.area_totals(area("NO", "32"))
    assert totals.organisations == 2
    assert totals.members == 15
    assert totals.volunteer_hours == 5085
    assert str(totals.person_years) == "3.0"


def _staff_names(actor, **filters):
    return _names(selectors.organisation_list(actor=actor, filters=OrganisationFilters.from_mapping(filters)))


def test_area_filter_inside_outside_and_around_the_actors_scope():
    OrganisationFactory(name="Bærum", areas=[area("NO", "3201")])
    OrganisationFactory(name="Asker home", home_area=area("NO", "3203"))
    OrganisationFactory(name="Oslo", areas=[area("NO", "0301")])
    OrganisationFactory(name="Oslo and Bærum", areas=[area("NO", "0301"), area("NO", "3201")])
    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "32"))
    everything = ["Asker home", "Bærum", "Oslo and Bærum"]
    assert _staff_names(coordinator) == everything
    # Inside the scope (the scope check is implied), around it (the filter is implied), outside it (nothing).
    assert _staff_names(coordinator, area=str(area("NO", "3201").pk)) == ["Bærum", "Oslo and Bærum"]
    assert _staff_names(coordinator, area=str(area("NO", "NO", kind="country").pk)) == everything
    assert _staff_names(coordinator, area=str(area("NO", "0301").pk)) == ["Oslo and Bærum"]


def test_country_wide_scope_checks_each_row_and_keeps_served_and_home_areas():
    OrganisationFactory(name="Served", areas=[area("NO", "3201")])
    OrganisationFactory(name="Home", home_area=area("NO", "0301"))
    OrganisationFactory(name="Swedish serving Norway", country="SE", areas=[area("NO", "3203")])
    OrganisationFactory(name="Karlstad", country="SE", areas=[area("SE", "1780")])
    OrganisationFactory(name="Nowhere")
    national = UserFactory()
    grant_area_role(national, area("NO", "NO", kind="country"))
    assert _staff_names(national) == ["Home", "Served", "Swedish serving Norway"]
    assert selectors.staff_scope(national).count() == 3
    totals = figures.area_totals(area("NO", "NO", kind="country"))
    assert totals.organisations == 3


def test_status_and_form_filters_combined_with_area_and_category():
    from samverka.registry.models import Category

    health = Category.objects.get(code="health")
    baerum = area("NO", "3201")
    OrganisationFactory(name="Active", areas=[baerum], categories=[health])
    OrganisationFactory(name="Resting", areas=[baerum], categories=[health], status="inactive")
    OrganisationFactory(name="Foundation", areas=[baerum], categories=[health], legal_form="foundation")
    OrganisationFactory(name="Elsewhere", areas=[area("NO", "0301")], categories=[health], status="inactive")
    admin = UserFactory(is_superuser=True)
    county = str(area("NO", "32").pk)
    assert _staff_names(admin, area=county, category="health", status="inactive") == ["Resting"]
    assert _staff_names(admin, area=county, category="health", legal_form="foundation") == ["Foundation"]
    assert _staff_names(admin, status="inactive") == ["Elsewhere", "Resting"]


def test_filtered_page_reads_the_total_and_ids_from_the_facet_index_then_the_rows(django_assert_num_queries):
    baerum = area("NO", "3201")
    for n in range(7):
        OrganisationFactory(name=f"Lag {n}", areas=[baerum])
    OrganisationFactory(name="Oslo", areas=[area("NO", "0301")])
    admin = UserFactory(is_superuser=True)
    filters = OrganisationFilters.from_mapping({"area": str(baerum.pk)})
    qs = selectors.organisation_list(actor=admin, filters=filters)
    # The area was read when the list was built; then the total and the page's ids (one statement reading one
    # index range twice), and the rows with their category ids (one statement; municipalities from the cache).
    with django_assert_num_queries(2):
        page = selectors.organisation_page(qs, filters, 2, 3)
    assert (page.count, page.number, [o.name for o in page.items]) == (7, 2, ["Lag 3", "Lag 4", "Lag 5"])
    past_end = selectors.organisation_page(qs, filters, 99, 3)
    assert (past_end.count, past_end.number, [o.name for o in past_end.items]) == (7, 3, ["Lag 6"])
    nothing = OrganisationFilters.from_mapping({"area": str(area("SE", "1780").pk)})
    empty = selectors.organisation_page(selectors.organisation_list(actor=admin, filters=nothing), nothing, 1, 3)
    assert (empty.count, empty.items) == (0, [])


@pytest.mark.parametrize("filters", [{}, {"area": "county"}, {"area": "county", "category": "health", "q": "lag"}])
def test_list_query_count_does_not_grow_with_rows(filters, django_assert_max_num_queries):
    from samverka.registry.models import Category

    health = Category.objects.get(code="health")
    coordinator = UserFactory()
    grant_area_role(coordinator, area("NO", "NO", kind="country"))
    if filters.get("area"):
        filters = {**filters, "area": str(area("NO", "32").pk)}
    parsed = OrganisationFilters.from_mapping(filters)

    def queries_for_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            page = selectors.organisation_page(
                selectors.organisation_list(actor=coordinator, filters=parsed), parsed, 1, 25
            )
            assert page.items
        return len(ctx.captured_queries)

    OrganisationFactory(name="Lag first", areas=[area("NO", "3201")], categories=[health])
    queries_for_page()  # reads areas and categories into the process's reference cache
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # a fresh request: roles read again
    few = queries_for_page()
    for n in range(30):
        OrganisationFactory(name=f"Lag {n}", areas=[area("NO", "3201"), area("NO", "3203")], categories=[health])
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # a fresh request: roles read again
    assert queries_for_page() == few
    with django_assert_max_num_queries(few):
        selectors.organisation_page(selectors.organisation_list(actor=coordinator, filters=parsed), parsed, 2, 25)
