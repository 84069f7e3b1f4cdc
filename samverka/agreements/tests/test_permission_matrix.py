"""Every lifecycle action × every role × service, page and API: who may make it, and a refusal changes nothing.

Roles: see roles.py. The agreement lies in Bærum (NO 3201); its coordinator holds Akershus (NO 32) above it; the
other coordinator holds Asker (NO 3203), a sibling. Signatories: the coordinator (public body) and the
organisation's admin. A refusal answers as the app does (service: Forbidden/403; page: login redirect, 403 or 404;
API: 401, 403 or 404), leaves the agreement, its versions, signatures, reviews, comments and audit trail as they
were, and a 404 for someone who may not see the private agreement writes an "access.denied" event.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.tests.factories import confirmed_device, totp_code
from samverka.agreements import services
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Review,
    SectionComment,
    Signatory,
    Signature,
)
from samverka.audit.models import AuditEvent
from samverka.core.errors import ConflictError, DomainError

from .factories import make_world
from .roles import MANAGERS, ROLES, SEES_PRIVATE, login, make_cast

pytestmark = pytest.mark.django_db

S = AgreementStatus
NEW_END = datetime.date(2035, 12, 31)
TEXT = [{"heading": "1. Parter", "text": "Endret tekst i matrisen."}]

# action: (the state it is made from, the roles allowed, channels)
TRANSITION_ACTIONS = {action: (allowed[0], MANAGERS) for action, (allowed, _target) in services.TRANSITIONS.items()}
ACTIONS = {
    **TRANSITION_ACTIONS,
    "version": (S.DRAFT, MANAGERS),
    "comment": (S.CONSULTATION, MANAGERS | {"org_admin"}),  # coordinators, party admins and signatories
    "sign": (S.SIGNING, frozenset({"coordinator", "org_admin"})),  # the signatories only
}
CHANNELS = dict.fromkeys(ACTIONS, ("service", "page", "api"))
CHANNELS["comment"] = ("service", "page")  # no API for section comments
# Which states allow each action (anything else is a 409 that changes nothing).
ALLOWED_STATES = {action: set(allowed) for action, (allowed, _t) in services.TRANSITIONS.items()}
ALLOWED_STATES["version"] = {S.DRAFT, S.CONSULTATION, S.REVIEW}
ALLOWED_STATES["comment"] = {S.CONSULTATION}
ALLOWED_STATES["sign"] = {S.SIGNING}


def fresh_agreement(w) -> Agreement:
    """A draft agreement between Bærum and the organisation, each party with its signatory."""
    agreement = services.agreement_create(
        actor=w.coordinator,
        area=w.municipality,
        kind="municipal_cooperation",
        title="Samarbeidsavtale",
        organisations=[w.organisation],
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2030, 12, 31),
        sections=[{"heading": "1. Parter", "text": "Kommunen og foreningen."}],
    )
    public, org_party = sorted(agreement.parties.all(), key=lambda p: p.organisation_id is not None)
    services.signatory_add(actor=w.coordinator, party=public, user=w.coordinator, position="Kommunedirektør")
    services.signatory_add(actor=w.coordinator, party=org_party, user=w.org_admin, position="Styreleder")
    return Agreement.objects.get(pk=agreement.pk)


@pytest.fixture
def world():
    w = make_world()
    w.cast = make_cast(
        coordinator=w.coordinator,
        org_admin=w.org_admin,
        organisation=w.organisation,
        object_area=w.municipality,
        coordinator_area=w.county,
    )
    return w


def put_in_state(agreement: Agreement, status: str) -> Agreement:
    """Set up `status` directly, with what that state implies: a frozen version from signing on, every
    signature once active, an open review during review."""
    version = agreement.current_version
    after_signing = {S.SIGNING, S.ACTIVE, S.REVIEW, S.RENEWED, S.ENDED}
    if status in after_signing:
        AgreementVersion.objects.filter(pk=version.pk).update(frozen=True)
    if status in after_signing - {S.SIGNING}:
        for signatory in Signatory.objects.filter(party__agreement=agreement):
            Signature.objects.create(
                version=version,
                signatory=signatory,
                user=signatory.user,
                signed_at=timezone.now(),
                text_sha256=version.text_sha256,
                mfa_device="test",
            )
    if status == S.REVIEW:
        Review.objects.create(agreement=agreement, year=timezone.localdate().year)
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    return Agreement.objects.get(pk=agreement.pk)


def fingerprint(agreement: Agreement) -> dict:
    """Everything a refused action must leave alone."""
    a = Agreement.objects.get(pk=agreement.pk)
    return {
        "agreement": {
            f: getattr(a, f)
            for f in (
                "status",
                "title",
                "starts",
                "ends",
                "review_date",
                "published",
                "renewal_decision",
                "current_version_id",
                "updated_at",
            )
        },
        "versions": list(
            AgreementVersion.objects.filter(agreement=a)
            .order_by("number")
            .values_list("number", "frozen", "text_sha256", "updated_at")
        ),
        "signatures": sorted(
            str(pk) for pk in Signature.objects.filter(version__agreement=a).values_list("pk", flat=True)
        ),
        "reviews": list(Review.objects.filter(agreement=a).order_by("year").values_list("year", "status")),
        "comments": SectionComment.objects.filter(version__agreement=a).count(),
        "audit": list(AuditEvent.objects.exclude(action="access.denied").order_by("pk").values_list("pk", flat=True)),
    }


def denials(agreement: Agreement) -> int:
    return AuditEvent.objects.filter(action="access.denied", object_id=str(agreement.pk)).count()


def _code(user) -> str:
    """The current code of the user's authenticator (anonymous: any code)."""
    return totp_code(confirmed_device(user)) if user.is_authenticated else "123456"


def call_service(action: str, actor, agreement: Agreement):
    if action in services.TRANSITIONS:
        return services.agreement_transition(
            actor=actor, agreement=agreement, action=action, ends=NEW_END if action == "renew" else None
        )
    if action == "version":
        return services.version_create(actor=actor, agreement=agreement, title="Ny tittel", sections=TEXT)
    if action == "comment":
        return services.comment_add(actor=actor, agreement=agreement, section_index=0, text="Kommentar")
    sha = agreement.current_version.text_sha256
    return services.agreement_sign(actor=actor, agreement=agreement, otp_token=_code(actor), text_sha256=sha)


def post_page(client, action: str, agreement: Agreement, user):
    pk = agreement.pk
    if action in services.TRANSITIONS:
        data = {"ends": NEW_END.isoformat()} if action == "renew" else {}
        return client.post(reverse("agreements:transition", args=[pk, action]), data)
    if action == "version":
        return client.post(
            reverse("agreements:edit_text", args=[pk]), {"title": "Ny tittel", "text": "## 1. Parter\nEndret tekst."}
        )
    if action == "comment":
        return client.post(reverse("agreements:comment", args=[pk]), {"section_index": "0", "text": "Kommentar"})
    data = {"otp_token": _code(user), "text_sha256": agreement.current_version.text_sha256}
    return client.post(reverse("agreements:sign", args=[pk]), data)


def post_api(client, action: str, agreement: Agreement, user):
    base = f"/api/v1/agreements/agreements/{agreement.pk}"
    if action in services.TRANSITIONS:
        payload = {"ends": NEW_END.isoformat()} if action == "renew" else {}
        return client.post(f"{base}/actions/{action}", payload, content_type="application/json")
    if action == "version":
        payload = {"title": "Ny tittel", "sections": TEXT}
        return client.post(f"{base}/versions", payload, content_type="application/json")
    payload = {"otp_token": _code(user), "text_sha256": agreement.current_version.text_sha256}
    return client.post(f"{base}/sign", payload, content_type="application/json")


def expected_page(action: str, role: str) -> int:
    if role == "anonymous":
        return 302  # to the login page
    if action in services.TRANSITIONS or action == "version" or role not in SEES_PRIVATE:
        return 404  # these pages load the agreement for managing; outsiders never learn it exists
    return 404 if action == "sign" else 403  # the sign page exists only for signatories


def expected_api(role: str) -> int:
    if role == "anonymous":
        return 401
    return 403 if role in SEES_PRIVATE else 404


REFUSED = [(action, role) for action, (_s, allowed) in ACTIONS.items() for role in ROLES if role not in allowed]
ALLOWED = [(action, role) for action, (_s, allowed) in ACTIONS.items() for role in sorted(allowed)]


@pytest.mark.parametrize(("action", "role"), REFUSED)
def test_a_forbidden_lifecycle_action_is_refused_everywhere_and_changes_nothing(client, world, action, role):
    state, _allowed = ACTIONS[action]
    agreement = put_in_state(fresh_agreement(world), state)
    user = world.cast[role]
    before = fingerprint(agreement)

    with pytest.raises(DomainError) as exc:
        call_service(action, user, agreement)
    assert exc.value.status_code == 403, f"service: {exc.value.detail}"
    assert fingerprint(agreement) == before, "service"

    login(client, role, user)
    denied = denials(agreement)
    response = post_page(client, action, agreement, user)
    assert response.status_code == expected_page(action, role), "page"
    if role == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    elif response.status_code == 404 and (role not in SEES_PRIVATE or action != "sign"):
        assert denials(agreement) == denied + 1, "page: access.denied"
    assert fingerprint(agreement) == before, "page"

    if "api" in CHANNELS[action]:
        denied = denials(agreement)
        response = post_api(client, action, agreement, user)
        assert response.status_code == expected_api(role), f"api: {response.content!r}"
        assert response.json()["detail"]
        if response.status_code == 404:
            assert denials(agreement) == denied + 1, "api: access.denied"
        assert fingerprint(agreement) == before, "api"


def _assert_made(action: str, before: dict, agreement: Agreement, user) -> None:
    a = Agreement.objects.get(pk=agreement.pk)
    if action in services.TRANSITIONS:
        assert a.status == services.TRANSITIONS[action][1]
        if action == "renew":
            assert a.ends == NEW_END and a.renewal_decision == "renew"
    elif action == "version":
        assert a.current_version.number == 2 and a.title == "Ny tittel"
    elif action == "comment":
        assert SectionComment.objects.filter(version__agreement=a).count() == before["comments"] + 1
    else:
        assert Signature.objects.filter(version=a.current_version).count() == 1
        assert a.status == S.SIGNING  # one of two signatories has signed
    audit_action = {"version": "version_create", "comment": "comment_add"}.get(action, action)
    event = AuditEvent.objects.get(action=f"agreement.{audit_action}", object_id=str(a.pk))
    assert event.actor_id == user.pk


@pytest.mark.parametrize(("action", "role"), ALLOWED)
def test_an_allowed_lifecycle_action_succeeds_everywhere_and_is_audited(client, world, action, role):
    state, _allowed = ACTIONS[action]
    user = world.cast[role]
    login(client, role, user)
    for channel in CHANNELS[action]:
        # Each channel signs with the current code: forget the last one used, as 30 seconds later.
        TOTPDevice.objects.filter(user__in=[world.coordinator, world.org_admin]).update(last_t=-1)
        agreement = put_in_state(fresh_agreement(world), state)
        before = fingerprint(agreement)
        if channel == "service":
            call_service(action, user, agreement)
        else:
            post = post_page if channel == "page" else post_api
            response = post(client, action, agreement, user)
            assert response.status_code in ((302,) if channel == "page" else (200, 201)), response.content[:500]
        _assert_made(action, before, agreement, user)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_in_the_wrong_state_is_409_everywhere_and_changes_nothing(client, world, action):
    actor = world.coordinator  # a manager and a signatory: only the state stands in the way
    login(client, "coordinator", actor)
    for state in [s for s in S.values if s not in ALLOWED_STATES[action]]:
        agreement = put_in_state(fresh_agreement(world), state)
        before = fingerprint(agreement)
        with pytest.raises(ConflictError):
            call_service(action, actor, agreement)
        assert fingerprint(agreement) == before, f"service in {state}"
        assert post_page(client, action, agreement, actor).status_code == 409, f"page in {state}"
        assert fingerprint(agreement) == before, f"page in {state}"
        if "api" in CHANNELS[action]:
            response = post_api(client, action, agreement, actor)
            assert response.status_code == 409 and response.json()["detail"], f"api in {state}"
            assert fingerprint(agreement) == before, f"api in {state}"
