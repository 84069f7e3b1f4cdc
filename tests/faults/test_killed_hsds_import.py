"""`samverka import-hsds` killed half-way (SIGKILL) leaves only whole services, and a second run ends in the same
state as one clean run.

Each service is written in its own transaction (with its languages and its audit event), so a kill can only cut
between services; the second run creates the rest and finds the first ones unchanged.
"""

import json
import uuid

import pytest

from samverka.audit.models import AuditEvent
from samverka.catalogue.models import Service, ServiceLanguage
from samverka.registry.tests.factories import OrganisationFactory, area

from ..helpers import run_samverka
from . import workers

SERVICES = 200

pytestmark = pytest.mark.django_db(transaction=True)


def _dataset(path, organisation_id: str) -> list[dict]:
    items = [
        {
            "id": str(uuid.UUID(int=i + 1, version=4)),
            "name": f"Besøkstjeneste {i}",
            "description": f"Frivillige besøker eldre, tjeneste nummer {i}.",
            "status": "active",
            "organization_id": organisation_id,
            "languages": [{"id": str(uuid.UUID(int=10_000 + i, version=4)), "code": "nb"}],
        }
        for i in range(SERVICES)
    ]
    path.write_text(json.dumps({"contents": items}, ensure_ascii=False))
    return items


def _state() -> dict[str, tuple]:
    """Per service: its name, its language rows and how many import audit events it has."""
    audits: dict[str, int] = {}
    for object_id in AuditEvent.objects.filter(action="catalogue.service.imported").values_list("object_id", flat=True):
        audits[object_id] = audits.get(object_id, 0) + 1
    languages = {str(s): [] for s in Service.objects.values_list("pk", flat=True)}
    for service_id, code in ServiceLanguage.objects.values_list("service_id", "code"):
        languages[str(service_id)].append(code)
    return {
        str(pk): (name, languages[str(pk)], audits.get(str(pk), 0))
        for pk, name in Service.objects.values_list("pk", "name_nb")
    }


def test_killed_hsds_import_leaves_whole_services_and_a_rerun_ends_as_one_clean_run(tmp_path):
    organisation = OrganisationFactory(home_area=area("NO", "3201"))
    data = tmp_path / "services.json"
    items = _dataset(data, str(organisation.pk))

    process = workers.start("import-hsds", str(data), "--verbosity", "0", environ=workers.env())
    workers.kill_when(process, lambda: Service.objects.count() >= 20)
    interrupted = _state()
    assert 0 < len(interrupted) < SERVICES
    for service_id, (name, languages, audits) in interrupted.items():
        assert (languages, audits) == (["nb"], 1), f"service {service_id} ({name}) is half-written"

    rerun = run_samverka("import-hsds", str(data), env=workers.env(), timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"service: {SERVICES - len(interrupted)} created, 0 updated, {len(interrupted)} unchanged" in rerun.stdout

    clean_run = {item["id"]: (item["name"], ["nb"], 1) for item in items}
    assert _state() == clean_run
