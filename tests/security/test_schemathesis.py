"""Property-based API tests with Schemathesis against /api/v1/ and the HSDS API, in-process through WSGI.

Every operation of both OpenAPI documents gets a fixed number of generated requests (seeded: hypothesis
`derandomize`), once with a platform admin's API token and once anonymously: no 5xx, every response matches the
status codes, content type and schema the document declares, and protected operations refuse anonymous callers.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from samverka.accounts.models import ApiToken, User, hash_token
from samverka.core.openapi import document_error_responses

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
DOCUMENTS = {"v1": "/api/v1/openapi.json", "hsds": "/api/hsds/openapi.json"}


def _operations(document: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, read from the NinjaAPI objects (no request, no database at collection)."""
    if document == "v1":
        from config.api import api

        spec = api.get_openapi_schema(path_prefix="/api/v1/")
    else:
        from samverka.catalogue.hsds_urls import api

        spec = api.get_openapi_schema(path_prefix="/api/hsds/")
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = [(doc, method, path) for doc in DOCUMENTS for method, path in _operations(doc)]


@pytest.fixture
def admin_token() -> str:
    user = User.objects.create_superuser("schemathesis-admin@samverka.example", "a-long-password-1")
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name="schemathesis", token_hash=hash_token(raw), last_four=raw[-4:])
    return raw


@pytest.fixture
def served() -> dict[str, dict]:
    """The documents as served, fetched before `wsgi_app` changes the request signals (the test client
    reconnects them when it finishes)."""
    client = Client()
    return {name: client.get(url).json() for name, url in DOCUMENTS.items()}


@pytest.fixture
def wsgi_app(served):
    """The WSGI application, in this thread and this test's transaction. Like Django's test client, it must not
    close the connection around each request (that would end the test's transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _run(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.mark.parametrize(("document", "method", "path"), OPERATIONS, ids=[f"{d}:{m} {p}" for d, m, p in OPERATIONS])
def test_operation_conforms_for_a_platform_admin_and_anonymously(document, method, path, admin_token, served, wsgi_app):
    schema = schemathesis.openapi.from_dict(document_error_responses(served[document]))
    schema.app = wsgi_app
    operation = schema[path][method]
    _run(operation, {"Authorization": f"Bearer {admin_token}"})
    _run(operation, {})


def test_protected_operations_refuse_anonymous_callers_with_401(client):
    from config.api import api

    spec = api.get_openapi_schema(path_prefix="/api/v1/")
    protected = [
        (method, path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"} and op.get("security")
    ]
    assert len(protected) > 10
    placeholder = "00000000-0000-4000-8000-000000000000"
    for method, path in protected:
        url = path
        for name in ("pk", "token_id", "scheme_id", "voucher_id", "year", "action"):
            url = url.replace("{" + name + "}", "2024" if name == "year" else placeholder)
        response = getattr(client, method)(url, content_type="application/json", data={})
        assert response.status_code == 401, (method, path, response.status_code, response.content[:200])
        assert set(response.json()) == {"detail", "errors"}


def test_hsds_document_is_public_and_needs_no_credentials(client):
    spec = client.get("/api/hsds/openapi.json").json()
    assert not any(op.get("security") for item in spec["paths"].values() for op in item.values())
