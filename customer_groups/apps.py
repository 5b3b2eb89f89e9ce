from django.apps import AppConfig


class CustomerGroupsConfig(AppConfig):
    """Customer groups: assigned by staff in the admin, read by customers."""

    name = "customer_groups"
    verbose_name = "customer groups"

    def ready(self) -> None:
        from customer_groups import resources  # noqa: F401  (a customer's document may include them)
        from customer_groups.services import leave_all_groups
        from customers.services import on_anonymization

        on_anonymization(leave_all_groups)
