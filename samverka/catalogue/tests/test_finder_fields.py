"""The finder form's fields kept rendered and marked per search (forms.finder_fields_html) are exactly what
rendering FinderForm with those filters gives; a search with bad filters still shows the form with its errors."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverka.areas.models import Area, AreaKind
from samverka.catalogue.finder import FinderFilters
from samverka.catalogue.forms import FinderForm, finder_fields_html
from samverka.catalogue.models import OFFERED_LANGUAGES, AccessMode, TaxonomyTerm
from samverka.catalogue.schedules import WEEKDAY_CODES
from samverka.core.templatetags.fields import form_field
from samverka.registry.reference import target_groups_cached

pytestmark = pytest.mark.django_db


def _direct(filters: FinderFilters) -> str:
    initial = {
        name: getattr(filters, name)
        for name in ("q", "area", "category", "target_group", "language", "access", "weekday", "free", "vouchers")
    }
    initial |= {"sort": filters.sort, "age": "" if filters.age is None else str(filters.age)}
    return "\n".join(str(form_field(field)) for field in FinderForm(initial=initial))


def _filters():
    areas = [str(pk) for pk in Area.objects.exclude(kind=AreaKind.COUNTRY).values_list("pk", flat=True)[:5]]
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
    return st.builds(
        FinderFilters,
        q=st.one_of(st.just(""), text),
        area=st.sampled_from(["", *areas]),
        category=st.sampled_from(["", *TaxonomyTerm.objects.values_list("code", flat=True)[:5]]),
        target_group=st.sampled_from(["", *(t.code for t in target_groups_cached())]),
        language=st.sampled_from(["", *(code for code, _n in OFFERED_LANGUAGES)]),
        age=st.one_of(st.none(), st.integers(0, 120)),
        free=st.booleans(),
        vouchers=st.booleans(),
        access=st.sampled_from(["", *AccessMode.values]),
        weekday=st.sampled_from(["", *WEEKDAY_CODES]),
        sort=st.sampled_from(["", "relevance", "name", "updated"]),
    )


@pytest.mark.parametrize("language", ["nb", "sv", "fi", "en"])
def test_kept_finder_fields_marked_with_filters_equal_the_form_rendered_with_them(language):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(filters=_filters())
    def check(filters):
        with translation.override(language):
            assert finder_fields_html(filters) == _direct(filters)

    check()


def test_checked_boxes_and_markup_in_the_query_are_shown_escaped_and_not_kept_for_the_next_search():
    first = finder_fields_html(FinderFilters(q='"><script>', free=True, age=7))
    assert 'value="&quot;&gt;&lt;script&gt;"' in first and "<script>" not in first
    assert 'name="free" id="id_free" checked>' in first and 'name="age" value="7"' in first
    second = finder_fields_html(FinderFilters())
    assert " checked" not in second and "script" not in second and 'value="7"' not in second


def test_a_search_with_a_bad_filter_shows_the_form_with_the_error_and_the_values_given(client):
    response = client.get("/services/", {"q": "kafé", "age": "two hundred", "free": "on"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="two hundred"' in body and "Enter an age between 0 and 120." in body
    assert 'name="free" id="id_free" checked' in body and 'value="kafé"' in body


def test_the_finder_page_shows_the_filters_it_searched_with(client):
    response = client.get("/services/", {"q": "kafé", "free": "on", "sort": "name"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="kafé"' in body and 'name="free" id="id_free" checked' in body
    assert '<option value="name" selected>' in body
