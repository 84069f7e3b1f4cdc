"""Numbers typed or sent by people: every malformed or outsized value is a field error, never an exception."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverka.vouchers.services.common import decimal_field


@pytest.mark.parametrize("value", ["1" * 40, 10**30, "1e30", "99999999.999", "-1", "0", "NaN", "Infinity", "1,2,3"])
def test_outsized_or_malformed_numbers_are_field_errors(value):
    errors: dict = {}
    assert decimal_field(errors, "units", value) is None
    assert errors["units"]


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=60), st.decimals()))
def test_decimal_field_never_raises(value):
    errors: dict = {}
    number = decimal_field(errors, "units", value)
    assert (number is None) == bool(errors)
