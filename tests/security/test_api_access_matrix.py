"""The API access-control matrix: every operation of /api/v1/ and /api/hsds/ × 8 roles × own/other area.

The operations are read from the two OpenAPI documents as served. Each path parameter is filled from the demo
data with an object of the own area (Akershus) and, where the object belongs to an area or an organisation, with
one of another area (Värmland) too, built here where the demo has none. Each role calls each operation with a
personal API token (anonymous: without one); writes go inside a transaction that is rolled back, so no cell
changes what the next one sees. The answers form the table in docs/security.md ("Access matrix: API"), kept in
tests/security/api_access_matrix.json. The test checks the rules every row must follow, then compares the whole
table with the recorded one. After an intended change:
`SAMVERKA_UPDATE_ACCESS_MATRIX=1 .venv/bin/pytest tests/security/test_api_access_matrix.py` rewrites both.
"""

import datetime
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from samverka.accounts.models import ApiToken, User, hash_token
from samverka.areas.models import Area
from samverka.audit.models import AuditEvent
from samverka.registry.models import Organisation
from samverka.registry.tests.factories import valid_number

from .roles import role_users
from .test_access_matrix import DOC, ROLES

pytestmark = pytest.mark.django_db

MATRIX_FILE = Path(__file__).with_name("api_access_matrix.json")
DOC_START, DOC_END = "<!-- access-matrix-api:start -->", "<!-- access-matrix-api:end -->"
DOCUMENTS = ("/api/v1/openapi.json", "/api/hsds/openapi.json")
WRITES = {"post", "put", "patch", "delete"}
DENIED = "†"  # appended to a cell when the answer wrote an `access.denied` audit event

# Operations anyone may call: the whole HSDS API (open data), the areas, the public catalogue, the public
# agreement register, public forums and hearings, and the providers of an open voucher scheme. The OpenAPI
# documents must declare exactly these without security, so making an operation public is a visible change here.
PUBLIC_OPERATIONS = {
    "GET /api/v1/areas",
    "GET /api/v1/areas/{pk}",
    "GET /api/v1/catalogue/services",
    "GET /api/v1/catalogue/services/{pk}",
    "GET /api/v1/agreements/public",
    "GET /api/v1/dialogue/forums",
    "GET /api/v1/dialogue/forums/{pk}",
    "GET /api/v1/dialogue/forums/{pk}/meetings",
    "GET /api/v1/dialogue/hearings",
    "GET /api/v1/dialogue/hearings/{pk}",
    "GET /api/v1/dialogue/hearings/{pk}/comments",
    "GET /api/v1/vouchers/schemes/{scheme_id}/providers",
}
PUBLIC_PREFIXES = ("/api/hsds/",)

# Which object a path parameter names: by its name, or for `pk` by the path segment before it.
PARAM_KINDS = {
    "token_id": "token",
    "scheme_id": "scheme",
    "voucher_id": "voucher",
    "claim_id": "claim",
    "resident_id": "resident",
    "service_id": "service",
    "organization_id": "organisation",
    "term_id": "term",
}
PK_KINDS = {
    "areas": "area",
    "organisations": "organisation",
    "services": "service",
    "proposals": "proposal",
    "agreements": "agreement",
    "forums": "forum",
    "actions": "action",
    "hearings": "hearing",
}
# Kinds with a third object: "draft", an unpublished service of the own organisation (a private object behind
# operations that are public for published services).
EXTRA_SCOPES = {"service": ("draft",)}
# Objects that belong to no area (one row, no own/other).
UNSCOPED_KINDS = {"term"}
# Fixed values of non-id path parameters.
FIXED_PARAMS = {"action": "open_consultation"}

# The body of each write: {} where every field is optional, else the least a valid request needs, so the call gets
# past validation to the authorisation check. `o` maps each kind to the object of the row's scope (own/other).
_TODAY = datetime.date.today()
BODIES = {
    "POST /api/v1/agreements/agreements/{pk}/sign": lambda o: {"otp_token": "000000", "text_sha256": "0" * 64},
    "POST /api/v1/agreements/agreements/{pk}/versions": lambda o: {"title": "API matrix", "sections": []},
    "POST /api/v1/catalogue/proposals/{pk}/reject": lambda o: {"reason": "API matrix"},
    "POST /api/v1/catalogue/services": lambda o: {"name_en": "API matrix", "organisation_id": o["organisation"]},
    "POST /api/v1/dialogue/actions/{pk}/status": lambda o: {"status": "done"},
    "POST /api/v1/dialogue/hearings/{pk}/comments": lambda o: {"text": "API matrix"},
    "POST /api/v1/registry/organisations": lambda o: {
        "country": o["country"],
        "org_number": o["org_number"],
        "name": "API matrix",
        "home_area": o["area"],
    },
    "POST /api/v1/vouchers/claims/{claim_id}/reversal": lambda o: {"reason": "API matrix"},
    "POST /api/v1/vouchers/schemes/{scheme_id}/funding": lambda o: {"amount": "100"},
    # The month before last: ended, and not the month the demo settles.
    "POST /api/v1/vouchers/schemes/{scheme_id}/settlements": lambda o: {
        "month": f"{(_TODAY.replace(day=1) - datetime.timedelta(days=40)):%Y-%m}"
    },
    "POST /api/v1/vouchers/schemes/{scheme_id}/status": lambda o: {"status": "suspended", "reason": "API matrix"},
    "POST /api/v1/vouchers/schemes/{scheme_id}/vouchers": lambda o: {
        "resident_id": o["resident"],
        "valid_from": str(_TODAY),
        "valid_to": str(_TODAY + datetime.timedelta(days=30)),
        "units": "1",
    },
    # Today: the demo settles last month, and a claim in a settled month would be refused for that reason.
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims": lambda o: {"service_date": str(_TODAY), "units": "1"},
    "POST /api/v1/vouchers/vouchers/{voucher_id}/provider": lambda o: {"accreditation_id": o["accreditation"]},
}
# Writes without an id in the path whose body names an object of an area: one row per scope too.
BODY_SCOPED = {"POST /api/v1/catalogue/services", "POST /api/v1/registry/organisations"}

RESIDENT_DATA = "residents' personal data: officers with the vouchers capability and the chosen provider only"
# Rows where the platform admin is refused by design.
ADMIN_REFUSED = {
    "DELETE /api/v1/accounts/tokens/{token_id} · other": "a personal token is its owner's alone",
    "POST /api/v1/accounts/tokens": "a token is created in a browser session only (a token cannot mint tokens)",
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims · own": "only the voucher's chosen provider claims",
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims · other": "only the voucher's chosen provider claims",
    "GET /api/hsds/services/{service_id} · draft": "HSDS is the open data of published services only",
    "POST /api/v1/vouchers/schemes/{scheme_id}/vouchers · own": RESIDENT_DATA,
    "POST /api/v1/vouchers/schemes/{scheme_id}/vouchers · other": RESIDENT_DATA,
    "GET /api/v1/vouchers/vouchers/{voucher_id} · own": RESIDENT_DATA,
    "GET /api/v1/vouchers/vouchers/{voucher_id} · other": RESIDENT_DATA,
    "POST /api/v1/vouchers/vouchers/{voucher_id}/provider · own": RESIDENT_DATA,
    "POST /api/v1/vouchers/vouchers/{voucher_id}/provider · other": RESIDENT_DATA,
    "GET /api/v1/vouchers/vouchers/{voucher_id}/budget-lines · own": RESIDENT_DATA,
    "GET /api/v1/vouchers/vouchers/{voucher_id}/budget-lines · other": RESIDENT_DATA,
    "GET /api/v1/vouchers/residents/{resident_id} · own": RESIDENT_DATA,
    "GET /api/v1/vouchers/residents/{resident_id} · other": RESIDENT_DATA,
    "PATCH /api/v1/vouchers/residents/{resident_id} · own": RESIDENT_DATA,
    "PATCH /api/v1/vouchers/residents/{resident_id} · other": RESIDENT_DATA,
}
# Authorisation bugs found by this matrix, recorded as they answer today so the test passes; remove the entry
# (and re-record) once fixed.
KNOWN_BUGS: dict[str, str] = {}
# Where a refused outsider gets a 404 that writes no `access.denied` event. Claims: the check is in the service,
# which answers "not found" to every caller who is not the voucher's provider, without auditing.
NOT_AUDITED = {
    "GET /api/hsds/services/{service_id} · draft",  # the public open-data API: unpublished is simply not there
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims · own",
    "POST /api/v1/vouchers/vouchers/{voucher_id}/claims · other",
}
# Objects open to every signed-in caller, whatever their area: an open hearing takes comments from anyone.
OPEN_TO_SIGNED_IN = {"POST /api/v1/dialogue/hearings/{pk}/comments · own"}
# Creates whose area is in the body: placing an object outside one's areas is refused as 422 on the area field.
REFUSED_AS_INVALID = {"POST /api/v1/registry/organisations · own", "POST /api/v1/registry/organisations · other"}


# -- the world ---------------------------------------------------------------------------------------------------
def _token(user) -> tuple[str, ApiToken]:
    raw = ApiToken.generate_raw()
    return raw, ApiToken.objects.create(user=user, name="api matrix", token_hash=hash_token(raw), last_four=raw[-4:])


def _other_dialogue(coordinator, varmland) -> dict[str, str]:
    """A closed Värmland forum with a meeting, a decision and an action; a draft Värmland hearing."""
    from samverka.dialogue import hearings, services

    forum = services.forum_create(actor=coordinator, area=varmland, name="Värmlandsrådet", is_public=False)
    services.forum_member_add(actor=coordinator, forum=forum, user=coordinator, represents_public_body=True)
    start = timezone.now() - datetime.timedelta(days=10)
    meeting = services.meeting_create(
        actor=coordinator, forum=forum, title="Möte", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    decision = services.decision_add(actor=coordinator, meeting=meeting, text="Beslut.")
    action = services.action_create(
        actor=coordinator, meeting=meeting, title="Uppdrag", decision=decision, owner_user=coordinator
    )
    hearing = hearings.hearing_create(
        actor=coordinator,
        area=varmland,
        title="Remiss (utkast)",
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
        sections=[{"heading": "1", "text": "Text."}],
    )
    return {"forum": str(forum.pk), "action": str(action.pk), "hearing": str(hearing.pk)}


def _other_vouchers(officer) -> dict[str, str]:
    """A Värmland (Karlstad) voucher scheme with a provider, a resident, a voucher and an unsettled claim."""
    from samverka.vouchers import services
    from samverka.vouchers.tests import factories

    karlstad = Area.objects.get(country="SE", kind="municipality", code="1780")
    scheme = factories.scheme(officer, karlstad, name="Hemtjänstcheck", currency="SEK")
    accreditation, provider = factories.provider(officer, scheme, name="Karlstads hemhjälp")
    resident = factories.resident(
        officer, karlstad, full_name="Tolvan Tolvansson", id_country="SE", national_id="19121212-1212"
    )
    voucher = factories.voucher(officer, scheme, resident, accreditation)
    claim, _created = services.claim_create(
        actor=provider,
        voucher_id=voucher.pk,
        idempotency_key="api-matrix-fixture",
        units="1",
        service_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    return {
        "accreditation": str(accreditation.pk),
        "scheme": str(scheme.pk),
        "resident": str(resident.pk),
        "voucher": str(voucher.pk),
        "claim": str(claim.pk),
    }


def _draft(organisation, users) -> str:
    """An unpublished service of the own organisation, written by its admin."""
    from samverka.catalogue.tests.factories import make_service

    return str(make_service(organisation, actor=users["ngo_admin"], name_nb="Utkast", status="draft").pk)


def _proposal(service, user) -> str:
    from samverka.catalogue import services

    _service, proposal = services.service_update(actor=user, service=service, data={"summary_en": "Proposed."})
    assert proposal is not None, f"{user.email}'s edit of {service} was published without a proposal"
    return str(proposal.pk)


def _objects(users: dict[str, User]) -> dict[str, dict[str, str]]:
    """kind -> {"own": id, "other": id} (unscoped kinds: {"": id})."""
    from samverka.agreements.models import Agreement
    from samverka.catalogue.models import Service, TaxonomyTerm
    from samverka.dialogue.models import ActionItem, Forum, Hearing
    from samverka.vouchers.models import Accreditation, Claim, Voucher, VoucherScheme

    akershus = Area.objects.get(country="NO", kind="county", code="32")
    varmland = Area.objects.get(country="SE", kind="county", code="17")
    own_org = Organisation.objects.get(roles__user=users["ngo_admin"], roles__role="admin")
    ngo_other = User.objects.get(email="ngo.varmland@samverka.example")
    other_org = Organisation.objects.get(roles__user=ngo_other, roles__role="admin")
    own_service = Service.objects.filter(organisation=own_org, status="active").order_by("name_nb").first()
    other_service = Service.objects.filter(organisation=other_org, status="active").order_by("name_sv").first()
    assert own_service and other_service, "the demo has no published service of the NGO admins' organisations"
    scheme = VoucherScheme.objects.get(area__parent=akershus)
    voucher = Voucher.objects.filter(scheme=scheme).order_by("created_at").first()
    dialogue = _other_dialogue(users["coordinator_other"], varmland)
    vouchers = _other_vouchers(User.objects.get(email="officer.varmland@samverka.example"))
    return {
        "area": {"own": str(akershus.pk), "other": str(varmland.pk)},
        "organisation": {"own": str(own_org.pk), "other": str(other_org.pk)},
        "service": {"own": str(own_service.pk), "other": str(other_service.pk), "draft": _draft(own_org, users)},
        "proposal": {"own": _proposal(own_service, users["ngo_admin"]), "other": _proposal(other_service, ngo_other)},
        "agreement": {
            "own": str(Agreement.objects.get(area__parent=akershus).pk),
            "other": str(Agreement.objects.get(area=varmland).pk),
        },
        "forum": {"own": str(Forum.objects.get(area=akershus).pk), "other": dialogue["forum"]},
        "action": {
            "own": str(ActionItem.objects.filter(forum__area=akershus).order_by("title").first().pk),
            "other": dialogue["action"],
        },
        "hearing": {"own": str(Hearing.objects.get(area=akershus).pk), "other": dialogue["hearing"]},
        "scheme": {"own": str(scheme.pk), "other": vouchers["scheme"]},
        "voucher": {"own": str(voucher.pk), "other": vouchers["voucher"]},
        "claim": {
            "own": str(Claim.objects.filter(voucher=voucher).order_by("created_at").first().pk),
            "other": vouchers["claim"],
        },
        "resident": {"own": str(voucher.resident_id), "other": vouchers["resident"]},
        "accreditation": {
            "own": str(
                Accreditation.objects.filter(scheme=scheme, status="approved").order_by("created_at").first().pk
            ),
            "other": vouchers["accreditation"],
        },
        "country": {"own": "NO", "other": "SE"},
        "org_number": {"own": valid_number("NO"), "other": valid_number("SE")},
        "year": {
            "own": str(own_org.years.order_by("-year").values_list("year", flat=True).first()),
            "other": str(other_org.years.order_by("-year").values_list("year", flat=True).first()),
        },
        "term": {"": str(TaxonomyTerm.objects.order_by("code").first().pk)},
    }


@pytest.fixture
def world():
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = role_users("api.matrix")
    tokens = {role: _token(user) for role, user in users.items()}
    objects = _objects(users)
    other_user = User.objects.get(email="officer.varmland@samverka.example")
    # A personal token: "own" is the caller's own (anonymous: the own-area coordinator's), "other" someone else's.
    objects["token"] = {"other": str(_token(other_user)[1].pk)}
    mine = {role: str(token.pk) for role, (_raw, token) in tokens.items()}
    mine["anonymous"] = mine["coordinator_own"]
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, (raw, _token_row) in tokens.items():
        clients[role] = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {raw}"})
    # The documents as served: (method, path) of every operation, and whether it declares any security.
    documents = [Client().get(url).json() for url in DOCUMENTS]
    operations = [
        (method, path)
        for document in documents
        for path, item in document["paths"].items()
        for method in item
        if method in {"get"} | WRITES
    ]
    security = {
        f"{method.upper()} {path}": bool(item[method].get("security"))
        for document in documents
        for path, item in document["paths"].items()
        for method in item
    }
    return clients, objects, mine, operations, security


# -- the rows ----------------------------------------------------------------------------------------------------
def _kind(path: str, param: str) -> str:
    if param in PARAM_KINDS:
        return PARAM_KINDS[param]
    parts = path.split("/")
    before = parts[parts.index("{" + param + "}") - 1]
    if param == "pk" and before in PK_KINDS:
        return PK_KINDS[before]
    raise AssertionError(f"{path}: teach the API matrix which object {{{param}}} names")


@dataclass
class Row:
    key: str  # "METHOD /path" and, for an object of an area, " · own" or " · other"
    method: str
    path: str
    scope: str
    values: dict[str, str]  # path parameter -> value ("" for the caller's own token)
    body: dict | None


def _rows(operations, objects) -> list[Row]:
    rows = []
    for method, path in operations:
        op = f"{method.upper()} {path}"
        params = re.findall(r"{(\w+)}", path)
        kinds = {p: _kind(path, p) for p in params if p not in FIXED_PARAMS and p != "year"}
        scoped = any(k not in UNSCOPED_KINDS for k in kinds.values()) or op in BODY_SCOPED
        extra = tuple(x for k in kinds.values() for x in EXTRA_SCOPES.get(k, ()))
        for scope in ("own", "other", *extra) if scoped else ("",):
            values = {p: "" if k == "token" and scope == "own" else objects[k][scope] for p, k in kinds.items()}
            values |= {p: v for p, v in FIXED_PARAMS.items() if p in params}
            if "year" in params:
                values["year"] = objects["year"][scope]
            body = None
            if method in WRITES:
                at_scope = {k: ids.get(scope, ids.get("own", "")) for k, ids in objects.items()}
                body = BODIES[op](at_scope) if op in BODIES else {}
            rows.append(Row(f"{op} · {scope}" if scope else op, method, path, scope, values, body))
    return rows


def _url(row: Row, mine: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: row.values[m.group(1)] or mine, row.path)


def _call(client: Client, row: Row, mine: str) -> str:
    """One call: the status, with † when it wrote an `access.denied` event. Writes are rolled back."""
    denied = AuditEvent.objects.filter(action="access.denied")
    url = _url(row, mine)
    with transaction.atomic():
        before = denied.count()
        if row.body is None:
            status = client.get(url).status_code
        else:
            body = json.dumps(row.body)
            headers = {"Idempotency-Key": "api-matrix"}
            status = client.generic(row.method.upper(), url, body, "application/json", headers=headers).status_code
        audited = denied.count() > before
        transaction.set_rollback(True)
    return f"{status}{DENIED if audited else ''}"


def _status(cell: str) -> int:
    return int(cell.rstrip(DENIED))


def _problems(table: dict[str, dict[str, str]], rows: dict[str, Row]) -> list[tuple]:
    problems = []
    for key, cells in table.items():
        row = rows[key]
        op = f"{row.method.upper()} {row.path}"
        public = op in PUBLIC_OPERATIONS or row.path.startswith(PUBLIC_PREFIXES)
        status = {role: _status(cell) for role, cell in cells.items()}
        if any(code >= 500 for code in status.values()):
            problems.append((key, "5xx", cells))
        if not public and status["anonymous"] != 401:
            problems.append((key, "an anonymous caller is not refused with 401", cells))
        if status["platform_admin"] in (401, 403, 404) and key not in ADMIN_REFUSED and key not in KNOWN_BUGS:
            problems.append((key, "the platform admin is refused", cells))
        if not row.scope:
            continue
        if "{token_id}" in row.path:
            # A personal token: "own" is each caller's own, "other" another user's, which no one else may touch.
            if row.scope == "other" and any(cell != "404" + DENIED for r, cell in cells.items() if r != "anonymous"):
                problems.append((key, "another user's token is reachable or its refusal not audited", cells))
            continue
        # The coordinator of the other area: Värmland's for an Akershus object, Akershus' for a Värmland one.
        outsider = "coordinator_own" if row.scope == "other" else "coordinator_other"
        cell, code = cells[outsider], status[outsider]
        if row.method == "get":
            if 200 <= status["anonymous"] < 300:
                continue  # a public object (published service, open forum, area…)
            if code != 404:
                problems.append((key, f"{outsider} reads another area's private object", cells))
            elif not cell.endswith(DENIED) and key not in NOT_AUDITED:
                problems.append((key, f"{outsider}'s 404 wrote no access.denied event", cells))
        elif key not in OPEN_TO_SIGNED_IN:
            refused = {403, 404} | ({422} if key in REFUSED_AS_INVALID else set())
            if code not in refused:
                problems.append((key, f"{outsider} acts on another area's object", cells))
            elif code == 404 and not cell.endswith(DENIED) and key not in NOT_AUDITED:
                problems.append((key, f"{outsider}'s 404 wrote no access.denied event", cells))
    return problems


def test_api_access_matrix(world):
    """Every API operation × every role × own/other area: the rules hold and the table is the recorded one."""
    clients, objects, mine, operations, security = world
    unsecured = {
        op for op, secured in security.items() if not secured and not op.split()[1].startswith(PUBLIC_PREFIXES)
    }
    assert unsecured == PUBLIC_OPERATIONS, f"public operations changed: {unsecured ^ PUBLIC_OPERATIONS}"
    rows = {row.key: row for row in _rows(operations, objects)}
    table = {key: {role: _call(clients[role], row, mine[role]) for role in ROLES} for key, row in rows.items()}

    assert len({f"{r.method} {r.path}" for r in rows.values()}) == len(operations) > 50
    problems = _problems(table, rows)
    assert not problems, "\n".join(map(str, problems))
    stale = set(ADMIN_REFUSED) | set(KNOWN_BUGS) | NOT_AUDITED | OPEN_TO_SIGNED_IN | REFUSED_AS_INVALID
    assert stale <= set(table), f"exceptions naming no row: {stale - set(table)}"

    recorded = json.loads(MATRIX_FILE.read_text()) if MATRIX_FILE.exists() else None
    if recorded is None or os.environ.get("SAMVERKA_UPDATE_ACCESS_MATRIX") == "1":
        MATRIX_FILE.write_text(json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        _write_doc(table)
        recorded = table
    changed = {
        r: (recorded.get(r), table.get(r)) for r in set(recorded) | set(table) if recorded.get(r) != table.get(r)
    }
    assert not changed, f"access changed (rerun with SAMVERKA_UPDATE_ACCESS_MATRIX=1 if intended): {changed}"


def _write_doc(table: dict[str, dict[str, str]]) -> None:
    lines = [
        DOC_START,
        "Generated by `tests/security/test_api_access_matrix.py`: every operation of `/api/v1/openapi.json` and",
        "`/api/hsds/openapi.json`, called by each role with a personal API token (anonymous: none). Path ids are",
        "filled from the demo data with an object of the own area (Akershus) and, for an object of an area or an",
        "organisation, with one of another area (Värmland, built by the test where the demo has none). Writes are",
        "sent inside a rolled-back transaction with the least valid body (`{}` where every field is optional).",
        "The other area's forum is closed and its hearing a draft; *draft* is an unpublished service of the own",
        "organisation; for `{token_id}`, *own* is the caller's own token and *other* another user's.",
        "200/201/204 = done, 401 = no credentials (or a token where a browser session is needed), 403 = refused,",
        "404 = not found (another tenant's object; † = the refusal wrote an `access.denied` audit event),",
        "409 = refused by the object's state, 422 = invalid for this caller or this object.",
        "The test fails when any cell changes.",
        "",
        "| operation | object | " + " | ".join(r.replace("_", " ") for r in ROLES) + " |",
        "|" + "---|" * (len(ROLES) + 2),
    ]
    for key, row in sorted(table.items()):
        op, _sep, scope = key.partition(" · ")
        lines.append(f"| `{op}` | {scope} | " + " | ".join(row[r] for r in ROLES) + " |")
    if KNOWN_BUGS:
        lines += ["", "Known bugs, recorded as they answer today (the test's `KNOWN_BUGS`):", ""]
        lines += [f"- `{key}`: {reason}" for key, reason in sorted(KNOWN_BUGS.items())]
    else:
        lines += ["", "No known authorisation bug is recorded (the test's `KNOWN_BUGS` is empty)."]
    lines.append(DOC_END)
    text = DOC.read_text()
    block = "\n".join(lines)
    if DOC_START in text:
        before, rest = text.split(DOC_START, 1)
        text = before + block + rest.split(DOC_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Access matrix: API\n\n" + block + "\n"
    DOC.write_text(text)
