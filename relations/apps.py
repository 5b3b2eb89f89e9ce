from django.apps import AppConfig


class RelationsConfig(AppConfig):
    """Customer relations: favorites, watched products and other items tied to a customer."""

    name = "relations"

    def ready(self) -> None:
        from customers.services import on_anonymization
        from relations import resources  # noqa: F401  (a customer's document may include them)
        from relations.services import delete_all_relations

        on_anonymization(delete_all_relations)
