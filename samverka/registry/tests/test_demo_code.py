from io import StringIO

from django.core.management import call_command
from django_otp.oath import TOTP

from samverka.registry import demo


def test_demo_code_prints_the_code_the_demo_devices_accept():
    out = StringIO()
    call_command("demo-code", stdout=out)
    expected = TOTP(bytes.fromhex(demo.DEMO_TOTP_HEX)).token()
    printed = int(out.getvalue().split()[0])
    # The 30-second window may turn between the two computations; accept the neighbouring code too.
    assert printed in {expected, TOTP(bytes.fromhex(demo.DEMO_TOTP_HEX), drift=-1).token()}
