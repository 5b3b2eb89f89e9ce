from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Operational plumbing: the shared cache table, client addresses, abuse limits."""

    name = "operations"
