"""Prepare a database for the mixed load test: demo data plus sessions for an NGO admin and an officer.

Runs inside Django (`python -m bench.load_prepare`, DATABASE_URL and DJANGO_SETTINGS_MODULE from the caller) and
prints one JSON line: the two session keys, the cookie names and the data size.
"""

import json
import os

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverka.accounts.models import User
    from samverka.core.testing import session_for
    from samverka.registry.models import Organisation

    if not User.objects.filter(email="officer.akershus@samverka.example").exists():
        call_command("demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    ngo = User.objects.get(email="ngo.akershus@samverka.example")
    officer = User.objects.get(email="officer.akershus@samverka.example")
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first()
    print(
        json.dumps(
            {
                "ngo_session": session_for(ngo),
                "officer_session": session_for(officer, otp_device=device),
                # Production settings name the cookies "__Host-…"; locust sends the names the server reads.
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "ngo_organisation": str(Organisation.objects.filter(roles__user=ngo).values_list("pk", flat=True)[0]),
                "organisations": Organisation.objects.count(),
                "database": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
