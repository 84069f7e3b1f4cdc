"""The registry filter's fields kept rendered and marked per request (forms.filter_fields_html) are exactly
what rendering the filter form with those values gives."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverka.areas.selectors import coarse_areas_cached
from samverka.core.templatetags.fields import form_field
from samverka.registry.forms import FIXED_CHOICES, FilterForm, filter_fields_html
from samverka.registry.reference import categories_cached, target_groups_cached

pytestmark = pytest.mark.django_db


def _direct(values, **kwargs) -> str:
    return "\n".join(str(form_field(field)) for field in FilterForm(initial=values, **kwargs))


def _values():
    areas = [str(a.pk) for a in coarse_areas_cached()[:5]]
    choice = {
        "area": st.sampled_from(["", "not-an-area", *areas]),
        "category": st.sampled_from(["", "nope", *(c.code for c in categories_cached())]),
        "target_group": st.sampled_from(["", *(t.code for t in target_groups_cached())]),
        **{name: st.sampled_from(["", *(v for v, _ in fixed)]) for name, fixed in FIXED_CHOICES.items()},
    }
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
    return st.fixed_dictionaries({"q": st.one_of(st.just(""), text), **choice})


@pytest.mark.parametrize("language", ["nb", "sv", "fi", "en"])
@pytest.mark.parametrize(("public", "coarse_areas"), [(False, True), (True, False)])
def test_kept_fields_marked_with_values_equal_the_form_rendered_with_them(language, public, coarse_areas):
    areas = list(coarse_areas_cached())[:6]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=_values())
    def check(values):
        values = {k: v for k, v in values.items() if v}  # as OrganisationFilters.as_query gives them
        with translation.override(language):
            kept = filter_fields_html(values, areas=areas, public=public, coarse_areas=coarse_areas)
            assert kept == _direct(values, areas=areas, public=public, coarse_areas=coarse_areas)

    check()


def test_values_with_markup_are_escaped_and_a_second_request_starts_from_nothing_chosen():
    areas = list(coarse_areas_cached())[:3]
    first = filter_fields_html({"q": '"><script>', "status": "active"}, areas=areas)
    assert 'value="&quot;&gt;&lt;script&gt;"' in first and "<script>" not in first
    assert '<option value="active" selected>' in first
    second = filter_fields_html({}, areas=areas)
    assert "selected>Active" not in second and '<option value="active">' in second
    assert 'name="q"' in second and "value=" not in second.split('name="q"', 1)[1].split(">", 1)[0]
