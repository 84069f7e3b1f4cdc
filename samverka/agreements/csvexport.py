"""Streaming CSV for the partnership lists: UTF-8 with BOM, formula-like cells quoted (CSV injection)."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

CHUNK = 2000


def safe(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; prefix them with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(header: list[str], rows: Iterable[Iterable], name: str) -> StreamingHttpResponse:
    """`name` without extension; the file is called `<name>-<today>.csv`."""
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
