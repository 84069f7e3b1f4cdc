"""Attachment checks: size limit and a type read from the file's first bytes, never from its name."""

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from samverka.core.errors import DomainError, ValidationError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    DOCX: ".docx",
    XLSX: ".xlsx",
    "text/plain": ".txt",
}


class TooLarge(DomainError):
    status_code = 413


def max_bytes() -> int:
    return int(getattr(settings, "DIALOGUE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine.
        if exc.start < len(head) - 3:
            return False
    return True


def sniff(upload) -> str | None:
    """The content type from the content (PDF, PNG, JPEG, DOCX/XLSX, UTF-8 text), or None when not allowed."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head and _is_text(head):
        return "text/plain"
    return None


def check(upload) -> str:
    """Refuse too large (413) or not allowed (422) uploads; return the sniffed content type."""
    if upload.size > max_bytes():
        raise TooLarge(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)},
            {"file": [_("The file is too large.")]},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), {"file": [_("The file is empty.")]})
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("This type of file is not accepted."),
            {"file": [_("Upload a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or plain text file.")]},
        )
    return kind
