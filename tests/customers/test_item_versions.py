"""Every write API Django offers on a customer's items counts the customer's data version up.

Cached documents are keyed by ``Customer.data_version``; a write that did not count it would
leave a stale document served. Each API is tried on each item model, as a service, the admin, a
command or a shell would call it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from addresses.models import Address
from customers.models import Customer
from properties.models import Property
from relations.models import Relation
from tests.factories import AddressFactory, CustomerFactory, PropertyFactory, RelationFactory

FACTORIES = {Address: AddressFactory, Relation: RelationFactory, Property: PropertyFactory}
# A field each model lets any value of its type into, for updates.
TEXT_FIELD = {Address: "city", Relation: "ref_id", Property: "value"}
RELATED = {Address: "addresses", Relation: "customer_relations", Property: "customer_properties"}


def version(customer: Customer) -> int:
    return Customer.objects.values_list("data_version", flat=True).get(pk=customer.pk)


def attributes(model, customer: Customer) -> dict:
    """A new item's fields, as its factory builds them, for ``customer``."""
    built = FACTORIES[model].build(customer=customer)
    return {
        field.name: getattr(built, field.name)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in ("created_at", "updated_at")
    }


def new(model, customer):
    return lambda: model(**attributes(model, customer)).save()


def first(model, customer):
    return model.objects.filter(customer=customer).first()


def writes(model) -> dict[str, Callable[[Customer], Callable[[], object]]]:
    """Each write API, as a function of the customer whose item it writes."""
    field = TEXT_FIELD[model]

    def changed(item):
        setattr(item, field, "changed")
        return item

    return {
        "save() of a new item": lambda c: new(model, c),
        "save() of a stored item": lambda c: lambda: changed(first(model, c)).save(),
        "save(update_fields=...)": lambda c: (
            lambda: changed(first(model, c)).save(update_fields=[field])
        ),
        "delete() of an item": lambda c: lambda: first(model, c).delete(),
        "objects.create()": lambda c: lambda: model.objects.create(**attributes(model, c)),
        "objects.get_or_create()": lambda c: (
            lambda: model.objects.get_or_create(**attributes(model, c))
        ),
        "objects.update_or_create()": lambda c: (
            lambda: model.objects.update_or_create(
                pk=first(model, c).pk, defaults={field: "changed"}
            )
        ),
        "queryset update()": lambda c: (
            lambda: model.objects.filter(customer=c).update(**{field: "changed"})
        ),
        "queryset delete()": lambda c: lambda: model.objects.filter(customer=c).delete(),
        "bulk_create()": lambda c: (
            lambda: model.objects.bulk_create([model(**attributes(model, c))])
        ),
        "bulk_update()": lambda c: (
            lambda: model.objects.bulk_update([changed(first(model, c))], [field])
        ),
        "related manager create()": lambda c: (
            lambda: getattr(c, RELATED[model]).create(
                **{k: v for k, v in attributes(model, c).items() if k != "customer"}
            )
        ),
        "related manager update()": lambda c: (
            lambda: getattr(c, RELATED[model]).all().update(**{field: "changed"})
        ),
        "related manager delete()": lambda c: lambda: getattr(c, RELATED[model]).all().delete(),
    }


CASES = [(model, api) for model in FACTORIES for api in writes(model)]


@pytest.mark.parametrize(
    ("model", "api"), CASES, ids=[f"{model.__name__}-{api}" for model, api in CASES]
)
def test_every_write_counts_the_customers_version_up(db, model, api):
    customer = CustomerFactory()
    FACTORIES[model](customer=customer)
    write = writes(model)[api](customer)
    before = version(customer)

    write()

    assert version(customer) > before


@pytest.mark.parametrize("model", list(FACTORIES))
@pytest.mark.parametrize("how", ["save", "update", "bulk_update"])
def test_moving_an_item_counts_both_customers_up(db, model, how):
    owner, new_owner = CustomerFactory(), CustomerFactory()
    item = FACTORIES[model](customer=owner)
    item = model.objects.get(pk=item.pk)
    before = version(owner), version(new_owner)

    if how == "save":
        item.customer = new_owner
        item.save()
    elif how == "update":
        model.objects.filter(pk=item.pk).update(customer=new_owner)
    else:
        item.customer = new_owner
        model.objects.bulk_update([item], ["customer"])

    assert version(owner) > before[0]
    assert version(new_owner) > before[1]


def test_a_write_of_one_customers_items_leaves_the_others_version(db):
    customer, other = CustomerFactory(), CustomerFactory()
    AddressFactory(customer=customer)
    AddressFactory(customer=other)
    before = version(other)

    Address.objects.filter(customer=customer).update(city="Bonn")

    assert version(other) == before
