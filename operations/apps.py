from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Operational plumbing: the shared cache table, client addresses, abuse limits."""

    name = "operations"

    def ready(self) -> None:
        from operations import timestamps  # noqa: F401 (connects its receiver)
