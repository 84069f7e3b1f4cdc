import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import AreaRole, OrganisationRole, User
from samverka.audit.models import AuditEvent
from samverka.registry import demo, orgnumbers
from samverka.registry.models import Organisation, OrganisationYear

pytestmark = pytest.mark.django_db


def test_demo_loads_valid_realistic_data_and_a_second_run_creates_nothing(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "admin@samverka.example" in out and demo.DEMO_TOTP_BASE32 in out and "samverka-demo" in out
    orgs = list(Organisation.objects.all())
    assert {o.country for o in orgs} == {"NO", "SE", "FI"}
    assert all(orgnumbers.normalise(o.country, o.org_number) == o.org_number for o in orgs)
    assert all(o.org_number.startswith("8") for o in orgs if o.country == "SE")
    assert set(OrganisationYear.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert AreaRole.objects.filter(role="coordinator").count() == 3
    assert AreaRole.objects.filter(role="officer", capabilities=["grants", "vouchers"]).count() == 3
    # Later capabilities add their own demo people; the registry demo gives each area one NGO admin.
    assert OrganisationRole.objects.filter(role="admin", user__email__startswith="ngo.").count() == 3
    assert User.objects.get(email="admin@samverka.example").is_superuser
    assert TOTPDevice.objects.filter(confirmed=True, name="demo", key=demo.DEMO_TOTP_HEX).count() == 7
    assert AuditEvent.objects.filter(action="organisation.create", actor__isnull=True).count() == len(orgs)
    assert User.objects.get(email="coordinator.akershus@samverka.example").check_password("samverka-demo")

    before = {m: m.objects.count() for m in (Organisation, OrganisationYear, User, AreaRole, TOTPDevice, AuditEvent)}
    call_command("demo")
    assert "created 0 organisations, 0 yearly figures, 0 users, 0 roles, 0 TOTP devices" in capsys.readouterr().out
    assert {m: m.objects.count() for m in before} == before
