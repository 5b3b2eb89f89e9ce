"""§11.3: customer groups (Aimeos' customer/group): staff assign them, customers read them."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from customer_groups.models import CustomerGroup, CustomerGroupMembership
from customers.models import Customer
from customers.services import anonymize_customer
from tests.conftest import document, error_codes
from tests.factories import SUPPORT, CustomerFactory, CustomerGroupFactory, StaffFactory
from tests.jsonapi.test_schema import response_schema, validate

TYPE = "customer-groups"


def url(customer, group=None) -> str:
    base = f"/customers/{customer.customer_reference}/customer-groups"
    return f"{base}/{group.pk}" if group is not None else base


def version(customer) -> int:
    return Customer.objects.values_list("data_version", flat=True).get(pk=customer.pk)


@pytest.fixture
def groups(customer):
    """The customer in two groups; a third group it is not in."""
    return {
        "wholesale": CustomerGroupFactory(code="wholesale", label="Wholesale", members=[customer]),
        "b2b": CustomerGroupFactory(code="b2b", label="Business", members=[customer]),
        "staff": CustomerGroupFactory(code="staff", label="Staff", members=[CustomerFactory()]),
    }


# --- reading ----------------------------------------------------------------------------------


def test_the_list_holds_the_callers_groups_by_code(customer_api, customer, groups):
    response = customer_api.get(url(customer))

    assert response.status_code == 200
    body = response.json()
    assert [(item["type"], item["id"], item["attributes"]) for item in body["data"]] == [
        (TYPE, str(groups["b2b"].pk), {"code": "b2b", "label": "Business"}),
        (TYPE, str(groups["wholesale"].pk), {"code": "wholesale", "label": "Wholesale"}),
    ]
    assert body["data"][0]["links"]["self"] == f"http://testserver{url(customer, groups['b2b'])}"
    assert body["meta"]["page"]["total"] == 2
    assert body["links"]["self"] == f"http://testserver{url(customer)}"


def test_a_customer_in_no_group_gets_an_empty_list(customer_api, customer):
    CustomerGroupFactory(members=[CustomerFactory()])

    response = customer_api.get(url(customer))

    assert response.status_code == 200
    assert response.json()["data"] == []


def test_one_group(customer_api, customer, groups):
    response = customer_api.get(url(customer, groups["wholesale"]))

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["attributes"] == {"code": "wholesale", "label": "Wholesale"}
    assert data["links"]["self"] == f"http://testserver{url(customer, groups['wholesale'])}"


@pytest.mark.parametrize("which", ["not a member", "unknown", "malformed"])
def test_a_group_the_customer_is_not_in_answers_404(customer_api, customer, groups, which):
    item = {"not a member": str(groups["staff"].pk), "unknown": str(uuid.uuid4())}.get(
        which, "not-a-uuid"
    )

    response = customer_api.get(f"{url(customer)}/{item}")

    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "Customer group was not found."


def test_another_customers_groups_answer_403_code_411(customer_api, groups):
    other = groups["staff"].customers.get()

    for path in (url(other), url(other, groups["staff"])):
        response = customer_api.get(path)
        assert response.status_code == 403
        assert error_codes(response) == [("", "411")]


def test_without_a_token_403_code_002(api, customer, groups):
    response = api.get(url(customer))

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]


def test_the_customer_includes_its_groups(customer_api, customer, groups):
    response = customer_api.get(f"/customers/{customer.customer_reference}", {"include": TYPE})

    assert response.status_code == 200
    body = response.json()
    assert body["data"]["relationships"] == {
        TYPE: {
            "data": [
                {"type": TYPE, "id": str(groups["b2b"].pk)},
                {"type": TYPE, "id": str(groups["wholesale"].pk)},
            ],
            "meta": {"count": 2},
        }
    }
    included = {item["id"]: item for item in body["included"]}
    assert included[str(groups["b2b"].pk)]["attributes"] == {"code": "b2b", "label": "Business"}
    assert included[str(groups["b2b"].pk)]["links"]["self"] == (
        f"http://testserver{url(customer, groups['b2b'])}"
    )
    assert str(groups["staff"].pk) not in included


def test_sparse_fieldsets_of_groups(customer_api, customer, groups):
    response = customer_api.get(
        f"/customers/{customer.customer_reference}",
        {"include": f"addresses,{TYPE}", f"fields[{TYPE}]": "label"},
    )

    assert response.status_code == 200
    assert {item["attributes"]["label"] for item in response.json()["included"]} == {
        "Business",
        "Wholesale",
    }
    assert all(item["attributes"].keys() == {"label"} for item in response.json()["included"])


def test_the_list_is_paged(customer_api, customer):
    for n in range(3):
        CustomerGroupFactory(code=f"g{n}", members=[customer])

    response = customer_api.get(url(customer), {"page[limit]": 2, "page[offset]": 2})

    assert [item["attributes"]["code"] for item in response.json()["data"]] == ["g2"]
    assert response.json()["meta"]["page"]["total"] == 3


# --- customers never write them ------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("item", [False, True])
def test_writes_answer_405_and_change_nothing(customer_api, customer, groups, method, item):
    path = url(customer, groups["wholesale"] if item else None)
    before = list(CustomerGroupMembership.objects.values_list("customer_id", "group_id"))
    body = document(TYPE, {"code": "staff", "label": "Staff"})

    response = customer_api.send(method, path, body)

    assert response.status_code == 405
    assert response.json()["errors"][0]["status"] == "405"
    assert sorted(CustomerGroupMembership.objects.values_list("customer_id", "group_id")) == sorted(
        before
    )
    assert CustomerGroup.objects.get(pk=groups["wholesale"].pk).label == "Wholesale"


@pytest.mark.parametrize("domain", ["customer/group", "customer-groups", "group"])
def test_relations_cannot_name_a_group_domain(customer_api, customer, domain):
    response = customer_api.send(
        "POST",
        f"/customers/{customer.customer_reference}/customer-relations",
        document("customer-relations", {"domain": domain, "refId": "wholesale"}),
    )

    assert response.status_code == 403
    assert error_codes(response) == [("/data/attributes/domain", "411")]
    assert not CustomerGroupMembership.objects.exists()


# --- the customer's data version ------------------------------------------------------------


def _membership_writes():
    def through_create(customer, group, other):
        CustomerGroupMembership.objects.create(customer=customer, group=group)

    def through_delete(customer, group, other):
        group.customers.add(customer)
        before = version(customer)
        CustomerGroupMembership.objects.get(customer=customer).delete()
        return before

    def queryset_delete(customer, group, other):
        group.customers.add(customer)
        before = version(customer)
        CustomerGroupMembership.objects.filter(customer=customer).delete()
        return before

    def removed(how):
        def write(customer, group, other):
            group.customers.add(customer)
            before = version(customer)
            how(customer, group, other)
            return before

        return write

    return {
        "group.customers.add": lambda c, g, o: g.customers.add(c),
        "customer.customer_groups.add": lambda c, g, o: c.customer_groups.add(g),
        "group.customers.set": lambda c, g, o: g.customers.set([c]),
        "customer.customer_groups.set": lambda c, g, o: c.customer_groups.set([g]),
        "membership save()": through_create,
        "bulk_create": lambda c, g, o: CustomerGroupMembership.objects.bulk_create(
            [CustomerGroupMembership(customer=c, group=g)]
        ),
        "group.customers.remove": removed(lambda c, g, o: g.customers.remove(c)),
        "customer.customer_groups.remove": removed(lambda c, g, o: c.customer_groups.remove(g)),
        "group.customers.clear": removed(lambda c, g, o: g.customers.clear()),
        "customer.customer_groups.clear": removed(lambda c, g, o: c.customer_groups.clear()),
        "group.customers.set (others)": removed(lambda c, g, o: g.customers.set([o])),
        "membership delete()": through_delete,
        "queryset delete()": queryset_delete,
        "group save() (new label)": removed(lambda c, g, o: setattr(g, "label", "New") or g.save()),
        "group queryset update()": removed(
            lambda c, g, o: CustomerGroup.objects.filter(pk=g.pk).update(label="New")
        ),
        "group delete()": removed(lambda c, g, o: g.delete()),
        "group queryset delete()": removed(
            lambda c, g, o: CustomerGroup.objects.filter(pk=g.pk).delete()
        ),
    }


WRITES = _membership_writes()


@pytest.mark.parametrize("write", WRITES)
def test_every_write_of_a_membership_or_group_counts_the_version_up(db, write):
    customer, other = CustomerFactory(), CustomerFactory()
    group = CustomerGroupFactory()
    before = version(customer)

    returned = WRITES[write](customer, group, other)

    assert version(customer) > (returned if isinstance(returned, int) else before)


def test_a_group_assigned_after_a_read_is_in_the_next_document(customer_api, customer):
    path = f"/customers/{customer.customer_reference}"
    first = customer_api.get(path, {"include": TYPE})
    listed = customer_api.get(url(customer))
    assert "included" not in first.json()

    CustomerGroupFactory(code="vip", members=[customer])

    second = customer_api.get(path, {"include": TYPE})
    assert [item["attributes"]["code"] for item in second.json()["included"]] == ["vip"]
    assert second["ETag"] != first["ETag"]
    assert customer_api.get(url(customer))["ETag"] != listed["ETag"]
    assert customer_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_unchanged_list_answers_304(customer_api, customer, groups):
    etag = customer_api.get(url(customer))["ETag"]

    response = customer_api.get(url(customer), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_a_renamed_group_is_not_served_from_the_cache(customer_api, customer, groups):
    customer_api.get(url(customer, groups["b2b"]))

    groups["b2b"].label = "Trade"
    groups["b2b"].save()

    assert customer_api.get(url(customer, groups["b2b"])).json()["data"]["attributes"] == {
        "code": "b2b",
        "label": "Trade",
    }


def test_anonymization_takes_the_customer_out_of_its_groups(customer, groups):
    anonymize_customer(customer=customer)

    assert not customer.customer_groups.exists()
    assert CustomerGroup.objects.count() == 3


# --- the admin --------------------------------------------------------------------------------


def logged_in(staff_member) -> Client:
    client = Client()
    client.force_login(staff_member)
    return client


def test_staff_create_a_group_with_members(db):
    client = logged_in(StaffFactory(is_superuser=True))
    customer = CustomerFactory()
    before = version(customer)

    response = client.post(
        "/admin/customer_groups/customergroup/add/",
        {
            "code": "wholesale",
            "label": "Wholesale",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-customer": str(customer.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(customer.customer_groups.values_list("code", flat=True)) == ["wholesale"]
    assert version(customer) > before


def test_the_code_is_unique(db):
    CustomerGroupFactory(code="wholesale")
    client = logged_in(StaffFactory(is_superuser=True))

    response = client.post(
        "/admin/customer_groups/customergroup/add/",
        {
            "code": "wholesale",
            "label": "Again",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert CustomerGroup.objects.count() == 1


def test_support_staff_assign_groups_on_the_customer_page(db):
    from tests.customers.test_admin_permissions import full_form

    client = logged_in(StaffFactory(permissions=SUPPORT))
    customer = CustomerFactory()
    group = CustomerGroupFactory(label="Wholesale")
    page = f"/admin/customers/customer/{customer.pk}/change/"
    assert "group_memberships-TOTAL_FORMS" in client.get(page).content.decode()
    before = version(customer)

    response = client.post(
        page,
        full_form(
            customer,
            **{"group_memberships-TOTAL_FORMS": "1", "group_memberships-0-group": str(group.pk)},
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(customer.customer_groups.all()) == [group]
    assert version(customer) > before
    assert "Wholesale" in client.get(page).content.decode()


def test_the_group_list_and_page_render(db):
    client = logged_in(StaffFactory(is_superuser=True))
    group = CustomerGroupFactory(code="wholesale", members=CustomerFactory.create_batch(2))

    listing = client.get("/admin/customer_groups/customergroup/", {"q": "whole"})
    page = client.get(f"/admin/customer_groups/customergroup/{group.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert "wholesale" in listing.content.decode()
    assert page.content.decode().count("memberships-") > 2


# --- the schema -------------------------------------------------------------------------------


@pytest.fixture
def schema(api) -> dict:
    return api.get("/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_schema_documents_reading_only(schema):
    collection = schema["paths"]["/customers/{customerReference}/customer-groups"]
    item = schema["paths"]["/customers/{customerReference}/customer-groups/{uuid}"]

    assert set(collection) - {"parameters"} == {"get"}
    assert set(item) - {"parameters"} == {"get"}
    assert collection["get"]["summary"] == "List customer groups"
    assert item["get"]["summary"] == "Get customer group"
    assert collection["get"]["security"] and item["get"]["security"]
    assert "404" in item["get"]["responses"]
    relationships = schema["components"]["schemas"]["CustomersResource"]["properties"][
        "relationships"
    ]["properties"]
    assert TYPE in relationships


def test_the_answers_match_the_schema(schema, customer_api, customer, groups):
    listing = customer_api.get(url(customer))
    one = customer_api.get(url(customer, groups["b2b"]))
    with_groups = customer_api.get(f"/customers/{customer.customer_reference}", {"include": TYPE})

    base = "/customers/{customerReference}"
    validate(schema, response_schema(schema, f"{base}/customer-groups", "get", 200), listing.json())
    validate(
        schema, response_schema(schema, f"{base}/customer-groups/{{uuid}}", "get", 200), one.json()
    )
    validate(schema, response_schema(schema, base, "get", 200), with_groups.json())
