"""Every message the code marks for translation has a translation in nb, sv and fi (English is the source).

Messages are collected the way makemessages finds the simple ones: gettext calls with a literal in the Python code
(`_`, `gettext`, `gettext_lazy`, `pgettext`, `ngettext`…) and `{% translate "…" %}` in templates. A message added
without a translation fails here, before a user meets it in English.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "samverka"
LOCALE = PACKAGE / "locale"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?[^%]*%}""")


def _skipped(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return "tests" in parts or "migrations" in parts or "locale" in parts


def _python_messages() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if _skipped(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if name in GETTEXT_NAMES and args and args[0]:
                found.add(args[0])
            elif name in CONTEXT_NAMES and len(args) > 1 and args[0] and args[1]:
                found.add(f"{args[0]}\x04{args[1]}")
    return found


def _template_messages() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.html"):
        if _skipped(path):
            continue
        for match in TEMPLATE_TAG.finditer(path.read_text()):
            message, context = match.group(2), match.group(4)
            found.add(f"{context}\x04{message}" if context else message)
    return found


def _translated(language: str) -> set[str]:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    return {key[0] if isinstance(key, tuple) else key for key, text in catalog.items() if text}


MESSAGES = _python_messages() | _template_messages()


def test_the_collector_finds_the_projects_messages():
    # Guards the collector itself: these are used on every page.
    assert {"Skip to main content", "Log in", "Registry of organisations"} <= MESSAGES


@pytest.mark.parametrize("language", ["nb", "sv", "fi"])
def test_every_marked_message_is_translated(language):
    missing = sorted(m.replace("\x04", " | ") for m in MESSAGES - _translated(language))
    assert not missing, f"{len(missing)} messages without a {language} translation (run makemessages): {missing[:20]}"
