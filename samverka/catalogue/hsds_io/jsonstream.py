"""Reading the objects of a large JSON file one at a time, so a dataset never has to fit in memory.

`json_items(path)` yields the objects of a top-level array, of the `contents` array of an API page, or the one
top-level object. It reads the file in blocks and decodes one value at a time with the standard library's
decoder (`raw_decode`): only the value being decoded (and one block) is held. Anything that is not valid JSON
raises `JsonStreamError` with the line it was found on, as `json.loads` would.
"""

import json
from collections.abc import Iterator
from typing import IO, Any

BLOCK_CHARS = 1 << 16
WHITESPACE = " \t\n\r"
# raw_decode stops at the end of the text it was given with one of these: more text may complete the value.
# (An unterminated string is reported where it starts, which can be far from the end.)
_NEAR_END = 8


class JsonStreamError(ValueError):
    def __init__(self, msg: str, line: int):
        super().__init__(f"{msg} (line {line})")
        self.msg, self.lineno = msg, line


class _Scanner:
    """A window on a text file: `buf[pos:]` is what is not consumed yet; consumed text is dropped on refill."""

    def __init__(self, fh: IO[str], block: int = BLOCK_CHARS):
        self.fh, self.block = fh, block
        self.buf, self.pos, self.lines_before, self.eof = "", 0, 1, False
        self._decoder = json.JSONDecoder()

    def _refill(self, at_least: int) -> bool:
        """Read more text (at least `at_least` chars, to keep re-decoding a long value linear); False at the end."""
        if self.eof:
            return False
        more = self.fh.read(max(self.block, at_least))
        if not more:
            self.eof = True
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos :] + more, 0
        return True

    def line(self, pos: int | None = None) -> int:
        return self.lines_before + self.buf.count("\n", 0, self.pos if pos is None else pos)

    def fail(self, msg: str, pos: int | None = None):
        raise JsonStreamError(msg, self.line(pos))

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file), not consumed."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._refill(0):
                return ""

    def take(self, expected: str, what: str) -> None:
        if self.peek() != expected:
            self.fail(f"Expecting {what}")
        self.pos += 1

    def value(self) -> Any:
        """Decode the next JSON value, reading more of the file while the value is cut off by the buffer's end."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut_off = exc.pos >= len(self.buf) - _NEAR_END or exc.msg.startswith("Unterminated string")
                if cut_off and self._refill(len(self.buf)):
                    continue
                self.fail(exc.msg, exc.pos)
            # A number or literal that ends with the buffer may go on in the next block.
            if end == len(self.buf) and self._refill(len(self.buf)):
                continue
            self.pos = end
            return value

    def array_items(self) -> Iterator[Any]:
        self.take("[", "'['")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            nxt = self.peek()
            if nxt == "]":
                self.pos += 1
                return
            if nxt != ",":
                self.fail("Expecting ',' delimiter")
            self.pos += 1

    def end(self) -> None:
        if self.peek():
            self.fail("Extra data")


def json_items(fh: IO[str], *, block: int = BLOCK_CHARS) -> Iterator[Any]:
    """The items of a top-level array, of an API page's `contents` array, or else the top-level value itself."""
    scanner = _Scanner(fh, block)
    first = scanner.peek()
    if first == "\ufeff":
        scanner.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)")
    if first == "[":
        yield from scanner.array_items()
    elif first == "{":
        yield from _object_or_page(scanner)
    elif first == "":
        scanner.fail("Expecting value")
    else:
        yield scanner.value()
    scanner.end()


def _object_or_page(scanner: _Scanner) -> Iterator[Any]:
    """An API page ({"contents": [...], ...}) yields its contents one by one; any other object is one item."""
    scanner.take("{", "'{'")
    members: dict[str, Any] = {}
    streamed = False
    while scanner.peek() != "}":
        if members or streamed:
            scanner.take(",", "',' delimiter")
        if scanner.peek() != '"':
            scanner.fail("Expecting property name enclosed in double quotes")
        key = scanner.value()
        scanner.take(":", "':' delimiter")
        if key == "contents" and not streamed and scanner.peek() == "[":
            yield from scanner.array_items()
            streamed = True
        else:
            members[key] = scanner.value()
    scanner.pos += 1
    if not streamed:
        yield members
