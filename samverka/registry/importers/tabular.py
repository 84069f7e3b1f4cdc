"""Delimited text files (CSV, TAB): header check, a structure pass over the whole file, then rows by name."""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from samverka.registry.orgnumbers import OrgNumberError, normalise

from .base import Reject, Row
from .files import ImportFileError, SourceFile, check_encoding, open_text


@dataclass(frozen=True)
class Layout:
    """How one register writes its text file."""

    label: str
    encoding: str
    delimiter: str
    quoting: Any  # a csv.QUOTE_* constant
    required: tuple[str, ...]
    columns: tuple[str, ...]  # every column the mapper reads; absent optional ones read as ""
    refuse_utf8: bool = False


def _reader(stream: IO[str], layout: Layout) -> Any:
    return csv.reader(stream, delimiter=layout.delimiter, quoting=layout.quoting, strict=False)


def read_header(source: SourceFile, layout: Layout) -> list[str]:
    try:
        with open_text(source, layout.encoding) as stream:
            header: list[str] = next(_reader(stream, layout), [])
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not valid %(encoding)s. Check --format or convert it.") % {"encoding": layout.encoding}
        ) from None
    except csv.Error as exc:
        raise ImportFileError(_("This is not a %(label)s file: %(error)s") % {"label": layout.label, "error": exc})
    return [name.strip().lstrip("\ufeff") for name in header]


def check_file(source: SourceFile, layout: Layout) -> list[str]:
    """Refuse the file before any write: header columns, encoding of every byte, CSV structure of every row."""
    header = read_header(source, layout)
    missing = [name for name in layout.required if name not in header]
    if missing:
        raise ImportFileError(
            _("This is not a %(label)s file: the header lacks the columns %(columns)s.")
            % {"label": layout.label, "columns": ", ".join(missing)}
        )
    check_encoding(source, layout.encoding, refuse_utf8=layout.refuse_utf8)
    with open_text(source, layout.encoding) as stream:
        reader = _reader(stream, layout)
        try:
            for _row in reader:
                pass
        except csv.Error as exc:
            raise ImportFileError(
                _("The file is broken at line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}
            ) from None
    return header


def rows(
    source: SourceFile, layout: Layout, header: list[str], mapper: Callable[[int, dict[str, str]], Row]
) -> Iterator[Row]:
    """Map each data row by column name; a row with the wrong number of fields is rejected, not fatal."""
    width = len(header)
    index = [(name, header.index(name)) for name in layout.columns if name in header]
    absent = {name: "" for name in layout.columns if name not in header}
    first = layout.columns[0]
    with open_text(source, layout.encoding) as stream:
        reader = _reader(stream, layout)
        next(reader)
        end = reader.line_num
        for fields in reader:
            line, end = end + 1, reader.line_num
            if not fields or fields == [""]:
                continue
            if len(fields) != width:
                number = fields[header.index(first)] if len(fields) > header.index(first) else ""
                yield Reject(
                    line,
                    number,
                    "",
                    _("The row has %(found)s fields; the header has %(expected)s.")
                    % {"found": len(fields), "expected": width},
                )
                continue
            values = {name: fields[i] for name, i in index}
            if absent:
                values.update(absent)
            yield mapper(line, values)


def org_number(country: str, raw: str) -> tuple[str, str]:
    """(stored number, "") or ("", reason)."""
    try:
        return normalise(country, raw), ""
    except OrgNumberError as exc:
        return "", str(exc)


_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


def website(raw: str) -> str:
    """Registers give "www.example.no" without a scheme; an address we cannot read is left out, not fatal."""
    value = (raw or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    try:
        _url(value)
    except DjangoValidationError:
        return ""
    return value if len(value) <= 200 else ""


def email(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        return ""
    try:
        _email(value)
    except DjangoValidationError:
        return ""
    return value


def join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def care_of(name: str) -> str:
    name = (name or "").strip()
    return name if not name or name.lower().startswith("c/o") else f"c/o {name}"
