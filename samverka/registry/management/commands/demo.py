"""`samverka demo`: load the Nordic demo data (idempotent) and print the demo logins."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from samverka.core.errors import DomainError
from samverka.registry import demo


class Command(BaseCommand):
    help = "Load the demo data (Akershus, Värmland, Pirkanmaa) and print the demo logins. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load the demo accounts (published password and TOTP secret) even with production settings",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data with production settings: its accounts have a published password and "
                "TOTP secret. Use --allow-production only for a throw-away database (benchmarks, trials)."
            )
        try:
            result = demo.load_demo()
        except (DomainError, DatabaseError) as exc:
            raise CommandError(f"Demo data could not be loaded: {exc}") from exc
        # Each later capability may ship `samverka/<app>/demo.py` with `load_demo() -> str` (a summary line).
        extra = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("samverka.") and config.label != "registry" and find_spec(module_name):
                try:
                    extra.append(import_module(module_name).load_demo())
                except (DomainError, DatabaseError) as exc:
                    raise CommandError(f"Demo data for {config.label} could not be loaded: {exc}") from exc
        counts = result["counts"]
        self.stdout.write(
            "Demo data: created {organisations} organisations, {years} yearly figures, {users} users, "
            "{roles} roles, {totp_devices} TOTP devices.".format(**counts)
        )
        for line in extra:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD} — demo only):")
        for email, label, needs_totp in result["logins"]:
            self.stdout.write(f"  {email:<42} {label}{'  [TOTP]' if needs_totp else ''}")
        self.stdout.write("")
        self.stdout.write(f"Staff logins need a TOTP code. Demo secret (base32): {demo.DEMO_TOTP_BASE32}")
        self.stdout.write(
            f"  otpauth://totp/Samverka:demo?secret={demo.DEMO_TOTP_BASE32}&issuer=Samverka&digits=6&period=30"
        )
        self.stdout.write("  Add it to an authenticator app, or run `samverka demo-code` for the current code.")
