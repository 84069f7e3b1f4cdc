"""Accreditation documents: several files from the form, the type read from the content, a size limit."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverka.accounts.tests.factories import grant_organisation_role, make_organisation, make_user, plain_login
from samverka.core.errors import ValidationError
from samverka.vouchers import services
from samverka.vouchers.models import Accreditation, AccreditationDocument
from samverka.vouchers.services.documents import MAX_DOCUMENT_BYTES, sniff

from .factories import officer, scheme

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def _setup():
    off = officer()
    s = scheme(off)
    org = make_organisation("Frivillig hjelp", areas=[s.area])
    admin = make_user()
    grant_organisation_role(admin, org, "admin")
    return s, org, admin


@pytest.mark.parametrize(
    "content,kind",
    [(PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 10, "jpeg"), (_docx(), "docx"), (_odt(), "odt")],
)
def test_sniff_recognises_accepted_types_by_content(content, kind):
    assert sniff(io.BytesIO(content)) == kind


@pytest.mark.parametrize("content", [b"MZ\x90\x00 an exe", b"<html><script>", b"PK\x03\x04 broken zip"])
def test_sniff_refuses_other_content(content):
    assert sniff(io.BytesIO(content)) is None


def test_a_small_archive_that_would_expand_to_megabytes_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * 50_000_000)
    assert len(buffer.getvalue()) < 100_000
    assert sniff(io.BytesIO(buffer.getvalue())) is None


def test_an_archive_with_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for n in range(5_001):
            archive.writestr(f"x{n}", "")
    assert sniff(io.BytesIO(buffer.getvalue())) is None


def test_form_uploads_several_documents_with_titles(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    s, org, admin = _setup()
    plain_login(client, admin)
    files = [
        SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        SimpleUploadedFile("plan.docx", _docx(), content_type="application/octet-stream"),
    ]
    response = client.post(
        reverse("vouchers:apply", args=[s.pk]),
        {
            "organisation": str(org.pk),
            "price": "400",
            "answer_0": "Yes",
            "document_titles": "Quality policy\nLogo",
            "documents": files,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    titles = list(AccreditationDocument.objects.order_by("created_at").values_list("title", flat=True))
    assert titles == ["Quality policy", "Logo", "plan.docx"]


def test_a_disguised_file_refuses_the_whole_application_and_saves_nothing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    s, org, admin = _setup()
    plain_login(client, admin)
    files = [
        SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
    ]
    response = client.post(
        reverse("vouchers:apply", args=[s.pk]),
        {"organisation": str(org.pk), "price": "400", "answer_0": "Yes", "documents": files},
    )
    assert response.status_code == 422
    assert "cv.pdf" in response.content.decode()
    assert not Accreditation.objects.exists() and not AccreditationDocument.objects.exists()


def test_a_document_above_the_size_limit_is_refused():
    s, org, admin = _setup()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.accreditation_apply(
            actor=admin,
            scheme=s,
            organisation=org,
            data={"price": "400", "answers": {"0": "Yes"}},
            documents=[("Big", big)],
        )
    assert "10 MB" in " ".join(exc.value.errors["documents"])
    assert not Accreditation.objects.exists()


def test_too_many_documents_are_refused():
    s, org, admin = _setup()
    docs = [(f"D{i}", SimpleUploadedFile(f"d{i}.pdf", PDF)) for i in range(11)]
    with pytest.raises(ValidationError):
        services.accreditation_apply(
            actor=admin, scheme=s, organisation=org, data={"price": "400", "answers": {"0": "Yes"}}, documents=docs
        )
