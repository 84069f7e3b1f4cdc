"""Recovery codes made before codes were hashed (django-otp's plain `StaticToken`, 8 base32 characters, 40 bits)
become `RecoveryCode` rows holding a salted password hash of the code, and the plain tokens are deleted. The old
codes keep working until used or replaced; at 40 bits a fast hash would be guessable, so they get the password
hasher (ASVS 6.5.2). Not reversible with the codes: going back leaves the people concerned to make new codes."""

from django.contrib.auth.hashers import make_password
from django.db import migrations

RECOVERY_DEVICE_NAME = "recovery"


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    tokens = StaticToken.objects.filter(device__name=RECOVERY_DEVICE_NAME)
    RecoveryCode.objects.bulk_create(
        [
            RecoveryCode(device_id=token.device_id, code_hash=make_password(token.token.strip().lower()))
            for token in tokens.iterator()
        ]
    )
    tokens.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_recoverycode"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
