"""Session login (admin, browsable API) by e-mail, case-insensitively."""

from django.contrib.auth.backends import ModelBackend


class CustomerBackend(ModelBackend):
    """Django's model backend; the manager's natural key already ignores e-mail case."""
