from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Operational plumbing: the shared cache table, client addresses, abuse limits, work
    after the answer."""

    name = "operations"

    def ready(self) -> None:
        from operations import (
            after_response,
            timestamps,  # noqa: F401 (connects its receiver)
        )

        after_response.connect()
