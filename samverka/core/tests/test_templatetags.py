"""Template tags of the shared layout give the same output as Django's own."""

import pytest
from django.template import engines
from django.urls import reverse

from samverka.registry.forms import FilterForm


def test_path_tag_gives_the_reversed_url_each_time():
    template = engines["django"].from_string("{% load paths %}{% path 'core:home' %}|{% path 'registry:list' %}")
    expected = f"{reverse('core:home')}|{reverse('registry:list')}"
    assert template.render({}) == expected
    assert template.render({}) == expected  # second time from memory


def test_asset_tag_gives_the_static_url_each_time():
    from django.templatetags.static import static

    template = engines["django"].from_string("{% load paths %}{% asset 'samverka/samverka.css' %}")
    assert template.render({}) == static("samverka/samverka.css") == template.render({})


@pytest.mark.django_db
def test_form_field_tag_points_aria_describedby_at_the_help_text_and_escapes():
    form = FilterForm(data={"q": "<b>"}, areas=[], coarse_areas=True)
    form.fields["q"].help_text = "Use <quotes> & ampersands"
    html = (
        engines["django"]
        .from_string("{% load fields %}{% form_field form.q %}{% form_field form.area %}")
        .render({"form": form})
    )
    assert 'aria-describedby="id_q_helptext"' in html
    assert '<p class="help" id="id_q_helptext">Use &lt;quotes&gt; &amp; ampersands</p>' in html
    assert 'value="&lt;b&gt;"' in html
    assert '<label for="id_area">' in html and "<select" in html
