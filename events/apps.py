from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The outbox: events for other services, webhooks, and every e-mail the service sends."""

    name = "events"

    def ready(self) -> None:
        from events import dispatch

        dispatch.start_sweeper_if_serving()
