"""Online backups and restores of the configured database (used by `samverka backup` and `samverka restore`).

SQLite: the sqlite3 online backup API copies a consistent snapshot while the server keeps writing (WAL mode).
PostgreSQL: `pg_dump -Fc` (one consistent snapshot, custom format) and `pg_restore` into another database.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404: runs pg_dump/pg_restore with argument lists, never a shell
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url


class BackupError(Exception):
    """Shown to the operator as the command's error message."""


@dataclass(frozen=True)
class Target:
    engine: str  # "sqlite" or "postgresql"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, db: Mapping[str, Any]) -> "Target":
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls("sqlite", str(db["NAME"]))
        if engine == "postgresql":
            return cls(
                "postgresql",
                db["NAME"],
                db.get("USER") or "",
                db.get("PASSWORD") or "",
                db.get("HOST") or "",
                str(db.get("PORT") or ""),
            )
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {db['ENGINE']}.")

    @classmethod
    def from_url(cls, url: str) -> "Target":
        return cls.from_settings(dj_database_url.parse(url))

    def libpq_url(self, database: str | None = None) -> str:
        auth = quote(self.user, safe="")
        host = self.host or "localhost"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{auth}@{host}{port}/{quote(database or self.name, safe='')}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def backup(source: Target, path: Path) -> int:
    """Write a consistent backup of `source` to `path`; returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if source.engine == "sqlite":
        if not Path(source.name).exists():
            raise BackupError(f"No SQLite database at {source.name}.")
        src = sqlite3.connect(f"file:{source.name}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # one step: a snapshot under a read transaction, writers continue in the WAL
        finally:
            dst.close()
            src.close()
    else:
        result = subprocess.run(  # nosec B603: fixed tool, arguments from settings and the operator's PATH
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), "--dbname", source.libpq_url()],
            env=source.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    # The backup appears under its name only when complete: a killed run leaves no half-written PATH.
    partial.replace(path)
    return path.stat().st_size


def restore(path: Path, target: Target, *, force: bool = False) -> None:
    """Restore the backup at `path` into `target` (an empty or new database; `force` overwrites a SQLite file)."""
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    if target.engine == "sqlite":
        dest = Path(target.name)
        if dest.exists() and dest.stat().st_size > 0 and not force:
            raise BackupError(f"{dest} already exists; pass --force to overwrite it.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    _create_database_if_missing(target)
    result = subprocess.run(  # nosec B603: fixed tool, arguments from the operator's command line
        [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            target.libpq_url(),
            str(path),
        ],
        env=target.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _create_database_if_missing(target: Target) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(target.libpq_url("postgres"), password=target.password or None, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone()
        if exists:
            tables = psycopg.connect(target.libpq_url(), password=target.password or None)
            with tables:
                count = tables.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                ).fetchone()
            if count and count[0]:
                raise BackupError(f"Database {target.name} is not empty; restore into a new database.")
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path
