"""Prepare the benchmark database: a coordinator for a whole country with a verified session and an API token.

Runs inside Django (`python -m bench.prepare`, with DATABASE_URL and DJANGO_SETTINGS_MODULE from the caller)
and prints JSON the orchestrator uses: session cookie name and key, token, the filter (county, category) and the
data size.
"""

import json
import os
import time

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverka.accounts.models import ApiToken, AreaRole, User, hash_token
    from samverka.areas.models import Area
    from samverka.core.testing import session_for
    from samverka.registry.models import Category, Organisation

    country = os.environ.get("BENCH_COUNTRY", "NO")
    whole_country = Area.objects.get(kind="country", country=country)
    user, _ = User.objects.get_or_create(
        email="bench.coordinator@samverka.example", defaults={"full_name": "Bench Coordinator"}
    )
    AreaRole.objects.get_or_create(user=user, area=whole_country, role="coordinator")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session_key = session_for(user, otp_device=device)
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name=f"bench {int(time.time())}", token_hash=hash_token(raw), last_four=raw[-4:])

    # The busiest county, and a category with enough organisations there for a full page of 25 rows.
    counties = Area.objects.filter(kind="county", country=country)
    county = max(counties, key=lambda c: Organisation.objects.filter(home_area__path__startswith=c.path).count())
    in_county = Organisation.objects.filter(home_area__path__startswith=county.path)
    top = (
        Category.objects.filter(organisations__in=in_county)
        .annotate(n=Count("organisations"))
        .order_by("-n")
        .values("code", "n")
        .first()
    )
    print(
        json.dumps(
            {
                "session_key": session_key,
                # "__Host-sessionid" with production settings: the orchestrator sends the name the server reads.
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "token": raw,
                "county_id": str(county.pk),
                "county_name": county.name,
                "category": top["code"] if top else "",
                "rows_matching": top["n"] if top else in_county.count(),
                "organisations": Organisation.objects.count(),
                "database": connection.vendor,
                "database_version": ".".join(map(str, connection.Database.sqlite_version_info))
                if connection.vendor == "sqlite"
                else str(connection.pg_version),
            }
        )
    )


if __name__ == "__main__":
    main()
