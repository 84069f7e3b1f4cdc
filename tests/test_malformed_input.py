import pytest
from django.test import RequestFactory

from samverka.core.middleware import MalformedInputMiddleware


@pytest.mark.django_db
def test_a_validation_error_escaping_a_view_answers_400_not_500():
    from django.core.exceptions import ValidationError

    middleware = MalformedInputMiddleware(lambda request: None)
    request = RequestFactory().get("/forums/x/")
    response = middleware.process_exception(request, ValidationError("“abc” is not a valid UUID."))
    assert response.status_code == 400


@pytest.mark.django_db
def test_on_the_api_the_answer_has_the_json_error_shape():
    import json

    from django.core.exceptions import ValidationError

    middleware = MalformedInputMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/api/v1/x"), ValidationError("bad"))
    assert response.status_code == 400
    assert set(json.loads(response.content)) == {"detail", "errors"}


def test_other_errors_are_left_alone():
    assert MalformedInputMiddleware(lambda r: None).process_exception(RequestFactory().get("/"), KeyError()) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/services/?q=a%00b", "/organisations/?q=%00", "/api/v1/registry/organisations?q=a%00"]
)
def test_a_null_character_in_a_query_answers_400(client, path):
    response = client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_null_character_in_a_form_answers_400_and_stores_nothing(client):
    from samverka.accounts.models import User

    before = User.objects.count()
    response = client.post("/accounts/login/", {"username": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_null_character_in_a_json_body_answers_400_in_the_error_shape(client):
    import json

    response = client.post("/api/v1/registry/organisations", '{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert "Null characters" in json.loads(response.content)["errors"]["__all__"][0]
