"""Reading register files without loading them: opening (plain or gzip), sniffing and whole-file checks.

Every check here runs before the importer writes anything, so a bad file leaves the database untouched.
"""

import codecs
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from samverka.core.errors import ValidationError

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
# One JSON record larger than this means the file is not what we think it is.
MAX_JSON_RECORD = 16 << 20


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (empty, binary, wrong format or encoding). Nothing was written."""


class SourceFile:
    """A file on disk, possibly gzip-compressed; `bytes_read` follows the compressed bytes for progress."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise ImportFileError(_("File not found: %(path)s") % {"path": self.path})
        self.size = self.path.stat().st_size
        if self.size == 0:
            raise ImportFileError(_("The file is empty."))
        with open(self.path, "rb") as fh:
            self.compressed = fh.read(2) == GZIP_MAGIC
        self._raw: io.FileIO | None = None

    def open_binary(self) -> IO[bytes]:
        self._raw = io.FileIO(self.path, "r")
        buffered = io.BufferedReader(self._raw, CHUNK)
        if self.compressed:
            return gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[return-value]
        return buffered

    @property
    def bytes_read(self) -> int:
        return self._raw.tell() if self._raw is not None and not self._raw.closed else self.size

    def chunks(self) -> Iterator[bytes]:
        """The decompressed content, chunk by chunk; a damaged gzip stream is a file error."""
        with self.open_binary() as fh:
            try:
                while chunk := fh.read(CHUNK):
                    yield chunk
            except (OSError, EOFError, zlib.error) as exc:
                raise ImportFileError(_("The compressed file is damaged: %(error)s") % {"error": exc}) from None

    def head(self, size: int = 64 * 1024) -> bytes:
        with self.open_binary() as fh:
            try:
                return fh.read(size)
            except (OSError, EOFError, zlib.error) as exc:
                raise ImportFileError(_("The compressed file is damaged: %(error)s") % {"error": exc}) from None


def sniff(source: SourceFile) -> bytes:
    """The first bytes of the content, after refusing empty and binary files."""
    head = source.head()
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in head:
        raise ImportFileError(_("This is a binary file, not a register export (CSV, text or JSON)."))
    return head


def _line_of(data: bytes, offset: int, lines_before: int) -> int:
    return lines_before + data.count(b"\n", 0, offset) + 1


def check_encoding(source: SourceFile, encoding: str, *, refuse_utf8: bool = False) -> None:
    """Decode the whole file once, streaming, so an encoding error deep in the file stops us before any write.

    `refuse_utf8` is for ISO-8859-1 files: every byte decodes in Latin-1, so a UTF-8 file would import as
    mojibake; we refuse a file that is valid UTF-8 and holds non-ASCII text.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    utf8 = codecs.getincrementaldecoder("utf-8")() if refuse_utf8 else None
    utf8_multibyte = False
    lines = 0
    offset = 0
    for chunk in source.chunks():
        if b"\x00" in chunk:
            line = _line_of(chunk, chunk.index(b"\x00"), lines)
            raise ImportFileError(_("The file holds binary data (a NUL byte on line %(line)s).") % {"line": line})
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not valid %(encoding)s (line %(line)s, byte %(byte)s). Check --format or convert it.")
                % {"encoding": encoding.upper(), "line": _line_of(chunk, exc.start, lines), "byte": offset + exc.start}
            ) from None
        if utf8 is not None:
            try:
                utf8.decode(chunk)
                utf8_multibyte = utf8_multibyte or re.search(rb"[\x80-\xff]", chunk) is not None
            except UnicodeDecodeError:
                utf8 = None
        lines += chunk.count(b"\n")
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not valid %(encoding)s: it ends inside a character.") % {"encoding": encoding.upper()}
        ) from None
    if utf8 is not None and utf8_multibyte:
        raise ImportFileError(
            _("The file is UTF-8 encoded, but this format is %(encoding)s. Convert it or check --format.")
            % {"encoding": encoding.upper()}
        )


def open_text(source: SourceFile, encoding: str) -> IO[str]:
    return io.TextIOWrapper(source.open_binary(), encoding=encoding, newline="")


class JsonRecords:
    """Objects of the one big array in a JSON file, one at a time, with the line each starts on.

    Accepts a top-level array, or an object holding the array under one of `keys` (API responses such as
    PRH's `{"totalResults": …, "companies": […]}` or brreg's `{"_embedded": {"enheter": […]}}`).
    """

    def __init__(self, stream: IO[str], keys: tuple[str, ...]):
        self.stream = stream
        self.keys = keys
        self.decoder = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line of position `counted` in buf
        self.counted = 0
        self.eof = False

    def _line_at(self, pos: int) -> int:
        self.line += self.buf.count("\n", self.counted, pos)
        self.counted = pos
        return self.line

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self._line_at(self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = self.counted = 0
        return True

    def _skip(self, chars: str) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in chars:
                self.pos += 1
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def _fail(self) -> ImportFileError:
        return ImportFileError(_("This is not a JSON file of the chosen register format."))

    def _find_array(self) -> None:
        first = self._skip(" \t\r\n\ufeff")
        if first == "[":
            self.pos += 1
            return
        if first != "{":
            raise self._fail()
        keys = "|".join(re.escape(k) for k in self.keys)
        pattern = re.compile(rf'"(?:{keys})"\s*:\s*\[')
        while (match := pattern.search(self.buf, self.pos)) is None:
            if len(self.buf) > MAX_JSON_RECORD or not self._more():
                raise self._fail()
        self.pos = match.end()

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        self._find_array()
        while True:
            nxt = self._skip(" \t\r\n,")
            if nxt == "]":
                return
            if nxt == "":
                raise ImportFileError(_("The JSON file ends before its list is closed."))
            while True:
                try:
                    obj, end = self.decoder.raw_decode(self.buf, self.pos)
                    break
                except json.JSONDecodeError:
                    if len(self.buf) - self.pos > MAX_JSON_RECORD or not self._more():
                        line = self._line_at(self.pos)
                        raise ImportFileError(_("The JSON file is broken at line %(line)s.") % {"line": line}) from None
            yield self._line_at(self.pos), obj
            self.pos = end


def check_json(source: SourceFile, encoding: str, keys: tuple[str, ...], validate: Callable[[Any], None]) -> None:
    """Parse the whole file once (objects are dropped as we go) so broken JSON stops us before any write."""
    check_encoding(source, encoding)
    with open_text(source, encoding) as stream:
        for index, (_line, obj) in enumerate(JsonRecords(stream, keys)):
            if index == 0:
                validate(obj)
