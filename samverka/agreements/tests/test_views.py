import pytest
from django.urls import reverse

from samverka.accounts.tests.factories import (
    confirmed_device,
    grant_area_role,
    make_user,
    plain_login,
    staff_login,
    totp_code,
)
from samverka.agreements import services
from samverka.agreements.models import Agreement, AgreementStatus
from samverka.audit.models import AuditEvent
from samverka.registry.tests.factories import area

from .factories import make_world, to_signing

pytestmark = pytest.mark.django_db


def test_other_areas_coordinator_gets_404_and_the_attempt_is_audited(client):
    world = make_world()
    other = make_user()
    grant_area_role(other, area("SE", "17"), "coordinator")
    staff_login(client, other)
    response = client.get(reverse("agreements:detail", args=[world.agreement.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(world.agreement.pk)).exists()
    api = client.get(f"/api/v1/agreements/agreements/{world.agreement.pk}")
    assert api.status_code == 404


def test_draft_is_not_in_the_public_register_but_a_published_active_agreement_is(client):
    world = make_world()
    assert client.get(reverse("agreements:public_detail", args=[world.agreement.pk])).status_code == 404
    Agreement.objects.filter(pk=world.agreement.pk).update(published=True, status=AgreementStatus.ACTIVE)
    response = client.get(reverse("agreements:public_register"))
    assert response.status_code == 200 and world.agreement.title in response.text
    detail = client.get(reverse("agreements:public_detail", args=[world.agreement.pk]))
    assert detail.status_code == 200 and "Besøksvenner for eldre." in detail.text
    assert client.get("/api/v1/agreements/public").json()["count"] == 1


def test_coordinator_walks_the_pages(client, django_assert_max_num_queries):
    world = make_world()
    staff_login(client, world.coordinator)
    for name in ("index", "register", "library", "create"):
        assert client.get(reverse(f"agreements:{name}")).status_code == 200
    for name in ("detail", "versions", "parties", "review", "edit_text"):
        assert client.get(reverse(f"agreements:{name}", args=[world.agreement.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("agreements:index")).status_code == 200


def test_transition_page_confirms_then_refuses_wrong_state_with_409(client):
    world = make_world()
    staff_login(client, world.coordinator)
    url = reverse("agreements:transition", args=[world.agreement.pk, "open_consultation"])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 409
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.CONSULTATION


def test_org_admin_cannot_make_transitions_on_the_page(client):
    world = make_world()
    plain_login(client, world.org_admin)
    url = reverse("agreements:transition", args=[world.agreement.pk, "open_consultation"])
    assert client.post(url).status_code == 404
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.DRAFT


def test_compare_highlights_changes_and_escapes_text(client):
    world = make_world()
    services.version_create(
        actor=world.coordinator,
        agreement=world.agreement,
        title=world.agreement.title,
        sections=[{"heading": "1. Parter", "text": "<script>alert(1)</script> ny tekst"}],
    )
    staff_login(client, world.coordinator)
    response = client.get(reverse("agreements:versions", args=[world.agreement.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text and "<ins>" in response.text and "<del>" in response.text


def test_signing_on_the_page_with_a_fresh_code(client):
    world = make_world()
    a = to_signing(world)
    device = confirmed_device(world.org_admin)
    plain_login(client, world.org_admin)
    url = reverse("agreements:sign", args=[a.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"otp_token": "abc", "text_sha256": a.current_version.text_sha256})
    assert bad.status_code == 422
    ok = client.post(url, {"otp_token": totp_code(device), "text_sha256": a.current_version.text_sha256})
    assert ok.status_code == 302
    assert a.current_version.signatures.filter(user=world.org_admin).exists()


def test_pdf_of_a_version_with_signature_page(client):
    world = make_world()
    staff_login(client, world.coordinator)
    response = client.get(reverse("agreements:pdf", args=[world.agreement.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_api_lists_and_transitions(client):
    world = make_world()
    staff_login(client, world.coordinator)
    listing = client.get("/api/v1/agreements/agreements").json()
    assert listing["count"] == 1 and listing["results"][0]["status"] == "draft"
    url = f"/api/v1/agreements/agreements/{world.agreement.pk}/actions/agree"
    refused = client.post(url, content_type="application/json", data={})
    assert refused.status_code == 409 and refused.json()["detail"]
    ok = client.post(
        f"/api/v1/agreements/agreements/{world.agreement.pk}/actions/open_consultation",
        content_type="application/json",
        data={},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "consultation"
