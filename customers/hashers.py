"""Password hashing: Argon2id with the cost the settings give."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class ConfiguredArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher with ``PASSWORD_ARGON2_*`` as its cost.

    Django's defaults (100 MiB, 8 lanes) cost about 0.3 s of CPU per hash, so a few clients
    logging in keep every worker busy; OWASP's minimum (19 MiB, 2 passes, 1 lane) is the
    default here. The algorithm name stays ``argon2``: stored hashes of other parameters still
    verify, and Django re-hashes them with these on the next successful log in.
    """

    @property
    def time_cost(self) -> int:
        return settings.PASSWORD_ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:
        return settings.PASSWORD_ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:
        return settings.PASSWORD_ARGON2_PARALLELISM
