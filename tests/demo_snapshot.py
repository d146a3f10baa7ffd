"""The demo, loaded once per test process and put back in every test after.

Loading the demo through its services takes seconds; dozens of tests ask for
it. The first test that does loads it as always, and the rows that loading
added, changed or deleted are kept in memory, table by table. Every later
test starts from the same database (each test's changes are rolled back), so
writing those rows back is the same as loading the demo again, in a fraction
of the time. Foreign keys are checked at commit on both databases (Django
makes them deferrable), so the order of the tables does not matter.

It is used only when the database is exactly as it was before the first
load (no test fixture wrote anything first); otherwise the demo is loaded
again the slow way. The clock is the same day for the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction


@dataclass
class _Table:
    columns: list[str]
    pk: str
    inserted: list[tuple] = field(default_factory=list)
    updated: list[tuple] = field(default_factory=list)
    deleted: list = field(default_factory=list)


@dataclass
class Snapshot:
    before: dict[str, dict]
    tables: dict[str, _Table]


_snapshot: Snapshot | None = None


# PostgreSQL's json and jsonb: read as Python values, written back as JSON.
_JSON_TYPES = {114, 3802}
_json_columns: dict[str, list[bool]] = {}


def _for_writing(row: tuple, json: list[bool]) -> tuple:
    if connection.vendor != "postgresql" or not any(json):
        return row
    from psycopg2.extras import Json as Jsonb

    return tuple(
        # Django reads json as text with psycopg2: text goes back as it is.
        Jsonb(value) if is_json and value is not None and not isinstance(value, str) else value
        for value, is_json in zip(row, json, strict=True)
    )


def _names() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if n != "django_migrations")


def _read() -> dict[str, tuple[list[str], str, dict]]:
    """Every table's columns, primary key and rows by primary key."""
    found = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in _names():
            description = connection.introspection.get_table_description(cursor, name)
            columns = [c.name for c in description]
            pk = connection.introspection.get_primary_key_column(cursor, name)
            if pk is None:
                continue
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(name)}")
            index = columns.index(pk)
            _json_columns[name] = [c.type_code in _JSON_TYPES for c in description]
            found[name] = (columns, pk, {row[index]: row for row in cursor.fetchall()})
    return found


def _state() -> dict[str, dict]:
    return {name: rows for name, (_, _, rows) in _read().items()}


def load(loader) -> None:
    """Load the demo with `loader` the first time; write its rows back after."""
    global _snapshot
    if _snapshot is not None and _state() == _snapshot.before:
        _write_back(_snapshot)
        return
    before = _read()
    loader()
    if _snapshot is not None:
        return  # loaded on top of a test's own rows: not a clean starting point
    after = _read()
    tables = {}
    for name, (columns, pk, rows) in after.items():
        old = before.get(name, (columns, pk, {}))[2]
        table = _Table(columns=columns, pk=pk)
        table.inserted = [row for key, row in rows.items() if key not in old]
        table.updated = [row for key, row in rows.items() if key in old and old[key] != row]
        table.deleted = [key for key in old if key not in rows]
        if table.inserted or table.updated or table.deleted:
            tables[name] = table
    _snapshot = Snapshot(before={n: r for n, (_, _, r) in before.items()}, tables=tables)


def _write_back(snapshot: Snapshot) -> None:
    qn = connection.ops.quote_name
    # In one transaction: foreign keys are checked at its end (a browser
    # test's database commits each statement otherwise).
    with transaction.atomic(), connection.cursor() as cursor:
        for name, table in snapshot.tables.items():
            json = _json_columns[name]
            columns = ", ".join(qn(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            for key in table.deleted:
                cursor.execute(f"DELETE FROM {qn(name)} WHERE {qn(table.pk)} = %s", [key])
            for row in table.updated:
                sets = ", ".join(f"{qn(c)} = %s" for c in table.columns)
                index = table.columns.index(table.pk)
                cursor.execute(
                    f"UPDATE {qn(name)} SET {sets} WHERE {qn(table.pk)} = %s",
                    [*_for_writing(row, json), row[index]],
                )
            if table.inserted:
                cursor.executemany(
                    f"INSERT INTO {qn(name)} ({columns}) VALUES ({marks})",
                    [_for_writing(row, json) for row in table.inserted],
                )
        if connection.vendor == "postgresql":
            # Rows written with their ids: the next ids the database hands
            # out must come after them.
            for name, table in snapshot.tables.items():
                if not table.inserted:
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [name, table.pk])
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute(
                        f"SELECT setval(%s, GREATEST((SELECT MAX({qn(table.pk)}) FROM "
                        f"{qn(name)}), (SELECT last_value FROM {sequence})))",
                        [sequence],
                    )
