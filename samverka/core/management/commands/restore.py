"""`samverka restore PATH`: restore a backup made by `samverka backup`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverka.core.backups import BackupError, Target, restore


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a backup must run even when the database is unwell
    help = (
        "Restore a backup. SQLite: into the configured database file (or --database-url). PostgreSQL: into a new, "
        "empty database given by --database-url (created when missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a file written by `samverka backup`")
        parser.add_argument("--database-url", default="", help="where to restore (default: the configured database)")
        parser.add_argument("--force", action="store_true", help="overwrite an existing SQLite file")

    def handle(self, *args, **options):
        url = options["database_url"]
        target = Target.from_url(url) if url else Target.from_settings(settings.DATABASES["default"])
        if target.engine == "postgresql" and not url:
            raise CommandError("Give --database-url: PostgreSQL backups are restored into a new database.")
        try:
            restore(options["path"], target, force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {options['path']} into the {target.engine} database {target.name}.")
