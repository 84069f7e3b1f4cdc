"""Small reference tables (areas, categories, target groups, taxonomy terms) kept in each process's memory.

They change rarely (migrations, `samverka load-areas`, the admin) and are read on nearly every staff page and
the finder, where turning them into model objects cost more than the rest of the page's queries. An entry lives
for TTL_SECONDS; saving or deleting one of these models through the ORM clears this process's entries at once and
again after the commit, so other processes see a change within the TTL at the latest.

Cached values are shared by every thread of the process: callers must not change them.
"""

import time
from collections.abc import Callable, Hashable

from django.db import transaction

TTL_SECONDS = 300.0

_entries: dict[str, tuple[float, object]] = {}


def cached[T](key: str, load: Callable[[], T]) -> T:
    """The value under `key`, loaded with `load()` when missing or older than the TTL.

    Two threads that miss at once both load; the later one's value stays (same data, no harm).
    """
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]  # type: ignore[return-value]
    value = load()
    _entries[key] = (now + TTL_SECONDS, value)
    return value


def cached_per_key[T](name: str, key: Hashable, load: Callable[[], T], most: int = 256) -> T:
    """The value of `key` in the table `name` (itself a cached entry, so it is cleared with the rest), loaded with
    `load()` when missing. The table holds `most` keys at the most: a full table starts again empty (keys such as
    users' role scopes are few in practice, but come from requests)."""
    table: dict[Hashable, T] = cached(name, dict)
    found = table.get(key)
    if found is None:
        if len(table) >= most:
            table.clear()
        found = table[key] = load()
    return found


def clear() -> None:
    _entries.clear()


def changed() -> None:
    """A reference row was written: forget now (this transaction's reads) and after the commit (the new rows)."""
    clear()
    transaction.on_commit(clear)


class ClearsReferenceCache:
    """Model mixin: saving or deleting a row clears the reference cache (see the module docstring)."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # type: ignore[misc]
        changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)  # type: ignore[misc]
        changed()
        return result
