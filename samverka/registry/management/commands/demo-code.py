"""`samverka demo-code`: the current TOTP code of the demo staff devices, for trying the demo without an app."""

import time

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from samverka.registry import demo


class Command(BaseCommand):
    help = "Print the current six-digit code for the demo staff accounts (they share one demo-only TOTP secret)."

    def handle(self, *args, **options):
        code = totp(bytes.fromhex(demo.DEMO_TOTP_HEX), step=30, t0=0, digits=6)
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {remaining} more seconds)")
