import pytest
from django.urls import reverse

from samverka.audit.models import AuditEvent
from samverka.catalogue.demo import load_demo as load_catalogue_demo
from samverka.catalogue.models import Schedule, Service
from samverka.registry.demo import load_demo as load_registry_demo
from samverka.vouchers import ledger
from samverka.vouchers.demo import SCHEME_NAME, load_demo
from samverka.vouchers.models import Accreditation, Claim, SettlementRun, VoucherScheme
from samverka.vouchers.selectors import provider_comparison, reconciliation

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Service, Schedule, VoucherScheme, Accreditation, Claim, SettlementRun, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def _load_all() -> tuple[str, str]:
    return load_catalogue_demo(), load_demo()


def test_demo_loads_once_and_the_ledger_reconciles():
    load_registry_demo()
    line = load_demo()
    assert "2 accredited providers" in line and "settled" in line
    assert load_demo().startswith("vouchers demo: already loaded")
    scheme = VoucherScheme.objects.get()
    assert Accreditation.objects.filter(scheme=scheme, status="approved").count() == 2
    assert Claim.objects.count() == 6 and SettlementRun.objects.count() == 1
    assert ledger.verify().ok and reconciliation(scheme=scheme).balanced


def test_the_demo_schemes_comparison_lists_a_voucher_service_and_a_second_run_changes_nothing(client):
    load_registry_demo()
    _load_all()
    scheme = VoucherScheme.objects.get(name=SCHEME_NAME)
    rows = {row.accreditation.organisation.name: row for row in provider_comparison(scheme=scheme)}
    red_cross = rows["Bærum Røde Kors"]
    assert red_cross.accreditation.status == "approved" and red_cross.taking_now
    assert [s.service.name_nb for s in red_cross.services] == ["Besøksvenn for eldre"]
    assert red_cross.services[0].hours and red_cross.accreditation.openings_note
    assert rows["Asker Frivilligsentral"].accreditation.new_clients_from is not None

    page = client.get(reverse("vouchers:compare", args=[scheme.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Visiting friend for older people" in html  # the page is in English, the service has an English name
    assert reverse("catalogue:service_detail", args=[red_cross.services[0].service.pk]) in html

    before = _counts()
    catalogue_line, vouchers_line = _load_all()
    assert catalogue_line.startswith("catalogue: 0 services created, 0 brought up to date")
    assert vouchers_line == "vouchers demo: already loaded (1 scheme)"
    assert _counts() == before


def test_a_second_run_brings_an_older_demo_database_up_to_date():
    load_registry_demo()
    _load_all()
    scheme = VoucherScheme.objects.get(name=SCHEME_NAME)
    # As the demo was before: the visiting service took no vouchers and no provider had set its openings.
    Service.objects.filter(name_nb="Besøksvenn for eldre").update(accepts_vouchers=False)
    Accreditation.objects.filter(scheme=scheme).update(takes_new_clients=True, new_clients_from=None, openings_note="")
    assert all(not row.services for row in provider_comparison(scheme=scheme))
    services_before = Service.objects.count()

    catalogue_line, vouchers_line = _load_all()

    assert catalogue_line.startswith("catalogue: 0 services created, 1 brought up to date")
    assert vouchers_line == "vouchers demo: already loaded (1 scheme); openings set for 2 providers"
    assert Service.objects.count() == services_before
    rows = {row.accreditation.organisation.name: row for row in provider_comparison(scheme=scheme)}
    assert [s.service.name_nb for s in rows["Bærum Røde Kors"].services] == ["Besøksvenn for eldre"]
    assert all(row.accreditation.openings_note for row in rows.values())
    before = _counts()
    _load_all()
    assert _counts() == before
