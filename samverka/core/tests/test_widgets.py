"""The widgets written in Python (core/widgets.py) give the HTML Django's own widgets give (compared as HTML:
attribute order and whitespace aside), escaping every value."""

import pytest
from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from samverka.core.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput

CHOICES = [("", "Any"), ("a&b", "A & B"), ('"q"', "<quoted>"), ("plain", "Plain")]
ATTRS = [
    {},
    {"id": "id_x", "aria-describedby": "id_x_helptext"},
    {"id": "id_x", "required": True, "disabled": False, "data-x": "1 < 2"},
]


def _same_html(ours: str, django: str) -> None:
    assert parse_html(ours) == parse_html(django), (ours, django)


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "a&b", '"q"', "not a choice"])
def test_quick_select_renders_what_djangos_select_renders(attrs, value):
    ours = QuickSelect(attrs=attrs, choices=CHOICES).render("field", value)
    _same_html(ours, forms.Select(attrs=attrs, choices=CHOICES).render("field", value))


def test_quick_select_with_options_rendered_beforehand_marks_the_chosen_one():
    from samverka.core.widgets import rendered_options

    widget = QuickSelect(attrs={"id": "id_f"})
    widget.rendered_options = rendered_options(CHOICES)
    _same_html(widget.render("f", "a&b"), forms.Select(attrs={"id": "id_f"}, choices=CHOICES).render("f", "a&b"))


@given(value=st.one_of(st.none(), st.text(max_size=20)), attrs=st.sampled_from(ATTRS))
def test_quick_inputs_render_what_djangos_inputs_render(value, attrs):
    for ours, theirs in ((QuickTextInput, forms.TextInput), (QuickNumberInput, forms.NumberInput)):
        _same_html(ours(attrs=attrs).render("f", value), theirs(attrs=attrs).render("f", value))


@pytest.mark.parametrize("value", [True, False, None])
def test_quick_checkbox_renders_what_djangos_checkbox_renders(value):
    _same_html(QuickCheckboxInput().render("f", value), forms.CheckboxInput().render("f", value))
