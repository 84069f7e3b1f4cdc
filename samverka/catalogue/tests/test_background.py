"""`import-hsds --background` and `reindex --background`: queued, run by the task worker, harmless when run twice."""

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samverka.audit.models import AuditEvent
from samverka.catalogue.hsds_io import export_dataset
from samverka.catalogue.models import Location, Service
from samverka.catalogue.search.index import rebuild
from samverka.registry.tests.factories import OrganisationFactory, area

from .factories import make_service, platform_admin

# The worker closes the database connection between tasks (as in production), which a test inside one
# transaction cannot survive: these tests commit, and the database is emptied after each.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_queue(settings):
    """The production backend (a queue in the database) instead of the tests' immediate one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def task_results(path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at"))


@pytest.fixture
def dataset(tmp_path):
    """An HSDS export of two services with a place, then an empty catalogue to import it into."""
    home = area("NO", "3201")
    org = OrganisationFactory(home_area=home, name="Lag R")
    admin = platform_admin()
    make_service(org, actor=admin, name_nb="Kaffetreff", description_nb="Kaffe og prat.")
    make_service(org, actor=admin, name_nb="Leksehjelp", description_nb="Hjelp med lekser.")
    export_dataset(tmp_path, language="nb")
    Service.objects.all().delete()
    Location.objects.all().delete()
    return tmp_path


def _state() -> tuple:
    return (
        sorted(Service.objects.values_list("pk", "name_nb", "updated_at")),
        Location.objects.count(),
        AuditEvent.objects.count(),
    )


def test_background_hsds_import_runs_in_the_worker_and_a_second_run_changes_nothing(worker_queue, dataset, capsys):
    call_command("import-hsds", str(dataset), "--area", "NO-3201", "--background", verbosity=0)

    assert "queued as task" in capsys.readouterr().out
    assert not Service.objects.exists()  # nothing yet: the worker has not run
    run_worker()
    [first] = task_results("samverka.catalogue.tasks.import_hsds")
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value["counts"]["service"]["created"] == 2
    imported = _state()
    assert len(imported[0]) == 2

    call_command("import-hsds", str(dataset), "--area", "NO-3201", "--background", verbosity=0)
    run_worker()

    second = task_results("samverka.catalogue.tasks.import_hsds")[1]
    assert second.status == TaskResultStatus.SUCCESSFUL
    assert second.return_value["counts"]["service"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert _state() == imported


def test_background_hsds_import_hands_the_worker_an_absolute_path(worker_queue, dataset, monkeypatch):
    monkeypatch.chdir(dataset.parent)

    call_command("import-hsds", dataset.name, "--background", verbosity=0)

    [queued] = task_results("samverka.catalogue.tasks.import_hsds")
    assert queued.args_kwargs["args"][0] == str(dataset.resolve())


def test_background_hsds_import_of_a_missing_path_or_unknown_area_is_refused_before_queueing(
    worker_queue, dataset, tmp_path
):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import-hsds", str(tmp_path / "nope.json"), "--background", verbosity=0)
    with pytest.raises(CommandError, match="Unknown area"):
        call_command("import-hsds", str(dataset), "--area", "NO-0000", "--background", verbosity=0)

    assert not DBTaskResult.objects.exists()


def test_background_reindex_runs_in_the_worker_and_a_second_run_gives_the_same_index(worker_queue, capsys):
    from samverka.catalogue.finder import search_ids

    make_service(name_nb="Frivillig besøkstjeneste", summary_nb="Besøk til eldre.")
    make_service(name_en="Debt advice", summary_en="Help with money and debts.")
    make_service(name_nb="Frivillig utkast", status="draft")
    rebuild()
    before = {q: search_ids(q) for q in ("frivillige", "debts")}

    for _run in range(2):
        call_command("reindex", "--background", verbosity=0)
        assert "queued as task" in capsys.readouterr().out
        run_worker()

    results = task_results("samverka.catalogue.tasks.reindex")
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 2
    assert [r.return_value for r in results] == [2, 2]
    assert {q: search_ids(q) for q in before} == before
