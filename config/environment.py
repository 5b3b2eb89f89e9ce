"""django-environ's reader, strict: a value it cannot read stops the start-up, naming the variable.

django-environ reads ``DEBUG=ture`` as off and fails on ``TRUSTED_PROXY_COUNT=1.5`` or
``DATABASE_URL=foo`` with a bare ``ValueError`` or ``KeyError`` that names nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

NOTSET = environ.Env.NOTSET


@contextmanager
def reading(var: str) -> Iterator[None]:
    """Turn a failure to read ``var`` into an ``ImproperlyConfigured`` that names it.

    URLs may hold passwords, so no message repeats the value of a URL.
    """
    try:
        yield
    except ImproperlyConfigured as exc:
        if str(exc).startswith(f"{var}: "):
            raise
        raise ImproperlyConfigured(f"{var}: {exc}") from exc
    except KeyError as exc:
        raise ImproperlyConfigured(f"{var}: unknown or missing URL scheme.") from exc
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{var}: {exc}") from exc


class Env(environ.Env):
    """``environ.Env`` whose booleans are on or off words and whose failures name the variable."""

    BOOLEAN_FALSE_STRINGS = ("false", "off", "no", "n", "0", "")

    def get_value(self, var, cast=None, default=NOTSET, parse_default=False):
        with reading(var):
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)

    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool and isinstance(value, str):
            word = value.strip().lower()
            if word not in cls.BOOLEAN_TRUE_STRINGS + cls.BOOLEAN_FALSE_STRINGS:
                raise ValueError(f"{value!r} is neither on (1, true, yes) nor off (0, false, no).")
        if cast is int and isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a whole number.") from None
        return super().parse_value(value, cast)

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=NOTSET, engine=None) -> dict:
        # django-environ takes an unknown scheme for an engine's name, or warns with the
        # whole configuration, password included, and goes on without a database.
        with reading(var):
            url = self.get_value(var, default=default)
            if engine is None and urlsplit(url).scheme not in self.DB_SCHEMES:
                raise ImproperlyConfigured(f"{var}: unknown or missing URL scheme.")
            return self.db_url_config(url, engine=engine)

    def cache_url(self, var=environ.Env.DEFAULT_CACHE_ENV, default=NOTSET, backend=None) -> dict:
        with reading(var):
            return super().cache_url(var, default=default, backend=backend)

    def email_url(self, var=environ.Env.DEFAULT_EMAIL_ENV, default=NOTSET, backend=None) -> dict:
        with reading(var):
            return super().email_url(var, default=default, backend=backend)
