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
