"""`samverka backup PATH`: a consistent online backup of the configured database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverka.core.backups import BackupError, Target, backup


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a backup must run even when the database is unwell
    help = "Back up the database while the server runs (SQLite backup API, or pg_dump -Fc for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="file to write (replaced only when the backup is complete)")

    def handle(self, *args, **options):
        source = Target.from_settings(settings.DATABASES["default"])
        try:
            size = backup(source, options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up the {source.engine} database to {options['path']} ({size:,} bytes).")
