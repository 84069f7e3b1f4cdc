import pytest

from samverka.agreements.demo import load_demo
from samverka.agreements.models import Agreement
from samverka.registry.demo import load_demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_an_active_signed_and_a_consultation_agreement():
    registry_demo()
    assert "created 2" in load_demo()
    assert "created 0" in load_demo()
    active = Agreement.objects.get(status="active")
    assert active.current_version.signatures.count() == 2 and active.published
    assert Agreement.objects.filter(status="consultation", kind="iop").exists()
