"""Queries the ORM compiles once and the service runs on every request with other values.

Django compiles a queryset's SQL anew each time it runs; for the few reads every request
makes (a token's customer, a customer's addresses and relations), compiling costs more than
the query itself. A :class:`PreparedQuery` lets the ORM compile its queryset once per
database, with marker values where the parameters go, then runs the SQL with the real values
on a plain cursor and builds the instances with the ORM's own conversions for the backend
(SQLite keeps datetimes as text), so they are the instances the ORM would build.

Only plain selects of one model's concrete fields qualify: no ``select_related``,
annotations, ``values()`` or deferred fields.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

# Values no real parameter has: the compiled SQL keeps them where the real ones will go.
MARKERS = (9_000_000_000_000_000_001, 9_000_000_000_000_000_002, 9_000_000_000_000_000_003)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[int, ...]  # where each value goes in params
    model: type[Model]
    field_names: list[str]
    converters: list[tuple[int, Any, list]]


class PreparedQuery:
    """``build(*markers)`` compiled once per database; calling it runs it with real values."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1) -> None:
        if not 0 < arity <= len(MARKERS):
            raise ValueError(f"at most {len(MARKERS)} parameters")
        self.build = build
        self.arity = arity
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *values: Any, using: str = "default") -> list[Model]:
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return [self._instance(compiled, row, connection) for row in rows]

    def _compile(self, using: str) -> _Compiled:
        queryset = self.build(*MARKERS[: self.arity]).using(using)
        query = queryset.query
        if (
            query.select_related
            or query.annotations
            or query.values_select
            or query.deferred_loading[0]
        ):
            raise ValueError("only plain selects of one model's fields can be prepared")
        connection = connections[using]
        sql, params = query.get_compiler(using=using).as_sql()
        slots = tuple(params.index(marker) for marker in MARKERS[: self.arity])
        if any(params.count(marker) != 1 for marker in MARKERS[: self.arity]):
            raise ValueError("each parameter must appear once in the query")
        model = queryset.model
        field_names = [field.attname for field in model._meta.concrete_fields]
        compiled = _Compiled(
            sql, tuple(params), slots, model, field_names, column_converters(model, connection)
        )
        self._compiled[using] = compiled
        return compiled

    @staticmethod
    def _instance(compiled: _Compiled, row: tuple, connection) -> Model:
        return instance_from_row(
            compiled.model, compiled.field_names, compiled.converters, row, connection
        )


class PreparedPages:
    """A :class:`PreparedQuery` per page window: LIMIT and OFFSET are written into the SQL.

    The few windows clients use (the first page of ten, say) stay compiled; others are
    compiled again when they come back.
    """

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1, windows: int = 32):
        self._window = functools.lru_cache(maxsize=windows)(
            lambda start, stop: PreparedQuery(lambda *markers: build(*markers)[start:stop], arity)
        )

    def __call__(self, start: int, stop: int, *values: Any) -> list[Model]:
        return self._window(start, stop)(*values)


def column_converters(model: type[Model], connection) -> list[tuple[int, Any, list]]:
    """(position, column, converters) of each concrete field the ORM's compiler converts."""
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if converters:
            found.append((position, column, converters))
    return found


def instance_from_row(
    model: type[Model], field_names: list[str], converters: list, row: Sequence, connection
) -> Model:
    """The instance the ORM would build from ``row`` (its concrete fields, in order)."""
    values = list(row)
    for position, column, field_converters in converters:
        value = values[position]
        for convert in field_converters:
            value = convert(value, column, connection)
        values[position] = value
    return model.from_db(connection.alias, field_names, values)
