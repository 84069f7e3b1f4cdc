"""The PDF of a signed version is printed once, stored with its SHA-256 and served byte-identical ever after."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from samverka.accounts.tests.factories import staff_login
from samverka.agreements import pdf, services
from samverka.agreements.models import AgreementStatus, SignedPdf
from samverka.core.errors import ConflictError

from .factories import make_world, to_signing
from .test_versions_signatures_reminders import _sign_everyone

pytestmark = pytest.mark.django_db


def _download(client, agreement, number):
    response = client.get(reverse("agreements:pdf", args=[agreement.pk, number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


def _stored_bytes(stored: SignedPdf) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def test_the_pdf_is_stored_when_the_agreement_activates_and_every_download_serves_the_same_bytes(client):
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    assert a.status == AgreementStatus.ACTIVE
    stored = SignedPdf.objects.get(version=a.current_version)
    content = _stored_bytes(stored)
    assert content.startswith(b"%PDF") and len(content) == stored.size
    assert hashlib.sha256(content).hexdigest() == stored.sha256
    staff_login(client, world.coordinator)
    first, second = _download(client, a, 1), _download(client, a, 1)
    assert first.content == second.content == content
    assert first["X-Content-SHA256"] == stored.sha256 and first["ETag"] == f'"{stored.sha256}"'
    assert SignedPdf.objects.count() == 1
    page = client.get(reverse("agreements:version", args=[a.pk, 1])).text
    assert stored.sha256 in page


def test_an_amendment_gets_its_own_stored_pdf_and_the_first_one_stays_as_it_was(client):
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    v1_pdf = SignedPdf.objects.get(version=a.current_version)
    v1_bytes = _stored_bytes(v1_pdf)
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_review")
    v2 = services.version_create(
        actor=world.coordinator, agreement=a, title=a.title, sections=[{"heading": "1", "text": "Tillegg"}], note="x"
    )
    a = services.agreement_transition(actor=world.coordinator, agreement=a, action="start_signing")
    assert not SignedPdf.objects.filter(version=v2).exists()  # being signed: not stored yet
    a = _sign_everyone(world, a)
    v2_pdf = SignedPdf.objects.get(version=v2)
    assert v2_pdf.sha256 != v1_pdf.sha256 and v2_pdf.file.name != v1_pdf.file.name
    staff_login(client, world.coordinator)
    assert _download(client, a, 1).content == v1_bytes
    assert _download(client, a, 2).content == _stored_bytes(v2_pdf)


def test_a_stored_pdf_can_be_neither_replaced_nor_deleted(client):
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    stored = SignedPdf.objects.get(version=a.current_version)
    original, sha = _stored_bytes(stored), stored.sha256
    stored.sha256 = "0" * 64
    with pytest.raises(ConflictError):
        stored.save()
    with pytest.raises(ConflictError):
        stored.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        SignedPdf.objects.create(version=a.current_version, file="other.pdf", sha256="1" * 64, size=1, language="en")
    # Printing again returns the stored one instead of a new print.
    assert pdf.signed_pdf_store(a, a.current_version).pk == stored.pk
    stored.refresh_from_db()
    assert stored.sha256 == sha and _stored_bytes(stored) == original
    staff_login(client, world.coordinator)
    assert _download(client, a, 1).content == original


def test_a_stored_file_changed_behind_the_applications_back_is_refused_not_served(client):
    world = make_world()
    a = _sign_everyone(world, to_signing(world))
    stored = SignedPdf.objects.get(version=a.current_version)
    storage = stored.file.storage
    storage.delete(stored.file.name)
    storage.save(stored.file.name, ContentFile(b"%PDF-1.7 forged"))
    staff_login(client, world.coordinator)
    response = client.get(reverse("agreements:pdf", args=[a.pk, 1]))
    assert response.status_code == 409 and b"forged" not in response.content
    assert "does not match its SHA-256" in response.text


def test_if_printing_fails_the_signing_still_commits_and_the_first_download_prints_and_stores_the_pdf(
    client, monkeypatch
):
    world = make_world()

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "version_pdf", broken)
    a = _sign_everyone(world, to_signing(world))
    assert a.status == AgreementStatus.ACTIVE and a.current_version.signatures.count() == 2
    assert not SignedPdf.objects.exists()
    monkeypatch.undo()
    staff_login(client, world.coordinator)
    first = _download(client, a, 1)
    stored = SignedPdf.objects.get(version=a.current_version)
    assert first.content == _stored_bytes(stored) == _download(client, a, 1).content
    assert hashlib.sha256(first.content).hexdigest() == stored.sha256


def test_a_text_being_signed_is_printed_on_request_and_not_stored(client):
    world = make_world()
    a = to_signing(world)
    staff_login(client, world.coordinator)
    response = _download(client, a, 1)
    assert response.content.startswith(b"%PDF") and "X-Content-SHA256" not in response
    assert not SignedPdf.objects.exists()
