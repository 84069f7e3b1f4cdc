"""Rows of a dataset parked outside Python's memory while it is imported: the tabular form is joined from here.

A private temporary SQLite database (`sqlite3.connect("")`): it keeps a small page cache and spills the rest to
a file that is removed when the store is closed, so a dataset of any size costs the import a constant amount.
"""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

# Columns a row is looked up by: its id and the foreign keys the tabular HSDS layout joins on.
KEYS = ("id", "service_id", "location_id", "organization_id", "service_at_location_id", "link_id")


def _key(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


class RecordStore:
    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        columns = ", ".join(f"{k} TEXT" for k in KEYS)
        self._db.execute(f"CREATE TABLE record (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, {columns}, data TEXT)")
        for key in KEYS:
            self._db.execute(f"CREATE INDEX record_{key} ON record (kind, {key})")

    def add(self, kind: str, row: dict[str, Any]) -> None:
        values = [kind, *(_key(row.get(k)) for k in KEYS), json.dumps(row, ensure_ascii=False)]
        placeholders = ", ".join("?" for _ in KEYS)
        self._db.execute(f"INSERT INTO record VALUES (NULL, ?, {placeholders}, ?)", values)  # noqa: S608 (no input)  # nosec B608

    def get(self, kind: str, record_id: Any) -> dict[str, Any] | None:
        """The last row of `kind` with this id (a later row replaces an earlier one, as in a dict)."""
        found = self._db.execute(
            "SELECT data FROM record WHERE kind = ? AND id = ? ORDER BY seq DESC LIMIT 1", (kind, _key(record_id))
        ).fetchone()
        return json.loads(found[0]) if found else None

    def where(self, kind: str, key: str, value: Any) -> list[dict[str, Any]]:
        """Rows of `kind` whose `key` (one of KEYS) is `value`, in the order they were added."""
        if key not in KEYS:
            raise ValueError(key)
        if _key(value) is None:
            return []
        sql = f"SELECT data FROM record WHERE kind = ? AND {key} = ? ORDER BY seq"  # noqa: S608 (a KEYS column)  # nosec B608
        found = self._db.execute(sql, (kind, value))
        return [json.loads(data) for (data,) in found]

    def rows(self, kind: str) -> Iterator[dict[str, Any]]:
        for (data,) in self._db.execute("SELECT data FROM record WHERE kind = ? ORDER BY seq", (kind,)):
            yield json.loads(data)

    def count(self, kind: str) -> int:
        return self._db.execute("SELECT count(*) FROM record WHERE kind = ?", (kind,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()


class StoredKind:
    """Read access by id to one kind of row of a store, shaped like the dict it replaces (`get`, `in`, `[]`)."""

    def __init__(self, store: RecordStore, kind: str, complete=None):
        self.store, self.kind, self._complete = store, kind, complete

    def get(self, record_id: Any, default: Any = None) -> Any:
        row = self.store.get(self.kind, record_id)
        if row is None:
            return default
        return self._complete(row) if self._complete else row

    def __getitem__(self, record_id: Any) -> dict[str, Any]:
        row = self.get(record_id)
        if row is None:
            raise KeyError(record_id)
        return row

    def __contains__(self, record_id: Any) -> bool:
        return self.store.get(self.kind, record_id) is not None

    def __len__(self) -> int:
        return self.store.count(self.kind)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Every row of the kind, in the order added, read from the store one at a time."""
        for row in self.store.rows(self.kind):
            yield self._complete(row) if self._complete else row
