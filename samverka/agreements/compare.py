"""Side-by-side comparison of two versions with changes highlighted. Every piece of text is escaped here."""

import difflib
from dataclasses import dataclass
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import AgreementVersion


@dataclass
class Row:
    tag: str  # equal, replace, delete, insert
    left: SafeString
    right: SafeString


def _lines(version: AgreementVersion) -> list[str]:
    lines = [version.title]
    for section in version.sections:
        lines.append(f"## {section['heading']}")
        lines.extend(section["text"].split("\n"))
    return lines


def _mark(tag: Literal["del", "ins"], text: str) -> SafeString:
    """`text` escaped, then wrapped in a fixed <del> or <ins> element."""
    # Safe: the only markup added is the fixed tag; the text itself is escaped here.
    return mark_safe(f"<{tag}>{escape(text)}</{tag}>")  # noqa: S308  # nosec B308 B703


_EMPTY = SafeString("")


def _words(a: str, b: str) -> tuple[SafeString, SafeString]:
    """Word-level highlighting inside a changed line: removed words in <del>, added words in <ins>."""
    left: list[str] = []
    right: list[str] = []
    aw, bw = a.split(" "), b.split(" ")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, aw, bw, autojunk=False).get_opcodes():
        old, new = " ".join(aw[i1:i2]), " ".join(bw[j1:j2])
        if tag == "equal":
            left.append(escape(old))
            right.append(escape(new))
        else:
            if old:
                left.append(_mark("del", old))
            if new:
                right.append(_mark("ins", new))
    # Safe: every part in `left` and `right` was escaped above (plain escape() or _mark()).
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308  # nosec B308 B703


def compare(old: AgreementVersion, new: AgreementVersion) -> list[Row]:
    a, b = _lines(old), _lines(new)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(Row("equal", escape(x), escape(x)) for x in a[i1:i2])
        elif tag == "replace":
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                left = a[i1 + k] if i1 + k < i2 else ""
                right = b[j1 + k] if j1 + k < j2 else ""
                if left and right:
                    hl, hr = _words(left, right)
                    rows.append(Row("replace", hl, hr))
                elif left:
                    rows.append(Row("delete", _mark("del", left), _EMPTY))
                else:
                    rows.append(Row("insert", _EMPTY, _mark("ins", right)))
        elif tag == "delete":
            rows.extend(Row("delete", _mark("del", x), _EMPTY) for x in a[i1:i2])
        else:
            rows.extend(Row("insert", _EMPTY, _mark("ins", x)) for x in b[j1:j2])
    return rows
