"""PDF of a version with its signature page, rendered by WeasyPrint from an HTML template (no network)."""

from django.template.loader import render_to_string
from weasyprint import HTML

from .models import Agreement, AgreementVersion


def version_pdf(agreement: Agreement, version: AgreementVersion, signatures) -> bytes:
    html = render_to_string(
        "agreements/pdf.html", {"agreement": agreement, "version": version, "signatures": signatures}
    )
    return HTML(string=html, base_url=None).write_pdf()
