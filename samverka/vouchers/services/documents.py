"""Accreditation documents: the type is read from the file's first bytes, never from its name or the browser's
Content-Type, and every file has a size limit."""

import zipfile

from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 10
ALLOWED_TYPES = "PDF, PNG, JPEG, DOCX, ODT"


# An ODT's mimetype entry is 39 bytes; a document has hundreds of entries at most. Anything beyond is refused
# unread, so a small crafted archive cannot expand in memory (a "zip bomb").
MAX_MIMETYPE_ENTRY_BYTES = 100
MAX_ARCHIVE_ENTRIES = 5_000


def _zip_kind(file) -> str | None:
    """An office document is a zip file: look inside for the marker of a word-processing document."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                return None
            names = {entry.filename for entry in entries}
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= MAX_MIMETYPE_ENTRY_BYTES:
                with archive.open("mimetype") as entry:
                    marker = entry.read(MAX_MIMETYPE_ENTRY_BYTES + 1)
                if marker.strip() == b"application/vnd.oasis.opendocument.text":
                    return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def sniff(file) -> str | None:
    """pdf, png, jpeg, docx, odt or None, from the content."""
    file.seek(0)
    head = file.read(8)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        file.seek(0)
        kind = _zip_kind(file)
    file.seek(0)
    return kind


def validate_documents(errors: dict, documents) -> None:
    """documents: [(title, file)]. Collects one message per problem, naming the file."""
    documents = list(documents)
    if len(documents) > MAX_DOCUMENTS:
        errors.setdefault("documents", []).append(
            _("Send at most %(n)s documents with one application.") % {"n": MAX_DOCUMENTS}
        )
        return
    for title, file in documents:
        name = getattr(file, "name", "") or str(title)
        if not str(title).strip():
            errors.setdefault("documents", []).append(_("Give every document a title."))
        if (getattr(file, "size", 0) or 0) > MAX_DOCUMENT_BYTES:
            errors.setdefault("documents", []).append(_("“%(name)s” is larger than 10 MB.") % {"name": name})
            continue
        if sniff(file) is None:
            errors.setdefault("documents", []).append(
                _("“%(name)s” is not a document we accept (%(types)s).") % {"name": name, "types": ALLOWED_TYPES}
            )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def content_type_of(file) -> str:
    """The type to serve a stored document as, read again from its content (the name may say anything)."""
    return CONTENT_TYPES.get(sniff(file) or "", "application/octet-stream")
