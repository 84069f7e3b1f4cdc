"""PDF of a version with its signature page, rendered by WeasyPrint from an HTML template (no network).

A fully signed version's PDF is printed once and stored (`SignedPdf`, default file storage, with its SHA-256);
downloads serve the stored bytes, so every download of a signed version is byte-identical. It is printed right
after the signature that activates the agreement has committed. Printing is not part of the signing transaction:
if it fails, the signature stands and the first download prints and stores it instead. Versions that are not
fully signed (drafts, a text being signed) are printed on each request and never stored.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from samverka.core.errors import ConflictError

from .models import Agreement, AgreementStatus, AgreementVersion, Signature, SignedPdf

logger = logging.getLogger(__name__)


def version_pdf_html(agreement: Agreement, version: AgreementVersion, signatures) -> str:
    return render_to_string(
        "agreements/pdf.html", {"agreement": agreement, "version": version, "signatures": signatures}
    )


def version_pdf(agreement: Agreement, version: AgreementVersion, signatures) -> bytes:
    return HTML(string=version_pdf_html(agreement, version, signatures), base_url=None).write_pdf()


def is_fully_signed(agreement: Agreement, version: AgreementVersion) -> bool:
    """A frozen version is either the text being signed now or a text every signatory signed."""
    being_signed = agreement.status == AgreementStatus.SIGNING and agreement.current_version_id == version.pk
    return version.frozen and not being_signed


def pdf_language(agreement: Agreement) -> str:
    """The stored PDF is printed in the agreement's language (its template's), not the last signer's."""
    template = agreement.template
    return template.language if template is not None else settings.LANGUAGE_CODE


def signed_pdf_store(agreement: Agreement, version: AgreementVersion) -> SignedPdf:
    """The stored PDF of a fully signed version, printed and stored now if it is not stored yet.

    Printing happens outside any transaction; storing locks the version row, so two first downloads at once
    store one PDF and both serve it."""
    existing = SignedPdf.objects.filter(version=version).first()
    if existing is not None:
        return existing
    if not is_fully_signed(agreement, version):
        raise ConflictError(_("Only a fully signed version has a stored PDF."))
    signatures = list(
        Signature.objects.filter(version=version).select_related(
            "signatory__party__organisation", "signatory__party__area"
        )
    )
    language = pdf_language(agreement)
    with translation.override(language):
        content = version_pdf(agreement, version, signatures)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        AgreementVersion.objects.select_for_update().filter(pk=version.pk).first()
        existing = SignedPdf.objects.filter(version=version).first()
        if existing is not None:
            return existing
        stored = SignedPdf(version=version, sha256=digest, size=len(content), language=language)
        stored.file.save("signed.pdf", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            if stored.file.name:
                stored.file.storage.delete(stored.file.name)
            return SignedPdf.objects.get(version=version)
    return stored


def signed_pdf_store_quietly(agreement: Agreement, version: AgreementVersion) -> SignedPdf | None:
    """After the activating signature: print and store now; on failure log it and leave it to the first download."""
    try:
        return signed_pdf_store(agreement, version)
    except Exception:
        logger.exception("Printing the signed PDF of version %s failed; the first download will print it", version.pk)
        return None


def signed_pdf_bytes(stored: SignedPdf) -> bytes:
    """The stored bytes, checked against the stored SHA-256."""
    with stored.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != stored.sha256:
        raise ConflictError(
            _("The stored PDF does not match its SHA-256. Ask an administrator to check the file store.")
        )
    return content
