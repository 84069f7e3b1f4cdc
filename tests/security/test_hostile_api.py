"""Hostile field values on every API write: never a 5xx, every refusal in the error contract, nothing stored.

For every write operation (POST, PUT, PATCH, DELETE) of `/api/v1/openapi.json` and `/api/hsds/openapi.json`, a
valid-looking body is built from the operation's request schema (with the API matrix's known-good bodies and the
demo's own-area objects for the ids). Then each field of the schema in turn gets each hostile value, sent with a
platform admin's API token (and a fresh `Idempotency-Key`). Every request runs inside a transaction that is rolled
back afterwards, so each one sees the same data. Rows of every table are counted before the first request and, after
every 4xx, again inside the request's transaction: a refused write must not have stored anything.
"""

import datetime
import json
import os
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from .crawl import row_counts
from .roles import role_users
from .test_api_access_matrix import BODIES, DOCUMENTS, WRITES, _objects, _rows, _token, _url

pytestmark = pytest.mark.django_db

SCRIPT = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
# One value per kind of trouble; every field of every write gets each of them once.
HOSTILE: dict[str, object] = {
    "long": "Å" * 20_000,
    "nul": "a\x00b",
    "control": "a\x01\x08\x1b[31m\x7f\u0085b",
    "rtl_mixed": "\u202eevil\u202c Ωμέγα Привет 中文 العربية 👩🏽‍⚕️",
    "html": SCRIPT,
    "sql": "' OR 1=1; DROP TABLE registry_organisation; --",
    "number": "9" * 40 + ".5e99999",
    "date": "2024-13-45T25:61:61",
    "uuid": "00000000-0000-0000-0000-00000000000z",
    "huge_int": 10**30,
    "negative_int": -(2**63) - 1,
    "object": {"$gt": ""},
    "array": [[SCRIPT]],
    "bool": True,
}

# Writes the platform admin is refused by design (see the API access matrix): sent by the role that may, so the
# hostile values reach the validation behind the refusal.
CALLERS = {
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims": "ngo_admin",  # the voucher's chosen provider
    "POST /api/v1/vouchers/schemes/{scheme_id}/vouchers": "officer",  # residents' data: the vouchers officer
    "POST /api/v1/vouchers/vouchers/{voucher_id}/provider": "officer",
    "PATCH /api/v1/vouchers/residents/{resident_id}": "officer",
}

# What a valid body needs beyond the API matrix's least bodies (which only have to get past the access check).
BASE_BODIES = {
    "POST /api/v1/catalogue/services": {"kind": "advice", "access_mode": "drop_in"},
    "POST /api/v1/agreements/agreements/{pk}/versions": {"sections": [{"heading": "1", "text": "Tekst."}]},
}
# Writes whose valid-looking body is still refused, and why; every other write must accept its base body, so the
# hostile values are what gets refused, not a body that was never valid.
BASE_REFUSED = {
    "POST /api/v1/accounts/tokens": "a token is created in a browser session only (401 to a token)",
    "POST /api/v1/agreements/agreements/{pk}/versions": "the demo agreement is active, not in drafting (409)",
    "POST /api/v1/agreements/agreements/{pk}/actions/{action}": "the demo agreement is active (409)",
    "POST /api/v1/agreements/agreements/{pk}/sign": "the demo agreement is active, not being signed (409)",
    "POST /api/v1/vouchers/schemes": "a scheme needs a municipality and a category this sampled body does not give",
}


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(options[0], components) if options else {}
    return schema


def _sample(schema: dict, components: dict):
    """A plausible value for a schema: what a careful client would send."""
    schema = _resolve(schema, components)
    kind, fmt = schema.get("type"), schema.get("format")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "string":
        if fmt == "date":
            return str(datetime.date.today())
        if fmt == "date-time":
            return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).isoformat()
        if fmt == "uuid":
            return str(uuid.uuid4())
        return "Samverka"
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {
            name: _sample(prop, components)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    return "Samverka"


def _body_schema(operation: dict, components: dict) -> dict:
    content = (operation.get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return _resolve(schema, components) if schema else {}


def _unsettled_claim(provider, voucher_id: str) -> str:
    """A claim of today (the demo settles last month), so its reversal is possible."""
    from django.utils import timezone

    from samverka.vouchers import services

    today = timezone.localdate()
    claim, _created = services.claim_create(
        actor=provider, voucher_id=voucher_id, idempotency_key="hostile-api", units="1", service_date=today
    )
    return str(claim.pk)


@pytest.fixture
def world():
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = role_users("hostile.api")
    tokens = {role: _token(users[role]) for role in {"platform_admin", *CALLERS.values()}}
    token = tokens["platform_admin"][1]
    objects = _objects(users)
    objects["token"] = {"other": str(_token(users["coordinator_own"])[1].pk)}
    objects["claim"]["own"] = _unsettled_claim(users["ngo_admin"], objects["voucher"]["own"])
    documents = [Client().get(url).json() for url in DOCUMENTS]
    clients = {
        role: Client(raise_request_exception=False, headers={"Authorization": f"Bearer {raw}"})
        for role, (raw, _row) in tokens.items()
    }
    return clients, objects, str(token.pk), documents


def _send(client: Client, method: str, url: str, body) -> tuple[int, dict | None, dict[str, int] | None]:
    """One request inside a rolled-back transaction: status, JSON body of a 4xx, and row counts after a 4xx."""
    with transaction.atomic():
        response = client.generic(
            method.upper(),
            url,
            json.dumps(body),
            "application/json",
            headers={"Idempotency-Key": f"hostile-{uuid.uuid4()}"},
        )
        counts = row_counts() if 400 <= response.status_code < 500 else None
        transaction.set_rollback(True)
    error = None
    if 400 <= response.status_code < 500:
        try:
            error = response.json()
        except ValueError:
            error = {"not json": response.content[:200].decode("utf-8", "replace")}
    return response.status_code, error, counts


def test_every_api_write_field_survives_hostile_values_and_stores_nothing_when_refused(world):
    clients, objects, own_token, documents = world
    operations = []
    for document in documents:
        components = document.get("components", {}).get("schemas", {})
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if method in WRITES:
                    operations.append((method, path, _body_schema(operation, components), components))
    assert len(operations) > 20, f"only {len(operations)} write operations found"
    rows = {
        (row.method, row.path): row
        for row in _rows([(m, p) for m, p, _s, _c in operations], objects)
        if row.scope in ("own", "")
    }

    bases: dict[str, int] = {}
    baseline = row_counts()
    failures: list[tuple] = []
    sent = 0
    for method, path, schema, components in operations:
        row = rows[method, path]
        url = _url(row, own_token)
        op = f"{method.upper()} {path}"
        at_own = {k: ids.get("own", ids.get("", "")) for k, ids in objects.items()}
        base = {
            name: _sample(prop, components)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
        base |= (BODIES[op](at_own) if op in BODIES else {}) | BASE_BODIES.get(op, {})
        caller = clients[CALLERS.get(op, "platform_admin")]
        bases[op] = _send(caller, method, url, base)[0]
        fields = list(schema.get("properties", {})) or [None]
        for field in fields:
            values = HOSTILE.items() if field else [("empty body", None)]
            for kind, value in values:
                body = base | {field: value} if field else base
                status, error, counts = _send(caller, method, url, body)
                sent += 1
                where = (op, field, kind)
                if status >= 500:
                    failures.append((*where, status))
                elif error is not None:
                    if set(error) != {"detail", "errors"} or not error.get("detail"):
                        failures.append((*where, status, "error body", error))
                    if counts != baseline:
                        changed = {k: (baseline[k], counts[k]) for k in baseline if counts and baseline[k] != counts[k]}
                        failures.append((*where, status, "refused but stored", changed))
    assert sent > 1000, f"only {sent} hostile requests sent"
    refused = {op: status for op, status in bases.items() if not 200 <= status < 300 and op not in BASE_REFUSED}
    assert not refused, f"valid-looking bodies refused (fix the body or list the operation in BASE_REFUSED): {refused}"
    assert not failures, "\n".join(map(str, failures))
