import pytest
from django.core.management import call_command

from samverka.catalogue import demo
from samverka.catalogue.finder import search_ids
from samverka.catalogue.models import Service
from samverka.registry import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_services_in_several_languages_once():
    registry_demo.load_demo()
    first = demo.load_demo()
    count = Service.objects.count()
    assert count >= 7 and "7 services created" in first
    assert demo.load_demo().startswith("catalogue: 0 services created, 0 brought up to date")
    assert Service.objects.count() == count
    assert search_ids("vertaistukea") and search_ids("föreningarna") and search_ids("frivillige")


def test_reindex_command_prints_a_summary(capsys):
    registry_demo.load_demo()
    demo.load_demo()
    call_command("reindex", verbosity=0)
    assert "Indexed 7 published services" in capsys.readouterr().out
