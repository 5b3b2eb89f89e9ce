from django.apps import AppConfig


class RelationsConfig(AppConfig):
    """Customer relations: favorites, watched products and other items tied to a customer."""

    name = "relations"
