"""PostgreSQL timestamps parsed by psycopg's compiled loader.

Django registers its own ``timestamptz`` loader on every psycopg connection, to give each
value the connection's ``tzinfo``. It derives from psycopg's pure-Python loader, since the
compiled one cannot be subclassed (Django ticket #36960), so every timestamp a query returns
is parsed in Python: about a sixth of the CPU of a rendered compound document. The loader
below is Django's class, with Django's result, parsing through the compiled loader psycopg
itself registers when ``psycopg[binary]`` or ``psycopg[c]`` is installed.
"""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver


@functools.cache
def _loader_for(timezone: tzinfo | None) -> type | None:
    """Django's loader for ``timezone``, parsing with the compiled loader; None without one."""
    import psycopg
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg.pq import Format

    compiled = psycopg.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
    if compiled is None or issubclass(BaseTzLoader, compiled):  # only the Python one there
        return None

    class CompiledTzLoader(BaseTzLoader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = compiled(oid, context).load

        def load(self, data) -> datetime:
            return self._parse(data).replace(tzinfo=self.timezone)

    CompiledTzLoader.timezone = timezone
    return CompiledTzLoader


@receiver(connection_created)
def parse_timestamps_compiled(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Register the compiled-parsing loader on each new PostgreSQL connection (psycopg 3)."""
    if connection.vendor != "postgresql" or not hasattr(connection.connection, "adapters"):
        return
    loader = _loader_for(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)
