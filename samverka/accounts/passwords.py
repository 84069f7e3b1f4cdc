"""Context-specific words in passwords (ASVS 6.1.2, 6.2.11): a password made mostly of the service's name or of a
place in the registry is refused. The list and the rule are documented in docs/security.md ("Passwords").

A password is refused when, after lower-casing and reading common digit-for-letter swaps back as letters
(`S4mv3rka` is `samverka`), it contains one of the words and what is left without the word is shorter than the
minimum password length: the word adds nothing an attacker would have to guess. A long passphrase that happens to
contain a place name is accepted.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverka.areas.selectors import areas_cached
from samverka.core import refcache

# The service, the words of Nordic public administration, and the countries the registry covers, in the languages
# the app speaks.
CONTEXT_WORDS: tuple[str, ...] = (
    "samverka",
    "kommune",
    "kommun",
    "kunta",
    "fylke",
    "fylkeskommune",
    "region",
    "county",
    "municipality",
    "norge",
    "noreg",
    "norway",
    "sverige",
    "sweden",
    "suomi",
    "finland",
)
# Parts of area names shorter than this are left out: too many ordinary words contain "Os", "Ski" or "Ale".
AREA_WORD_MIN_LENGTH = 4
AREA_NAME_FIELDS = ("name", "name_nb", "name_sv", "name_fi", "name_en")
LOOKALIKES = str.maketrans({"0": "o", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"})
_WORD = re.compile(rf"[^\W\d_]{{{AREA_WORD_MIN_LENGTH},}}")


def _load_context_words() -> tuple[str, ...]:
    words = set(CONTEXT_WORDS)
    for area in areas_cached():
        for field in AREA_NAME_FIELDS:
            words.update(_WORD.findall((getattr(area, field) or "").lower()))
    # Longest first, so "fylkeskommune" is named rather than "kommune".
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def context_words() -> tuple[str, ...]:
    """The fixed words and the parts of every area's names, built once per process (the reference cache: an area
    saved through the ORM clears it, other processes see the change within its TTL)."""
    return refcache.cached("accounts.password_context_words", _load_context_words)


class ContextWordsValidator:
    """Django password validator (AUTH_PASSWORD_VALIDATORS): see the module docstring."""

    def __init__(self, min_remaining: int = 10):
        self.min_remaining = min_remaining

    def validate(self, password, user=None):
        plain = (password or "").lower()
        for text in dict.fromkeys((plain, plain.translate(LOOKALIKES))):
            for word in context_words():
                if word in text and len(text.replace(word, "")) < self.min_remaining:
                    raise ValidationError(
                        _(
                            "This password is mostly the word “%(word)s”, which is easy to guess here. "
                            "Add more of your own words, or choose another password."
                        ),
                        code="password_context_word",
                        params={"word": word},
                    )

    def get_help_text(self):
        return _(
            "Your password can’t be mostly the name of this service or of a place, such as “Samverka2026” or "
            "“Oslo123456”."
        )
