import datetime

import pytest
from django.utils import dateformat, translation
from django.utils.formats import get_format
from hypothesis import given
from hypothesis import strategies as st

from samverka.core.dates import format_date

LANGUAGES = ("nb", "sv", "fi", "en")


@given(st.dates(min_value=datetime.date(1, 1, 1)), st.sampled_from(LANGUAGES))
def test_a_date_in_each_languages_short_format_reads_as_djangos(value, language):
    with translation.override(language):
        fmt = get_format("SHORT_DATE_FORMAT")
        assert format_date(value, fmt) == dateformat.format(value, fmt)


@pytest.mark.parametrize("fmt", ["d.m.Y", "j.n.y", "Y-m-d", "m/d/Y", "D j. F Y", r"j\t\h F", "N j, Y"])
def test_formats_with_other_letters_or_escapes_read_as_djangos(fmt):
    value = datetime.datetime(2026, 3, 7, 9, 5)
    assert format_date(value, fmt) == dateformat.format(value, fmt)
