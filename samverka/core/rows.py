"""Reads by primary key for the busiest list pages, without building a queryset.

A list page fetches its 25 rows by id after the index has chosen them. Through the ORM, compiling that
`filter(pk__in=…).only(…)` cost several times the query itself; here the SQL text is built from the model's
metadata, the values pass through the same converters the ORM applies (UUIDs and datetimes on SQLite, etc.),
and the objects are made with `Model.from_db`, exactly as a queryset with `.only(*fields)` makes them.
"""

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any, cast

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def _quote(name: str | None) -> str:
    """A column or table name from model metadata, quoted for the database."""
    return connection.ops.quote_name(cast(str, name))


def _column(field: models.Field) -> tuple[Any, list]:
    """The field as a column expression and the converters a queryset would apply to its values."""
    col = field.get_col(field.model._meta.db_table)
    return col, [*connection.ops.get_db_converters(col), *field.get_db_converters(connection)]


def _convert(values: Sequence[Any], columns: list[tuple[Any, list]]) -> list[Any]:
    out = list(values)
    for at, (col, converters) in enumerate(columns):
        # Most columns (text, numbers) have no converter: only the others are touched.
        if converters:
            value = out[at]
            for convert in converters:
                value = convert(value, col, connection)
            out[at] = value
    return out


def _instances[M: models.Model](model: type[M], attnames: list[str], rows: Iterable[list[Any]]) -> list[M]:
    """Model objects of converted rows holding `attnames` (the others deferred), as `Model.from_db` makes them.

    Without running `__init__` per row when nothing listens to the model's init signals: its generic argument
    handling cost a list page more than its query. The objects are the same: field values in `__dict__` (a
    missing one is deferred and loads on access), `_state` loaded from this database.
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return [model.from_db(connection.alias, attnames, row) for row in rows]
    new = model.__new__
    objects = []
    for row in rows:
        obj = new(model)
        obj.__dict__.update(zip(attnames, row, strict=True))
        state = obj._state = ModelState()
        state.adding, state.db = False, connection.alias
        objects.append(obj)
    return objects


def param_marks(count: int) -> str:
    """`count` parameter markers for a hand-written statement ("%s, %s, …"): the values travel as parameters."""
    return ", ".join(["%s"] * count)


def _in(ids: list, field: models.Field) -> tuple[str, list]:
    return f"IN ({param_marks(len(ids))})", [field.get_db_prep_value(i, connection) for i in ids]


def _select(
    model: type[models.Model], field_names: tuple[str, ...] | None, extra: str = ""
) -> tuple[str, list, list[str]]:
    """ "SELECT <columns> FROM <table>" of `model` (every field, or the primary key and `field_names`; then the
    expression `extra` as a last column, if given), the columns with their converters, and their attribute names; in
    the model's field order, which Model.from_db reads a partial row in. Only quoted names from the model's
    metadata."""
    meta = model._meta
    wanted = None if field_names is None else {meta.pk.name, *field_names}
    fields = [f for f in meta.concrete_fields if wanted is None or f.name in wanted]
    selected = [*(_quote(f.column) for f in fields), *([extra] if extra else [])]
    sql = f"SELECT {', '.join(selected)} FROM {_quote(meta.db_table)}"  # noqa: S608  # nosec B608
    return sql, [_column(f) for f in fields], [f.attname for f in fields]


def _linked_ids_column(model: type[models.Model], link: tuple[type[models.Model], str, str]) -> str:
    """A column of the ids a many-to-many table links each row of `model` to, as text joined by commas."""
    through, key, other = link
    meta = through._meta
    key_column, other_column = (_quote(cast(models.Field, meta.get_field(name)).column) for name in (key, other))
    text = f"CAST(l.{other_column} AS TEXT)"
    joined = f"group_concat({text}, ',')" if connection.vendor == "sqlite" else f"string_agg({text}, ',')"
    own = f"{_quote(model._meta.db_table)}.{_quote(model._meta.pk.column)}"
    return f"(SELECT {joined} FROM {_quote(meta.db_table)} l WHERE l.{key_column} = {own})"  # noqa: S608  # nosec B608


@lru_cache(maxsize=64)
def _select_by_ids(
    model: type[models.Model],
    field_names: tuple[str, ...],
    count: int,
    vendor: str,
    link: tuple[type[models.Model], str, str] | None = None,
):
    """The statement reading `count` rows of `model` by primary key (and, with `link`, the ids each is linked to
    as a last column), and its columns; built once per process and shape (a list page asks for the same fields
    and nearly always the same number of rows)."""
    select, columns, attnames = _select(model, field_names, _linked_ids_column(model, link) if link else "")
    return f"{select} WHERE {_quote(model._meta.pk.column)} IN ({param_marks(count)})", columns, attnames


def fetch_by_ids[M: models.Model](model: type[M], field_names: Iterable[str], ids: list) -> list[M]:
    """The rows of `model` whose primary key is in `ids` (any order), with only the primary key and `field_names`
    loaded (the others deferred, as with `.only()`)."""
    return [obj for obj, _linked in _fetch(model, field_names, ids, None)]


def fetch_by_ids_with_links[M: models.Model](
    model: type[M], field_names: Iterable[str], ids: list, through: type[models.Model], key: str, other: str
) -> list[tuple[M, list]]:
    """fetch_by_ids, each object with the ids of the rows it is linked to through the many-to-many table
    `through` (its foreign keys `key`, to `model`, and `other`), read in the same statement."""
    return _fetch(model, field_names, ids, (through, key, other))


def _fetch(model, field_names: Iterable[str], ids: list, link) -> list[tuple[Any, list]]:
    if not ids:
        return []
    sql, columns, attnames = _select_by_ids(model, tuple(sorted(field_names)), len(ids), connection.vendor, link)
    prep = model._meta.pk.get_db_prep_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [prep(i, connection) for i in ids])
        rows = cursor.fetchall()
    if link is None:
        return [(obj, []) for obj in _instances(model, attnames, [_convert(row, columns) for row in rows])]
    other = cast(models.ForeignKey, link[0]._meta.get_field(link[2])).target_field
    values: dict[str, Any] = {}  # each distinct id converted once (a page's categories recur)

    def linked(text: str | None) -> list:
        found = []
        for part in text.split(",") if text else ():
            if part not in values:
                values[part] = other.to_python(part)
            found.append(values[part])
        return found

    objects = _instances(model, attnames, [_convert(row[:-1], columns) for row in rows])
    return [(obj, linked(row[-1])) for obj, row in zip(objects, rows, strict=True)]


@cache
def _select_one(model: type[models.Model], key: str, field_names: tuple[str, ...] | None, vendor: str):
    """The statement reading one row of `model` by its `key` field, and its columns; built once per process (the
    vendor is part of the key: the quoting and converters are the database's)."""
    select, columns, attnames = _select(model, field_names)
    key_field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    return f"{select} WHERE {_quote(cast(models.Field, key_field).column)} = %s", key_field, columns, attnames


def fetch_one[M: models.Model](
    model: type[M], key: str, value: Any, field_names: Iterable[str] | None = None
) -> M | None:
    """The row whose `key` field (unique; "pk" for the primary key) equals `value`, or None: what
    `model.objects.filter(**{key: value}).first()` gives (all fields, or the primary key and `field_names` with the
    rest deferred), without building and compiling a queryset. For the reads of every signed-in request (session,
    user, MFA device), where compiling cost several times the query. A value the field cannot hold raises as the
    ORM would (ValueError, ValidationError)."""
    names = None if field_names is None else tuple(sorted(field_names))
    sql, key_field, columns, attnames = _select_one(model, key, names, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_field.get_db_prep_value(value, connection)])
        row = cursor.fetchone()
    return None if row is None else model.from_db(connection.alias, attnames, _convert(row, columns))


def convert_rows(rows: Iterable[Sequence[Any]], fields: Sequence[models.Field]) -> list[list[Any]]:
    """Rows of a hand-written SELECT whose columns are `fields`, with the values converted as a queryset would."""
    columns = [_column(f) for f in fields]
    return [_convert(row, columns) for row in rows]


def fetch_links(through: type[models.Model], key: str, other: str, ids: list) -> list[tuple[Any, Any]]:
    """(key id, other id) pairs of a many-to-many table for the rows whose `key` foreign key is in `ids`."""
    if not ids:
        return []
    meta = through._meta
    key_field, other_field = meta.get_field(key), meta.get_field(other)
    key_field, other_field = cast(models.ForeignKey, key_field), cast(models.ForeignKey, other_field)
    columns = [_column(key_field), _column(other_field)]
    quote = _quote
    condition, params = _in(ids, key_field.target_field)
    sql = (
        f"SELECT {quote(key_field.column)}, {quote(other_field.column)} FROM {quote(meta.db_table)} "  # noqa: S608  # nosec B608
        f"WHERE {quote(key_field.column)} {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # The same few ids recur on many rows (a page's organisations, a handful of categories): each distinct raw
    # value is converted once.
    converted: list[dict[Any, Any]] = [{}, {}]

    def value(at: int, raw: Any) -> Any:
        seen = converted[at]
        if raw not in seen:
            seen[raw] = _convert([raw], [columns[at]])[0]
        return seen[raw]

    return [(value(0, key), value(1, other)) for key, other in rows]


def count_and_slice(
    select: str, source: tuple[str, Sequence[Any]], order: str, field: models.Field, offset: int, limit: int
) -> tuple[int, list]:
    """The number of rows of `SELECT <select> <source>` (source: "FROM … WHERE …" and its parameters) and `limit` of
    their values from `offset` in the order of `order` (an ORDER BY clause), in one statement: the count is a
    scalar subquery beside the page, and reads the rows unordered (ordered, SQLite first buffered them in a
    co-routine, which took twice as long). A page past the end has no row to carry the count, which is then
    read alone. `field` is the column's model field (its converters apply)."""
    sql, params = source
    counted = f"(SELECT COUNT(*) FROM (SELECT 1 {sql}) counted)"  # noqa: S608 (a statement, not input)  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select}, {counted} {sql} {order} LIMIT %s OFFSET %s",  # noqa: S608  # nosec B608
            [*params, *params, limit, offset],
        )
        rows = cursor.fetchall()
        if not rows:
            cursor.execute(f"SELECT {counted}", params)  # noqa: S608  # nosec B608
            return cursor.fetchone()[0], []
    column = [_column(field)]
    return rows[0][1], [_convert(row, column)[0] for row in rows]
