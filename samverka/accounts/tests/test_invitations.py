import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from samverka.accounts.models import AreaRole, Invitation, InvitationStatus, OrganisationRole, User
from samverka.accounts.services import invitation_create, invitation_revoke, invitation_token
from samverka.accounts.tasks import send_invitation_email
from samverka.audit.models import AuditEvent
from samverka.core.errors import NotFound, ValidationError

from .factories import (
    PASSWORD,
    grant_area_role,
    grant_organisation_role,
    make_area,
    make_organisation,
    make_user,
    plain_login,
    staff_login,
)

pytestmark = pytest.mark.django_db


def _accept_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitations/\S+/)", body).group(1)


def test_area_invitation_end_to_end(client, coordinator, town, django_capture_on_commit_callbacks):
    staff_login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invite/",
            {
                "email": "New.Officer@Example.org",
                "target": "area",
                "area": town.pk,
                "area_role": "officer",
                "capabilities": ["grants", "premises"],
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.officer@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.officer@example.org"]
    path = _accept_path(mail.outbox[0].body)
    raw = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest() != raw

    invitee = Client()
    page = invitee.get(path)
    assert page.status_code == 200 and "Testby" in page.content.decode()
    done = invitee.post(
        path, {"full_name": "Nora Officer", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"}
    )
    assert done.status_code == 302
    assert done["Location"] == f"/areas/{town.pk}/"
    user = User.objects.get(email="new.officer@example.org")
    assert user.full_name == "Nora Officer" and user.check_password("a-Long-pass-1234")
    role = AreaRole.objects.get(user=user)
    assert (role.area, role.role, role.capabilities) == (town, "officer", ["grants", "premises"])
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.accepted_by == user
    assert invitee.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="invitation.accept", object_id=str(invitation.pk)).exists()
    assert AuditEvent.objects.filter(action="area_role.grant", actor=coordinator).exists()

    again = Client().get(path)
    assert again.status_code == 410 and "cannot be used" in again.content.decode()


def test_organisation_invitation_end_to_end(client, coordinator, town, django_capture_on_commit_callbacks):
    org = make_organisation("Frivilligsentralen", areas=[town])
    staff_login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invite/",
            {
                "email": "admin@lag.example",
                "target": "organisation",
                "organisation": org.pk,
                "organisation_role": "admin",
            },
        )
    assert response.status_code == 302
    path = _accept_path(mail.outbox[0].body)
    invitee = Client()
    done = invitee.post(path, {"full_name": "Ola", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"})
    assert done["Location"] == f"/organisations/{org.pk}/"
    assert OrganisationRole.objects.get(user__email="admin@lag.example").role == "admin"


def test_existing_user_logs_in_and_accepts(coordinator, town):
    existing = make_user("known@example.org")
    invitation = invitation_create(actor=coordinator, email="known@example.org", area=town, area_role="viewer")
    path = f"/accounts/invitations/{invitation_token(invitation)}/"
    client = Client()
    page = client.get(path)
    assert page.context["existing"] and "/accounts/login/?next=" in page.content.decode()
    assert client.post(path, {"full_name": "x", "password1": "y", "password2": "y"}).status_code == 200
    assert not AreaRole.objects.filter(user=existing).exists()

    login = client.post("/accounts/login/", {"username": existing.email, "password": PASSWORD, "next": path})
    assert login["Location"] == path
    assert client.post(path)["Location"] == f"/areas/{town.pk}/"
    assert AreaRole.objects.get(user=existing).role == "viewer"


def test_invitation_for_another_address_cannot_be_taken_by_a_logged_in_user(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="someone@example.org", area=town, area_role="viewer")
    intruder = make_user()
    client = Client()
    plain_login(client, intruder)
    path = f"/accounts/invitations/{invitation_token(invitation)}/"
    assert client.get(path).context["wrong_user"]
    client.post(path)
    assert not AreaRole.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_expired_invitation_is_refused_with_a_friendly_page(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="late@example.org", area=town, area_role="viewer")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    path = f"/accounts/invitations/{invitation_token(invitation)}/"
    client = Client()
    assert client.get(path).status_code == 410
    fields = {"full_name": "Late", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"}
    response = client.post(path, fields)
    assert response.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_revoked_invitation_is_refused(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="gone@example.org", area=town, area_role="viewer")
    invitation_revoke(actor=coordinator, invitation=invitation)
    assert Client().get(f"/accounts/invitations/{invitation_token(invitation)}/").status_code == 410


def test_unknown_invitation_token_is_404():
    response = Client().get("/accounts/invitations/not-a-token/")
    assert response.status_code == 404 and "could not find" in response.content.decode()


def test_weak_password_on_acceptance_is_refused_and_saves_nothing(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="weak@example.org", area=town, area_role="viewer")
    path = f"/accounts/invitations/{invitation_token(invitation)}/"
    response = Client().post(path, {"full_name": "W", "password1": "12345", "password2": "12345"})
    assert response.status_code == 422
    assert not User.objects.filter(email="weak@example.org").exists()


def test_coordinator_cannot_invite_into_another_area(client, coordinator):
    elsewhere = make_area("Annenby")
    staff_login(client, coordinator)
    response = client.post(
        "/accounts/invite/",
        {
            "email": "x@example.org",
            "target": "area",
            "area": elsewhere.pk,
            "area_role": "coordinator",
        },
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == coordinator and denied.object_id == str(elsewhere.pk)


def test_coordinator_cannot_invite_to_an_organisation_outside_their_areas(coordinator):
    org = make_organisation("Elsewhere", areas=[make_area("Annenby")])
    with pytest.raises(NotFound):
        invitation_create(actor=coordinator, email="x@example.org", organisation=org, organisation_role="member")
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(org.pk)).exists()


def test_officer_cannot_invite(town):
    officer = make_user()
    grant_area_role(officer, town, "officer", ["grants"])
    with pytest.raises(NotFound):
        invitation_create(actor=officer, email="x@example.org", area=town, area_role="viewer")
    client = Client()
    staff_login(client, officer)
    assert client.get("/accounts/invite/").status_code == 403


def test_organisation_admin_invites_to_own_organisation_only():
    admin = make_user()
    org = make_organisation("Eget lag")
    grant_organisation_role(admin, org, "admin")
    invitation = invitation_create(
        actor=admin, email="member@example.org", organisation=org, organisation_role="member"
    )
    assert invitation.organisation == org
    with pytest.raises(NotFound):
        invitation_create(
            actor=admin, email="m@example.org", organisation=make_organisation("Annet lag"), organisation_role="member"
        )
    member = make_user()
    grant_organisation_role(member, org, "member")
    with pytest.raises(NotFound):
        invitation_create(actor=member, email="m2@example.org", organisation=org, organisation_role="member")


def test_invitation_needs_one_target_and_a_role(coordinator, town):
    with pytest.raises(ValidationError) as exc:
        invitation_create(actor=coordinator, email="not-an-email", area=town, area_role="boss")
    assert {"email", "area_role"} <= set(exc.value.errors)
    with pytest.raises(ValidationError):
        invitation_create(actor=coordinator, email="a@example.org")


def test_second_pending_invitation_to_the_same_place_is_refused(coordinator, town):
    invitation_create(actor=coordinator, email="a@example.org", area=town, area_role="viewer")
    with pytest.raises(ValidationError) as exc:
        invitation_create(actor=coordinator, email="A@example.org", area=town, area_role="officer")
    assert "email" in exc.value.errors


def test_invitation_email_task_is_idempotent(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="a@example.org", area=town, area_role="viewer")
    assert send_invitation_email.call(str(invitation.pk)) is True
    assert send_invitation_email.call(str(invitation.pk)) is False
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_invitation_lapses_when_the_inviter_loses_their_role(coordinator, town):
    invitation = invitation_create(actor=coordinator, email="a@example.org", area=town, area_role="viewer")
    AreaRole.objects.filter(user=coordinator).delete()
    response = Client().post(
        f"/accounts/invitations/{invitation_token(invitation)}/",
        {"full_name": "A", "password1": "a-Long-pass-1234", "password2": "a-Long-pass-1234"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="a@example.org").exists()


def test_invitations_page_lists_only_the_coordinators_areas_and_revokes_after_confirming(client, coordinator, town):
    mine = invitation_create(actor=coordinator, email="mine@example.org", area=town, area_role="viewer")
    other_coordinator = make_user()
    other_area = make_area("Annenby")
    grant_area_role(other_coordinator, other_area, "coordinator")
    theirs = invitation_create(actor=other_coordinator, email="theirs@example.org", area=other_area, area_role="viewer")
    staff_login(client, coordinator)
    html = client.get("/accounts/invitations/").content.decode()
    assert "mine@example.org" in html and "theirs@example.org" not in html

    url = f"/accounts/invitations/{mine.pk}/revoke/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.status == InvitationStatus.REVOKED

    assert client.post(f"/accounts/invitations/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == InvitationStatus.PENDING
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(theirs.pk)).exists()


def test_invite_page_offers_only_managed_areas(client, coordinator, town):
    make_area("Annenby")
    staff_login(client, coordinator)
    response = client.get("/accounts/invite/")
    html = response.content.decode()
    assert "Testby" in html and "Testfylke" in html and "Annenby" not in html
