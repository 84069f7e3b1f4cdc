"""`samverka backup` under writes and `samverka restore` into a new database: every committed row is there."""

import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from samverka.audit.models import AuditEvent
from samverka.audit.services import audit_record
from samverka.core.backups import Target

from .helpers import run_samverka


class Writer(threading.Thread):
    """Commits one audit event after another (each its own transaction) until stopped; remembers what committed."""

    def __init__(self):
        super().__init__(daemon=True)
        self.committed: list[str] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                event = audit_record(actor=None, action="backup.test", object_type="test", object_id=uuid.uuid4())
                self.committed.append(str(event.pk))
                time.sleep(0.002)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def _restored_ids(target: Target) -> set[str]:
    if target.engine == "sqlite":
        with sqlite3.connect(target.name) as conn:
            rows = conn.execute("SELECT id FROM audit_auditevent WHERE action = 'backup.test'").fetchall()
        return {str(uuid.UUID(r[0])) for r in rows}
    import psycopg

    with psycopg.connect(target.libpq_url(), password=target.password or None) as conn:
        rows = conn.execute("SELECT id FROM audit_auditevent WHERE action = 'backup.test'").fetchall()
    return {str(r[0]) for r in rows}


def _drop(target: Target) -> None:
    if target.engine == "postgresql":
        import psycopg
        from psycopg import sql

        with psycopg.connect(target.libpq_url("postgres"), password=target.password or None, autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name)))


@pytest.fixture
def restore_target(tmp_path, settings):
    source = Target.from_settings(connection.settings_dict)
    if source.engine == "sqlite":
        target = Target("sqlite", str(tmp_path / "restored.sqlite3"))
        url = f"sqlite:///{target.name}"
    else:
        name = f"restore_{uuid.uuid4().hex[:12]}"
        target = Target("postgresql", name, source.user, source.password, source.host, source.port)
        url = target.libpq_url().replace("postgresql://", "postgres://", 1)
        if source.password:
            url = url.replace("@", f":{source.password}@", 1).replace("postgres://", "postgres://", 1)
    yield target, url
    _drop(target)


@pytest.mark.django_db(transaction=True)
def test_backup_under_writes_restores_every_row_committed_before_it(tmp_path, restore_target):
    target, url = restore_target
    writer = Writer()
    writer.start()
    try:
        while len(writer.committed) < 50 and writer.error is None:
            time.sleep(0.01)
        committed_before = list(writer.committed)
        call_command("backup", str(tmp_path / "samverka.backup"), stdout=open("/dev/null", "w"))  # noqa: SIM115
        time.sleep(0.1)  # the writer keeps going after the backup
    finally:
        writer.stop.set()
        writer.join(timeout=10)
    assert writer.error is None, writer.error
    assert len(writer.committed) > len(committed_before), "the writer was not running during the backup"

    call_command("restore", str(tmp_path / "samverka.backup"), database_url=url, stdout=open("/dev/null", "w"))  # noqa: SIM115

    restored = _restored_ids(target)
    missing = set(committed_before) - restored
    assert not missing, f"{len(missing)} rows committed before the backup are missing"
    assert restored <= {str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_restore_refuses_to_overwrite_an_existing_sqlite_file(tmp_path):
    existing = tmp_path / "live.sqlite3"
    sqlite3.connect(existing).execute("CREATE TABLE t (x)").connection.close()
    backup_file = tmp_path / "b.sqlite3"
    sqlite3.connect(backup_file).execute("CREATE TABLE t (y)").connection.close()
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup_file), database_url=f"sqlite:///{existing}")


def test_backup_of_a_missing_database_fails_with_a_message_and_exit_code(tmp_path):
    out = tmp_path / "never.backup"
    result = run_samverka("backup", str(out), env={"DATABASE_URL": "sqlite:////nonexistent-dir/none.sqlite3"})
    assert result.returncode != 0
    assert "No SQLite database" in result.stderr
    assert not out.exists() and not Path(str(out) + ".partial").exists()
