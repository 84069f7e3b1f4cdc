"""Background work of the registry: a register import through the task worker (`import-organisations --background`).

Safe to run twice (a retry after a worker was stopped half-way): rows are upserted by organisation number in
batches that each commit whole, so a second run updates or leaves unchanged what the first one wrote.
"""

from django.tasks import task

from .importers import organisations_import


@task()
def import_organisations(path: str, format: str, rejects_path: str | None = None) -> dict:
    result = organisations_import(actor=None, path=path, format=format, rejects_path=rejects_path)
    return {"counts": dict(result.counts), "rejects_path": str(result.rejects_path)}
