"""Accreditation documents, served through a permission check rather than the storage's own address."""

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from .. import selectors
from ..services.documents import content_type_of
from .common import not_found_as_404


@login_required
@require_GET
@not_found_as_404
def accreditation_document(request: HttpRequest, pk, document_pk):
    doc = selectors.accreditation_document_get(actor=request.user, accreditation_pk=pk, pk=document_pk)
    file = doc.file.open("rb")
    content_type = content_type_of(file)
    filename = os.path.basename(doc.file.name or "") or "document"
    response = FileResponse(file, content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
