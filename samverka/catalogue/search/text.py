"""Words, stems and stop words shared by both databases' search, and match highlighting.

Text is split into words here (never by the database) so SQLite and PostgreSQL see the same words; stop
words are PostgreSQL's Snowball lists, so a query gives the same hits on both.
"""

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import Stemmer
from django.utils.safestring import SafeString, mark_safe

from samverka.core.html import esc

# content language → Snowball stemmer name = PostgreSQL text-search configuration
SNOWBALL = {"nb": "norwegian", "sv": "swedish", "fi": "finnish", "en": "english"}
LANGUAGES = tuple(SNOWBALL)
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD = 60
# Runs of letters and digits of at most MAX_WORD (longer runs are not words: they are left out whole).
_INDEX_WORD_RE = re.compile(rf"(?<![^\W_])[^\W_]{{1,{MAX_WORD}}}(?![^\W_])")
MAX_QUERY_WORDS = 12
TYPO_MIN_LENGTH = 5
_STOP_DIR = Path(__file__).with_name("stopwords")


@cache
def stop_words(language: str) -> frozenset[str]:
    path = _STOP_DIR / f"{SNOWBALL[language]}.stop"
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


@cache
def _stemmer(language: str):
    return Stemmer.Stemmer(SNOWBALL[language])


def words(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits), as both databases index them."""
    return _INDEX_WORD_RE.findall((text or "").lower())


def stems(language: str, text_words: list[str]) -> list[str]:
    """Snowball stems of the words that are not stop words in `language`."""
    stop = stop_words(language)
    kept = [w for w in text_words if w not in stop]
    return _stemmer(language).stemWords(kept) if kept else []


@lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    return _stemmer(language).stemWord(word)


@lru_cache(maxsize=65536)
def _is_hit(lower: str, wanted: tuple[frozenset[str], ...]) -> bool:
    return any(lower not in stop_words(lang) and stem(lang, lower) in wanted[i] for i, lang in enumerate(LANGUAGES))


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


def within_one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with at most one letter inserted, deleted or replaced."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


class Highlighter:
    """Marks the words of texts that match the query words (same stem in some language), for one request.

    The query's stems are computed once, and each distinct word of the page is judged once; `mark()` walks a
    text a single time and escapes every part of it."""

    def __init__(self, groups: list[list[str]]):
        query = [w for group in groups for w in group]
        self.wanted = tuple(frozenset(stems(lang, query)) for lang in LANGUAGES)
        self.active = bool(query)
        # The page's words judged so far, as sets: a text's words are checked against them in one C-level step.
        self._hits: set[str] = set()
        self._misses: set[str] = set()

    def is_hit(self, word: str) -> bool:
        if word in self._hits:
            return True
        if word in self._misses:
            return False
        hit = _is_hit(word.lower(), self.wanted)
        (self._hits if hit else self._misses).add(word)
        return hit

    def has_hit(self, text: str) -> bool:
        """Whether some word of `text` matches (a page's words repeat: each is judged once)."""
        if not self.active:
            return False
        words = set(WORD_RE.findall(text))
        if not words.isdisjoint(self._hits):
            return True
        found = False
        for word in words - self._misses:
            found = self.is_hit(word) or found
        return found

    def mark(self, text: str) -> tuple[SafeString, bool]:
        """(`text` escaped with its matching words in <mark>, whether any word matched)."""
        if not text:
            return mark_safe(""), False  # nosec B308 B703 (empty)
        if not self.has_hit(text):
            return mark_safe(esc(text)), False  # nosec B308 B703 (escaped)
        hits, misses = self._hits, self._misses
        out: list[str] = []
        last = 0
        for match in WORD_RE.finditer(text):
            word = match.group(0)
            if word in hits or (word not in misses and self.is_hit(word)):
                out.append(esc(text[last : match.start()]))
                out.append(f"<mark>{esc(word)}</mark>")
                last = match.end()
        out.append(esc(text[last:]))
        return mark_safe("".join(out)), True  # nosec B308 B703 (every part is escaped above)


class PageMarker:
    """Marks query matches in texts known in advance (a page of results): every distinct word of them is judged
    once, up front, then each text is searched and split by one regular expression of the matching words, in C
    rather than word by word. A text that was not given is treated as holding no match."""

    def __init__(self, groups: list[list[str]], texts: Iterable[str]):
        judge = Highlighter(groups)
        words = set(WORD_RE.findall("\n".join(texts))) if judge.active else set()
        hits = sorted((w for w in words if judge.is_hit(w)), key=lambda w: (-len(w), w))
        # Whole words only, as WORD_RE finds them: no letter or digit just before or after.
        self._found = re.compile(r"(?<![^\W_])(" + "|".join(map(re.escape, hits)) + r")(?![^\W_])") if hits else None

    def has_hit(self, text: str) -> bool:
        return self._found is not None and self._found.search(text) is not None

    def mark(self, text: str) -> tuple[SafeString, bool]:
        """(`text` escaped with its matching words in <mark>, whether any word matched) — as Highlighter.mark."""
        parts = self._found.split(text) if self._found is not None and text else [text]
        if len(parts) == 1:
            return mark_safe(esc(text)), False  # nosec B308 B703 (escaped)
        # split() alternates the text between matches (even places) and the matches (odd places).
        out = [f"<mark>{esc(part)}</mark>" if i % 2 else esc(part) for i, part in enumerate(parts)]
        return mark_safe("".join(out)), True  # nosec B308 B703 (every part is escaped above)


def highlight(text: str, groups: list[list[str]]) -> SafeString:
    """`text` escaped, with each word that matches a query word (same stem in some language) in <mark>."""
    return Highlighter(groups).mark(text)[0]
