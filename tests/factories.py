"""Factories for the service's models."""

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from addresses.models import Address
from customers.models import Customer

DEFAULT_PASSWORD = "correct horse battery staple"


class CustomerFactory(factory.django.DjangoModelFactory):
    """A confirmed customer who can log in with ``DEFAULT_PASSWORD``."""

    class Meta:
        model = Customer
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    salutation = "Mr"
    first_name = "Jan"
    last_name = "Nowak"
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class StaffFactory(CustomerFactory):
    """A staff account holding exactly the given permissions ("app_label.codename")."""

    is_staff = True

    @factory.post_generation
    def permissions(obj, create, extracted, **kwargs):
        for permission in extracted or ():
            app_label, codename = permission.split(".")
            obj.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


# Permission sets a shop gives its staff.
VIEW_ONLY = ("customers.view_customer",)
SUPPORT = (
    "customers.view_customer",
    "customers.change_customer",
    *(
        f"{app_label}.{action}_{model}"
        for app_label, model in (
            ("addresses", "address"),
            ("relations", "relation"),
            ("properties", "property"),
            ("customer_groups", "customergroupmembership"),
        )
        for action in ("view", "add", "change", "delete")
    ),
)


class AddressFactory(factory.django.DjangoModelFactory):
    """An address in Berlin that is nobody's default unless the test says so."""

    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    salutation = "Mr"
    first_name = "Jan"
    last_name = "Nowak"
    address1 = "Julie-Wolfthorn-Straße"
    address2 = factory.Sequence(lambda n: str(n + 1))
    zip_code = "10115"
    city = "Berlin"
    iso2_code = "DE"


class RelationFactory(factory.django.DjangoModelFactory):
    """A favorite product of a customer."""

    class Meta:
        model = "relations.Relation"

    customer = factory.SubFactory(CustomerFactory)
    domain = "product"
    relation_type = "favorite"
    ref_id = factory.Sequence(lambda n: f"product-{n}")


class PropertyFactory(factory.django.DjangoModelFactory):
    """A customer property without a language."""

    class Meta:
        model = "properties.Property"

    customer = factory.SubFactory(CustomerFactory)
    property_type = "newsletter"
    value = factory.Sequence(lambda n: f"value-{n}")


class CustomerActivityFactory(factory.django.DjangoModelFactory):
    """A log in of a customer, from a documentation address."""

    class Meta:
        model = "customers.CustomerActivity"

    customer = factory.SubFactory(CustomerFactory)
    activity_type = "login"
    ip_address = "192.0.2.1"
    user_agent = "Mozilla/5.0"


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    """A customer group without members; ``members=[...]`` puts customers in it."""

    class Meta:
        model = "customer_groups.CustomerGroup"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"group-{n}")
    label = factory.Sequence(lambda n: f"Group {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.customers.add(*extracted)
