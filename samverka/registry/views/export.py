"""CSV and XLSX exports of exactly the rows the staff list shows for the same filters (all pages)."""

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import orgnumbers, selectors
from .common import require_registry_user

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[str]:
    return [
        _("Name"),
        _("Organisation number"),
        _("Country"),
        _("Legal form"),
        _("Status"),
        _("Municipality"),
        _("Categories"),
        _("Target groups"),
        _("E-mail"),
        _("Phone"),
        _("Website"),
        _("Updated"),
        _("Id"),
    ]


def _safe(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; quote them (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(request: HttpRequest) -> Iterator[list[str]]:
    filters = selectors.OrganisationFilters.from_mapping(request.GET)
    qs = selectors.organisation_export_rows(actor=request.user, filters=filters)
    for org in qs.iterator(chunk_size=CHUNK):
        yield [
            _safe(v)
            for v in (
                org.name,
                orgnumbers.display(org.country, org.org_number),
                org.country,
                org.get_legal_form_display(),
                org.get_status_display(),
                org.home_area.name if org.home_area_id else "",
                ", ".join(c.code for c in org.categories.all()),
                ", ".join(t.code for t in org.target_groups.all()),
                org.email,
                org.phone,
                org.website,
                timezone.localtime(org.updated_at).strftime("%Y-%m-%d %H:%M"),
                org.pk,
            )
        ]


def _filename(ext: str) -> str:
    return f"organisations-{timezone.localdate():%Y-%m-%d}.{ext}"


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export_csv(request: HttpRequest):
    require_registry_user(request)
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
        yield writer.writerow(_header())
        for row in _rows(request):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@login_required
def export_xlsx(request: HttpRequest):
    require_registry_user(request)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Organisations"))
    sheet.append(_header())
    for row in _rows(request):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
