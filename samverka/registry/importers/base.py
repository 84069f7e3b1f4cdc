"""The batching upsert engine shared by every register format.

A format turns its file into a stream of `Record` (a row to upsert), `Reject` (a bad row, with its reason) or
`Skip` (a good row that is not a non-profit organisation, e.g. a municipality or a sole trader). The engine
upserts records by (country, org_number) in batches, each batch in its own transaction:

1. one SELECT of the batch's numbers finds the existing rows;
2. new rows go in with one bulk_create in a savepoint; if the unique constraint on (country, org_number)
   fires because another import inserted a number meanwhile, the batch is inserted again with
   ignore_conflicts, one SELECT tells which ids are ours, and the others go through the update path;
3. changed rows go out with one prepared UPDATE run for each of them (executemany); identical rows are not
   written at all (a re-run writes nothing). Not bulk_update: its CASE WHEN statement over the whole batch
   builds some 30,000 expression objects and a multi-megabyte SQL string for 2,000 rows, about 100 MB at the
   peak, so an import's memory rose with the share of rows it updates;
4. the registered municipality is added to the areas served with bulk_create on the through table;
5. one AuditEvent per organisation created or changed (its fields before/after; a created one only its filled
   fields, to keep the rows small) goes in with one prepared INSERT run for each (executemany), in the batch's
   transaction: the trail holds exactly what was written. The events carry the import's request id, which the
   import's summary event carries too.
"""

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, reset_queries, transaction
from django.utils import timezone

from samverka.areas.models import Area, AreaKind
from samverka.audit.models import AuditEvent
from samverka.audit.services import audit_event, diff
from samverka.registry.facets import facets_rebuild
from samverka.registry.models import Organisation

# Fields the register decides. The register is the source of truth for name, legal form, status and the
# volunteer-register flag; for the rest an empty value in the file keeps what Samverka holds (an
# organisation may have added its website or address itself).
FIELDS = (
    "name",
    "legal_form",
    "status",
    "home_area_id",
    "in_volunteer_register",
    "purpose",
    "website",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
)
KEEP_WHEN_EMPTY = frozenset(FIELDS[3:]) - {"in_volunteer_register"}
MAX_LENGTHS: dict[str, int] = {
    f.attname: f.max_length
    for f in Organisation._meta.concrete_fields
    if f.attname in FIELDS and f.max_length is not None
}


@dataclass(slots=True)
class Record:
    line: int
    org_number: str
    name: str
    legal_form: str
    status: str
    municipality: str = ""
    in_volunteer_register: bool = False
    purpose: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(slots=True)
class Reject:
    line: int
    org_number: str
    name: str
    reason: str


@dataclass(slots=True)
class Skip:
    line: int
    reason: str


Row = Record | Reject | Skip
UPDATED = (*FIELDS, "updated_at", "source_updated_at")


def _update(changed: list[tuple[Any, dict[str, Any]]], now) -> None:
    """UPDATE each (pk, values) with the same prepared statement: memory does not grow with the batch."""
    meta = Organisation._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    fields = [by_name[name] for name in UPDATED]
    pk = by_name["id"]
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, quoted; values are bound parameters.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608  # nosec B608
        quote(meta.db_table), ", ".join(f"{quote(str(f.column))} = %s" for f in fields), quote(str(pk.column))
    )
    stamp = {"updated_at": now, "source_updated_at": now}
    rows = [
        [f.get_db_prep_save(values.get(f.attname, stamp.get(f.attname)), connection) for f in fields]
        + [pk.get_db_prep_save(pk_value, connection)]
        for pk_value, values in changed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_events(events: list[AuditEvent], now) -> None:
    """INSERT the audit events with one prepared statement run for each (executemany), like `_update`: a
    bulk_create compiles every value of the batch into one statement first, which cost as much as inserting the
    organisations themselves. Values go through each field's own preparation (UUIDs, JSON, the time)."""
    meta = AuditEvent._meta
    fields = list(meta.concrete_fields)
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata, quoted; values are bound parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields))
    )
    for event in events:
        event.created_at = now
    rows = [[f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields] for event in events]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class Upserter:
    def __init__(
        self,
        *,
        country: str,
        source: str,
        batch_size: int,
        on_reject: Callable[[Reject], None],
        on_batch: Callable[[], None] | None = None,
        actor=None,
    ):
        self.actor = actor
        self.country = country
        self.source = source
        self.batch_size = batch_size
        self.on_reject = on_reject
        self.on_batch = on_batch
        self.counts: Counter[str] = Counter()
        self.municipalities = dict(
            Area.objects.filter(country=country, kind=AreaKind.MUNICIPALITY).values_list("code", "id")
        )
        self.through = Organisation.areas.through
        self.batch: dict[str, Record] = {}

    def add(self, row: Row) -> None:
        if isinstance(row, Record):
            if row.org_number in self.batch:
                # The same number twice: write the first before the second, as if in separate batches.
                self.flush()
            self.batch[row.org_number] = row
            if len(self.batch) >= self.batch_size:
                self.flush()
        elif isinstance(row, Reject):
            self.counts["rejected"] += 1
            self.on_reject(row)
        else:
            self.counts["skipped"] += 1
            self.counts[f"skipped: {row.reason}"] += 1

    def run(self, rows: Iterable[Row]) -> Counter[str]:
        for row in rows:
            self.add(row)
        self.flush()
        return self.counts

    def _values(self, record: Record) -> dict[str, Any]:
        area_id = None
        if record.municipality:
            area_id = self.municipalities.get(record.municipality)
            if area_id is None:
                self.counts["unknown municipality"] += 1
        values: dict[str, Any] = {
            "name": record.name,
            "legal_form": record.legal_form,
            "status": record.status,
            "home_area_id": area_id,
            "in_volunteer_register": record.in_volunteer_register,
            "purpose": record.purpose,
            "website": record.website,
            "email": record.email,
            "phone": record.phone,
            "street_address": record.street_address,
            "postal_code": record.postal_code,
            "city": record.city,
        }
        for name, limit in MAX_LENGTHS.items():
            value = values[name]
            if value and len(value) > limit:
                values[name] = value[:limit].rstrip()
        return values

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, {}
        wanted = {number: self._values(record) for number, record in batch.items()}
        with transaction.atomic():
            pending = self._write(wanted)
            if pending:
                # Inserted by a concurrent import between our SELECT and INSERT: now they exist, so update.
                self._write(pending)
            batch_ids = Organisation.objects.filter(country=self.country, org_number__in=list(wanted))
            facets_rebuild(batch_ids.values_list("pk", flat=True))
        self.counts["batches"] += 1
        if self.on_batch is not None:
            self.on_batch()
        # DEBUG keeps every SQL string; bulk statements are large, so drop them between batches.
        reset_queries()

    def _insert(self, new: list[Organisation]) -> list[Organisation]:
        """Insert new rows; return those another import inserted first (their number is taken)."""
        try:
            with transaction.atomic():  # a savepoint: the common case is one plain multi-row INSERT
                Organisation.objects.bulk_create(new)
            return []
        except IntegrityError:
            Organisation.objects.bulk_create(new, ignore_conflicts=True)
            ours = dict(
                Organisation.objects.filter(
                    country=self.country, org_number__in=[o.org_number for o in new]
                ).values_list("org_number", "id")
            )
            return [obj for obj in new if ours.get(obj.org_number) != obj.id]

    def _event(self, action: str, pk, name: str, area_id, changes: dict) -> AuditEvent:
        event = audit_event(
            actor=self.actor,
            action=action,
            object_type="registry.organisation",
            object_id=pk,
            organisation_id=pk,
            area_id=area_id,
            changes=changes,
        )
        event.object_label = name[:300]
        return event

    def _write(self, wanted: dict[str, dict]) -> dict[str, dict]:
        now = timezone.now()
        existing = {
            row[0]: row[1:]
            for row in Organisation.objects.filter(country=self.country, org_number__in=list(wanted)).values_list(
                "org_number", "id", *FIELDS
            )
        }
        new, changed, area_links, events = [], [], [], []
        for number, values in wanted.items():
            found = existing.get(number)
            if found is None:
                new.append(
                    Organisation(
                        id=uuid.uuid4(),
                        country=self.country,
                        org_number=number,
                        source=self.source,
                        source_updated_at=now,
                        **values,
                    )
                )
                continue
            pk, current = found[0], dict(zip(FIELDS, found[1:], strict=True))
            merged = {
                name: current[name] if name in KEEP_WHEN_EMPTY and not values[name] else values[name] for name in FIELDS
            }
            if merged == current:
                self.counts["unchanged"] += 1
                continue
            changed.append((pk, merged))
            events.append(
                self._event("organisation.update", pk, merged["name"], merged["home_area_id"], diff(current, merged))
            )
            if merged["home_area_id"] and merged["home_area_id"] != current["home_area_id"]:
                area_links.append(self.through(organisation_id=pk, area_id=merged["home_area_id"]))
        pending: dict[str, dict] = {}
        if new:
            for obj in self._insert(new):
                pending[obj.org_number] = wanted[obj.org_number]
            for obj in new:
                if obj.org_number in pending:
                    continue
                self.counts["created"] += 1
                filled = {name: value for name, value in wanted[obj.org_number].items() if value not in ("", None)}
                events.append(self._event("organisation.create", obj.id, obj.name, obj.home_area_id, diff({}, filled)))
                if obj.home_area_id:
                    area_links.append(self.through(organisation_id=obj.id, area_id=obj.home_area_id))
        if changed:
            _update(changed, now)
            self.counts["updated"] += len(changed)
        if area_links:
            self.through.objects.bulk_create(area_links, ignore_conflicts=True)
        if events:
            _insert_events(events, now)
        return pending
