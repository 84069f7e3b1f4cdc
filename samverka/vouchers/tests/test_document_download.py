"""Accreditation documents are served through a permission check, as attachments: officers of the scheme's area and
the applying organisation's people; anyone else 404 (audited)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverka.accounts.tests.factories import (
    grant_organisation_role,
    make_organisation,
    make_user,
    plain_login,
    staff_login,
)
from samverka.audit.models import AuditEvent
from samverka.registry.tests.factories import area
from samverka.vouchers.models import AccreditationDocument

from .factories import officer, scheme
from .test_documents import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(client, settings, tmp_path):
    """An organisation has applied with one PDF; returns (officer, org admin, document)."""
    settings.MEDIA_ROOT = tmp_path
    off = officer()
    s = scheme(off)
    org = make_organisation("Frivillig hjelp", areas=[s.area])
    admin = make_user()
    grant_organisation_role(admin, org, "admin")
    plain_login(client, admin)
    response = client.post(
        reverse("vouchers:apply", args=[s.pk]),
        {
            "organisation": str(org.pk),
            "price": "400",
            "answer_0": "Yes",
            "document_titles": "Quality policy",
            "documents": [SimpleUploadedFile("policy.pdf", PDF, content_type="text/html")],
        },
    )
    assert response.status_code == 302
    client.logout()
    return off, admin, AccreditationDocument.objects.select_related("accreditation").get()


def _url(doc):
    return reverse("vouchers:accreditation_document", args=[doc.accreditation_id, doc.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_officer_downloads_the_document_as_an_attachment_typed_by_its_content(client, applied):
    off, _admin, doc = applied
    staff_login(client, off)
    response = client.get(_url(doc))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and "policy.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == PDF


def test_accreditation_page_links_the_checked_download_not_the_storage(client, applied):
    off, _admin, doc = applied
    staff_login(client, off)
    body = client.get(reverse("vouchers:accreditation_detail", args=[doc.accreditation_id])).content.decode()
    assert _url(doc) in body and doc.file.url not in body


def test_the_applying_organisation_downloads_its_own_document_from_its_provider_page(client, applied):
    _off, admin, doc = applied
    plain_login(client, admin)
    assert _url(doc) in client.get(reverse("vouchers:provider_home")).content.decode()
    response = client.get(_url(doc))
    assert response.status_code == 200 and _body(response) == PDF


def test_another_organisation_and_another_areas_officer_get_404_and_it_is_audited(client, applied):
    _off, _admin, doc = applied
    other_admin = make_user()
    grant_organisation_role(other_admin, make_organisation("Annen"), "admin")
    plain_login(client, other_admin)
    assert client.get(_url(doc)).status_code == 404
    client.logout()
    staff_login(client, officer(area("NO", "03", "county")))
    assert client.get(_url(doc)).status_code == 404
    denials = AuditEvent.objects.filter(action="access.denied", object_id=str(doc.accreditation_id))
    assert denials.count() == 2


def test_anonymous_is_sent_to_sign_in_and_a_document_of_another_accreditation_is_404(client, applied):
    off, _admin, doc = applied
    assert client.get(_url(doc)).status_code == 302
    staff_login(client, off)
    wrong = reverse("vouchers:accreditation_document", args=[off.pk, doc.pk])
    assert client.get(wrong).status_code == 404
