"""The API's shared contract: OpenAPI and docs, `{"detail", "errors"}` errors, pagination limits, auth."""

import uuid

import pytest
from django.utils import timezone

from samverka.accounts.models import ApiToken, User, hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def admin_token() -> str:
    user = User.objects.create_superuser("api-admin@samverka.example", "a-long-password-1")
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name="tests", token_hash=hash_token(raw), last_four=raw[-4:])
    return raw


def _auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _get_operations(schema: dict):
    for path, item in schema["paths"].items():
        if "get" in item:
            yield path, item["get"]


def _paginated_lists(schema: dict) -> list[str]:
    return [
        path
        for path, op in _get_operations(schema)
        if "{" not in path and any(p["name"] == "page_size" for p in op.get("parameters", []))
    ]


def _uuid_detail_paths(schema: dict) -> list[str]:
    found = []
    for path, op in _get_operations(schema):
        params = [p for p in op.get("parameters", []) if p["in"] == "path"]
        if len(params) == 1 and params[0].get("schema", {}).get("format") == "uuid":
            found.append(path.replace("{" + params[0]["name"] + "}", "{id}"))
    return found


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], dict)
    return body


def test_openapi_document_describes_the_api(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Samverka API"
    assert any(path.startswith("/api/v1/registry/") for path in schema["paths"])
    assert any(path.startswith("/api/v1/areas/") for path in schema["paths"])


@pytest.mark.parametrize("document", ["/api/v1/openapi.json", "/api/hsds/openapi.json"])
def test_both_openapi_documents_declare_the_error_answers(client, document):
    spec = client.get(document).json()
    assert spec["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]
    for item in spec["paths"].values():
        for operation in item.values():
            assert {"400", "404", "422"} <= set(operation["responses"]), operation.get("operationId")
    not_found = client.get("/api/hsds/services/00000000-0000-4000-8000-000000000000")
    assert not_found.status_code == 404 and set(not_found.json()) == {"detail", "errors"}


def test_docs_page_loads_with_local_assets_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
    # The only inline <script> is a JSON data block, which the CSP does not execute.
    inline = [chunk for chunk in html.split("<script")[1:] if "src=" not in chunk.split(">", 1)[0]]
    assert all('type="application/json"' in chunk.split(">", 1)[0] for chunk in inline)


def test_unknown_api_path_is_json_404(client):
    assert_error_shape(client.get("/api/v1/no-such-endpoint/"), 404)


def test_missing_object_is_json_404(client, schema, admin_token):
    paths = _uuid_detail_paths(schema)
    assert paths, "expected at least one GET /…/{uuid} endpoint"
    for path in paths:
        assert_error_shape(client.get(path.replace("{id}", str(uuid.uuid4())), headers=_auth(admin_token)), 404)


def test_malformed_id_is_json_422_with_a_field_error(client, schema, admin_token):
    path = _uuid_detail_paths(schema)[0]
    body = assert_error_shape(client.get(path.replace("{id}", "not-a-uuid"), headers=_auth(admin_token)), 422)
    assert body["errors"]


def test_anonymous_call_to_a_protected_list_is_json_401(client, schema):
    protected = [p for p, op in _get_operations(schema) if op.get("security") and "{" not in p]
    assert protected, "expected protected list endpoints"
    for path in protected:
        assert_error_shape(client.get(path), 401)


def test_revoked_or_unknown_token_is_json_401(client, schema, admin_token):
    path = _paginated_lists(schema)[0]
    ApiToken.objects.update(revoked_at=timezone.now())
    assert_error_shape(client.get(path, headers=_auth(admin_token)), 401)
    assert_error_shape(client.get(path, headers=_auth("svk_not-a-real-token")), 401)


def test_page_size_above_200_is_refused_with_422_on_every_list(client, schema, admin_token):
    lists = _paginated_lists(schema)
    assert lists, "expected paginated list endpoints"
    for path in lists:
        body = assert_error_shape(client.get(path, {"page_size": 201}, headers=_auth(admin_token)), 422)
        assert "page_size" in body["errors"], (path, body)
        ok = client.get(path, {"page_size": 200}, headers=_auth(admin_token))
        assert ok.status_code == 200, path
        assert {"count", "next", "previous", "results"} <= set(ok.json())


def test_page_zero_and_garbage_are_422_not_500(client, schema, admin_token):
    path = _paginated_lists(schema)[0]
    for bad in ({"page": 0}, {"page": "abc"}, {"page_size": "-5"}, {"page": "9" * 40}):
        assert_error_shape(client.get(path, bad, headers=_auth(admin_token)), 422)
