"""The context-word password validator: the service's name and the registry's place names (docs/security.md)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverka.accounts.passwords import ContextWordsValidator, context_words

from .factories import PASSWORD, make_area, make_user

pytestmark = pytest.mark.django_db


def _refusal(password: str) -> str | None:
    try:
        ContextWordsValidator().validate(password)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@pytest.mark.parametrize("password", ["Samverka2026!", "SAMVERKA-secret", "s4mv3rk@-1234", "kommune-12345"])
def test_the_service_name_and_fixed_words_are_refused_in_any_case_and_with_lookalike_digits(password):
    message = _refusal(password)
    assert message is not None and "“" in message


def test_an_area_name_from_the_registry_is_refused_and_named(county):
    make_area("Lillehavn", parent=county)
    message = _refusal("LilleHavn2026#")
    assert message is not None and "“lillehavn”" in message


def test_a_word_of_a_two_word_area_name_is_refused_short_parts_are_not(county):
    area = make_area("Nedre Vassfjord", parent=county)
    area.name_sv = "Vassfjorden"
    area.save()
    assert _refusal("Vassfjord!2026") is not None
    assert _refusal("vassfjorden-9876") is not None
    assert "os" not in context_words() and "ski" not in context_words()


def test_a_long_passphrase_containing_a_place_or_the_service_name_is_accepted(county):
    make_area("Lillehavn", parent=county)
    assert _refusal("lillehavn in the rain at dawn") is None
    assert _refusal("samverka plus a long tail of words") is None
    assert _refusal(PASSWORD) is None


def test_an_area_created_after_the_list_was_built_is_refused_too(county):
    assert _refusal("Storevika2026!") is None
    make_area("Storevika", parent=county)  # saving an area clears the process's reference cache
    assert _refusal("Storevika2026!") is not None


def test_the_validator_is_active_for_every_password_form(client):
    with pytest.raises(ValidationError) as caught:
        validate_password("Samverka2026!!")
    assert any("samverka" in m for m in caught.value.messages)

    user = make_user()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Samverka2026!!", "new_password2": "Samverka2026!!"},
    )
    assert response.status_code in (200, 422)
    assert "“samverka”" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_help_text_names_the_rule():
    assert "Samverka2026" in ContextWordsValidator().get_help_text()
