"""Customer groups (Aimeos' customer/group): staff put customers in them, customers read them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from customers.models import Customer, CustomerItem

MEMBERSHIP_CONSTRAINT = "customer_group_membership_unique"
LIST_ORDER = ("code", "id")


def _count_member_versions_up(groups: models.QuerySet, using: str) -> None:
    """The documents of these groups' members show the groups: they are outdated."""
    members = CustomerGroupMembership.objects.using(using).filter(group__in=groups)
    Customer.objects.using(using).filter(
        pk__in=models.Subquery(members.order_by().values("customer_id"))
    ).update(data_version=models.F("data_version") + 1)


class CustomerGroupQuerySet(models.QuerySet):
    """Groups; a change of their code or label counts their members' data versions up."""

    def update(self, **changes) -> int:
        with transaction.atomic(using=self.db, savepoint=False):
            _count_member_versions_up(self.order_by().values("pk"), self.db)
            return super().update(**changes)


class CustomerGroup(models.Model):
    """A group such as "wholesale" or "newsletter"; prices and rights elsewhere follow it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=64, unique=True, help_text="Unique, e.g. wholesale.")
    label = models.CharField(max_length=255)
    customers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CustomerGroupMembership",
        related_name="customer_groups",
        blank=True,
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    objects = CustomerGroupQuerySet.as_manager()

    class Meta:
        ordering = LIST_ORDER

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)
            _count_member_versions_up(
                CustomerGroup.objects.filter(pk=self.pk).values("pk"), self._state.db
            )


class CustomerGroupMembership(CustomerItem):
    """A customer in a group; every write of it counts the customer's data version up."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    group = models.ForeignKey(CustomerGroup, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField("since", auto_now_add=True)

    class Meta:
        verbose_name = "group membership"
        constraints = [
            models.UniqueConstraint(fields=["customer", "group"], name=MEMBERSHIP_CONSTRAINT)
        ]

    def __str__(self) -> str:
        return str(self.group)


@receiver(pre_delete, sender=CustomerGroup)
def _group_deleted(sender, instance: CustomerGroup, using: str, **kwargs) -> None:
    """A deleted group's memberships go by cascade, which counts no version: count them here."""
    _count_member_versions_up(CustomerGroup.objects.filter(pk=instance.pk).values("pk"), using)
