"""Importing organisations from the national registers: `organisations_import` is the one entry point.

Formats: `brreg` (Norway, Enhetsregisteret CSV or JSON), `prh` (Finland, PRH/YTJ v3 JSON), `se` (Sweden, SCB or
Bolagsverket bulk file). The whole file is checked before the first write; then rows stream in batches, each
batch in its own transaction. See docs/imports.md.
"""

import csv
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from samverka.audit.services import audit_record
from samverka.core import request_context

from .base import Reject, Upserter
from .brreg import BrregFormat
from .files import ImportFileError, SourceFile
from .prh import PrhFormat
from .se import SwedishFormat

FORMATS = {f.key: f for f in (BrregFormat, PrhFormat, SwedishFormat)}
DEFAULT_BATCH_SIZE = 2000
COUNT_KEYS = ("created", "updated", "unchanged", "rejected", "skipped")

__all__ = ["FORMATS", "ImportFileError", "ImportResult", "default_rejects_path", "organisations_import"]


@dataclass
class ImportResult:
    format: str
    path: Path
    rejects_path: Path
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    details: dict[str, int] = field(default_factory=dict)  # skipped by reason, unknown municipality codes

    @property
    def rows(self) -> int:
        return sum(self.counts[k] for k in COUNT_KEYS)


def default_rejects_path(path: str | Path) -> Path:
    """Next to the input: enheter.csv → enheter.rejects.csv (enheter.csv.gz → enheter.rejects.csv)."""
    path = Path(path)
    stem = path.name
    for suffix in (".gz", ".csv", ".json", ".txt"):
        stem = stem.removesuffix(suffix)
    return path.with_name(f"{stem}.rejects.csv")


def organisations_import(
    *,
    actor,
    path: str | Path,
    format: str,
    rejects_path: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Upsert the organisations of a register file by (country, number).

    Raises ImportFileError, with nothing written, when the file cannot be imported as a whole. Bad rows are
    written to the rejects file (line, number, name, reason) and never stop the good ones. `progress` is
    called after each batch with (bytes read, file size).
    """
    if format not in FORMATS:
        raise ImportFileError(
            _("Unknown format %(format)s; choose one of %(choices)s.")
            % {"format": format, "choices": ", ".join(FORMATS)}
        )
    if batch_size < 1:
        raise ImportFileError(_("The batch size must be at least 1."))
    started = time.monotonic()
    source = SourceFile(path)
    importer = FORMATS[format]()
    importer.prepare(source)  # every whole-file check; raises before anything is written

    rejects = Path(rejects_path) if rejects_path else default_rejects_path(source.path)
    # Every audit event of this import (one per organisation created or changed, and the summary) carries one
    # request id: a request's own when a request started it, else one naming the command.
    outer = request_context.current()
    request_id = outer.request_id or f"import-organisations:{uuid.uuid4().hex}"
    token = request_context.set_current(request_context.RequestContext(request_id=request_id, ip=outer.ip))
    try:
        return _run(
            actor=actor,
            format=format,
            source=source,
            importer=importer,
            rejects=rejects,
            batch_size=batch_size,
            progress=progress,
            started=started,
        )
    finally:
        request_context.reset(token)


def _run(
    *,
    actor,
    format: str,
    source: SourceFile,
    importer,
    rejects: Path,
    batch_size: int,
    progress: Callable[[int, int], None] | None,
    started: float,
) -> ImportResult:
    with open(rejects, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "org_number", "name", "reason"])

        def on_reject(row: Reject) -> None:
            writer.writerow([row.line, row.org_number, row.name, row.reason])

        def on_batch() -> None:
            if progress is not None:
                progress(source.bytes_read, source.size)

        upserter = Upserter(
            country=importer.country,
            source=importer.source,
            batch_size=batch_size,
            on_reject=on_reject,
            on_batch=on_batch,
            actor=actor,
        )
        counts = upserter.run(importer.rows(source))
    if progress is not None:
        progress(source.size, source.size)

    result = ImportResult(
        format=format,
        path=source.path,
        rejects_path=rejects,
        seconds=time.monotonic() - started,
        counts={k: counts[k] for k in COUNT_KEYS},
        details={k: v for k, v in sorted(counts.items()) if k not in COUNT_KEYS and k != "batches"},
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registry.import",
            object_type="registry.import",
            object_id=source.path.name[:64],
            changes={"format": format, "file": str(source.path), "counts": result.counts, "details": result.details},
        )
    return result
