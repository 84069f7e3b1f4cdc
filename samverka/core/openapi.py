"""The API's error contract in its OpenAPI documents.

Every endpoint answers errors as `{"detail": str, "errors": {field: [messages]}}` (samverka/core/api.py), but
django-ninja documents only the success responses an operation declares. `document_error_responses(spec)` adds
the error answers each operation can give, so that clients (and Schemathesis in tests/security/) can check them:
400, 403, 404, 409, 422 and 503 everywhere, 401 where the operation needs credentials.
"""

import copy
from typing import Any

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the request's language."},
        "errors": {
            "type": "object",
            "description": "Messages per field (`__all__` for the request as a whole).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Bad request",
    "401": "Authentication required",
    "403": "Not permitted",
    "404": "Not found (also another area's or organisation's private object)",
    "409": "Conflict with the object's current state",
    "422": "Invalid input, with messages per field",
    "503": "Service temporarily unavailable",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def document_error_responses(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` where every operation also declares the error responses it may give."""
    spec = copy.deepcopy(spec)
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_SCHEMA_NAME, ERROR_SCHEMA)
    secured_by_default = bool(spec.get("security"))
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            secured = bool(operation.get("security", secured_by_default))
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_DESCRIPTIONS.items():
                if code == "401" and not secured:
                    continue
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return spec


def declare_error_responses(api) -> None:
    """Make `api` (a NinjaAPI) serve its OpenAPI document with the error responses declared."""
    without_errors = api.get_openapi_schema

    def with_error_responses(*args, **kwargs):
        return document_error_responses(without_errors(*args, **kwargs))

    api.get_openapi_schema = with_error_responses  # type: ignore[method-assign]
