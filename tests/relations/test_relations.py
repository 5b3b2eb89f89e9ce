"""§7: /customers/{ref}/customer-relations[/{uuid}]."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jsonapi.errors import ApiError, ErrorCode
from jsonapi.parsers import MAX_NESTING
from relations import services
from relations.models import Relation
from relations.services import MAX_RELATIONS_PER_CUSTOMER
from tests.conftest import document, error_codes
from tests.factories import CustomerFactory, RelationFactory

TYPE = "customer-relations"


def url(customer, relation=None) -> str:
    base = f"/customers/{customer.customer_reference}/customer-relations"
    return f"{base}/{relation.pk}" if relation is not None else base


def favorite(**attributes) -> dict:
    return {"domain": "product", "relationType": "favorite", "refId": "sku-1", **attributes}


def watch(config: dict, **attributes) -> dict:
    return favorite(relationType="watch", config=config, **attributes)


def post(client, customer, attributes):
    return client.send("POST", url(customer), document(TYPE, attributes))


def post_many(client, customer, items):
    body = {"data": [{"type": TYPE, "attributes": item} for item in items]}
    return client.send("POST", url(customer), body)


# --- create ---------------------------------------------------------------------------------


def test_post_relation_answers_201_with_every_attribute(customer_api, customer):
    response = post(
        customer_api,
        customer,
        favorite(
            dateStart="2026-01-01 10:00:00",
            dateEnd="2026-12-31T23:59:59Z",
            config={"note": "for later"},
            position=3,
            status=-1,
        ),
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    relation = Relation.objects.get()
    assert data["type"] == TYPE
    assert data["id"] == str(relation.pk)
    assert relation.customer == customer
    attributes = data["attributes"]
    assert attributes["domain"] == "product"
    assert attributes["relationType"] == "favorite"
    assert attributes["refId"] == "sku-1"
    assert attributes["dateStart"] == "2026-01-01 10:00:00"
    assert attributes["dateEnd"] == "2026-12-31 23:59:59"
    assert attributes["config"] == {"note": "for later"}
    assert attributes["position"] == 3
    assert attributes["status"] == -1
    assert set(attributes) == {
        "domain",
        "relationType",
        "refId",
        "dateStart",
        "dateEnd",
        "config",
        "position",
        "status",
        "createdAt",
        "updatedAt",
    }


def test_post_relation_defaults_type_position_status_and_config(customer_api, customer):
    response = post(customer_api, customer, {"domain": "product", "refId": "sku-1"})

    assert response.status_code == 201, response.content
    attributes = response.json()["data"]["attributes"]
    assert attributes["relationType"] == "default"
    assert attributes["position"] == 0
    assert attributes["status"] == 1
    assert attributes["config"] == {}
    assert attributes["dateStart"] is None
    assert attributes["dateEnd"] is None


def test_post_relation_ignores_read_only_attributes(customer_api, customer):
    response = post(customer_api, customer, favorite(createdAt="2000-01-01 00:00:00.000000"))

    assert response.status_code == 201
    assert Relation.objects.get().created_at.year == timezone.now().year


def test_post_relation_without_domain_and_ref_id_answers_422_for_both(customer_api, customer):
    response = post(customer_api, customer, {"relationType": "favorite"})

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        ("/data/attributes/domain", "901"),
        ("/data/attributes/refId", "901"),
    ]
    assert response.json()["errors"][0]["detail"] == "domain => This field is missing."
    assert not Relation.objects.exists()


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        (favorite(domain="Product"), "/data/attributes/domain"),
        (favorite(domain="pro duct"), "/data/attributes/domain"),
        (favorite(domain="p" * 33), "/data/attributes/domain"),
        (favorite(domain=""), "/data/attributes/domain"),
        (favorite(domain=7), "/data/attributes/domain"),
        (favorite(domain="prödukt"), "/data/attributes/domain"),
        (favorite(relationType="fa vorite"), "/data/attributes/relationType"),
        (favorite(relationType="tab\there"), "/data/attributes/relationType"),
        (favorite(relationType=""), "/data/attributes/relationType"),
        (favorite(relationType="x" * 65), "/data/attributes/relationType"),
        (favorite(relationType="ü" * 33), "/data/attributes/relationType"),
        (favorite(relationType=None), "/data/attributes/relationType"),
        (favorite(refId=""), "/data/attributes/refId"),
        (favorite(refId=12), "/data/attributes/refId"),
        (favorite(refId="x" * 37), "/data/attributes/refId"),
        (favorite(refId="€" * 13), "/data/attributes/refId"),
        (favorite(refId="a\u0000b"), "/data/attributes/refId"),
        (favorite(position=-1), "/data/attributes/position"),
        (favorite(position="1"), "/data/attributes/position"),
        (favorite(position=1.5), "/data/attributes/position"),
        (favorite(position=True), "/data/attributes/position"),
        (favorite(position=2**31), "/data/attributes/position"),
        (favorite(status=2), "/data/attributes/status"),
        (favorite(status=-3), "/data/attributes/status"),
        (favorite(status="1"), "/data/attributes/status"),
        (favorite(dateStart="yesterday"), "/data/attributes/dateStart"),
        (favorite(dateStart=20260101), "/data/attributes/dateStart"),
        (favorite(dateEnd="2026-02-30 00:00:00"), "/data/attributes/dateEnd"),
        (favorite(config="{}"), "/data/attributes/config"),
        (favorite(config=[1, 2]), "/data/attributes/config"),
        (favorite(config=None), "/data/attributes/config"),
        (favorite(config={"note": "a\u0000b"}), "/data/attributes/config"),
        (favorite(config={"a\u0000b": 1}), "/data/attributes/config"),
        (favorite(config={"deep": [{"x": "\u0000"}]}), "/data/attributes/config"),
    ],
)
def test_post_relation_with_bad_attribute_answers_422_code_901(
    customer_api, customer, attributes, pointer
):
    response = post(customer_api, customer, attributes)

    assert response.status_code == 422, response.content
    assert error_codes(response) == [(pointer, "901")]
    assert not Relation.objects.exists()


def test_relation_accepts_unicode_up_to_the_byte_limits(customer_api, customer):
    response = post(customer_api, customer, favorite(relationType="ü" * 32, refId="€" * 12))

    assert response.status_code == 201, response.content
    assert Relation.objects.get().ref_id == "€" * 12


def test_config_of_64_kib_is_accepted_and_one_byte_more_is_refused(customer_api, customer):
    overhead = len(json.dumps({"note": ""}, separators=(",", ":")))
    fits = {"note": "x" * (64 * 1024 - overhead)}

    assert post(customer_api, customer, favorite(config=fits)).status_code == 201
    too_big = {"note": "x" * (64 * 1024 - overhead + 1)}
    response = post(customer_api, customer, favorite(refId="sku-2", config=too_big))
    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/config", "901")]
    assert Relation.objects.count() == 1


def test_dates_before_year_1000_keep_four_year_digits(customer_api, customer):
    response = post(customer_api, customer, favorite(dateStart="0191-04-23 06:20:04"))

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["dateStart"] == "0191-04-23 06:20:04"


def test_date_end_before_date_start_answers_422(customer_api, customer):
    response = post(
        customer_api,
        customer,
        favorite(dateStart="2026-05-01 00:00:00", dateEnd="2026-05-01 00:00:00"),
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/dateEnd", "901")]


@pytest.mark.parametrize(
    "domain",
    [
        "customer-group",
        "group",
        "customer/group",
        "price_group",
        "customer-groups",
        "group-customer",
        "groups",
        "customer/groups/b2b",
    ],
)
def test_group_domains_answer_403_code_411(customer_api, customer, domain):
    response = post(customer_api, customer, favorite(domain=domain))

    assert response.status_code == 403
    assert error_codes(response) == [("/data/attributes/domain", "411")]
    assert not Relation.objects.exists()


def test_duplicate_relation_answers_409_code_1002(customer_api, customer):
    RelationFactory(customer=customer, domain="product", relation_type="favorite", ref_id="sku-1")

    response = post(customer_api, customer, favorite())

    assert response.status_code == 409
    assert error_codes(response) == [("/data/attributes/refId", "1002")]
    assert Relation.objects.count() == 1


def test_same_item_with_another_type_or_of_another_customer_is_no_duplicate(customer_api, customer):
    RelationFactory(customer=customer, relation_type="watch", ref_id="sku-1")
    RelationFactory(relation_type="favorite", ref_id="sku-1")

    assert post(customer_api, customer, favorite()).status_code == 201


def test_relations_beyond_1000_answer_422_code_901(customer_api, customer):
    Relation.objects.bulk_create(
        RelationFactory.build(customer=customer, ref_id=f"sku-{n}")
        for n in range(MAX_RELATIONS_PER_CUSTOMER - 1)
    )

    assert post(customer_api, customer, favorite(refId="last")).status_code == 201
    response = post(customer_api, customer, favorite(refId="one-too-many"))

    assert response.status_code == 422
    assert error_codes(response) == [("", "901")]
    assert Relation.objects.filter(customer=customer).count() == MAX_RELATIONS_PER_CUSTOMER


# --- arrays ---------------------------------------------------------------------------------


def test_post_array_answers_201_with_an_array(customer_api, customer):
    response = post_many(
        customer_api, customer, [favorite(refId="a"), favorite(refId="b", position=1)]
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert [item["attributes"]["refId"] for item in data] == ["a", "b"]
    assert {item["type"] for item in data} == {TYPE}
    assert Relation.objects.filter(customer=customer).count() == 2


def test_post_array_with_one_bad_item_creates_nothing_and_points_at_the_item(
    customer_api, customer
):
    response = post_many(
        customer_api, customer, [favorite(refId="a"), favorite(refId=""), favorite(refId="c")]
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/1/attributes/refId", "901")]
    assert not Relation.objects.exists()


def test_post_array_with_two_equal_items_answers_409_code_1002(customer_api, customer):
    response = post_many(customer_api, customer, [favorite(), favorite(position=2)])

    assert response.status_code == 409
    assert error_codes(response) == [("/data/1/attributes/refId", "1002")]
    assert not Relation.objects.exists()


def test_post_array_with_an_existing_item_creates_nothing(customer_api, customer):
    RelationFactory(customer=customer, relation_type="favorite", ref_id="b")

    response = post_many(customer_api, customer, [favorite(refId="a"), favorite(refId="b")])

    assert response.status_code == 409
    assert error_codes(response) == [("/data/1/attributes/refId", "1002")]
    assert Relation.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize("domain", ["groupon", "product", "grouping", "customer-groupware"])
def test_domains_that_merely_contain_group_are_allowed(customer_api, customer, domain):
    assert post(customer_api, customer, favorite(domain=domain)).status_code == 201


def test_post_array_with_a_group_item_answers_403_and_creates_nothing(customer_api, customer):
    response = post_many(customer_api, customer, [favorite(), favorite(domain="customer-group")])

    assert response.status_code == 403
    assert error_codes(response) == [("/data/1/attributes/domain", "411")]
    assert not Relation.objects.exists()


def test_post_empty_array_answers_422(customer_api, customer):
    response = post_many(customer_api, customer, [])

    assert response.status_code == 422
    assert error_codes(response) == [("/data", "901")]


def test_post_array_beyond_the_cap_answers_422_and_creates_nothing(customer_api, customer):
    items = [favorite(refId=f"sku-{n}") for n in range(MAX_RELATIONS_PER_CUSTOMER + 1)]

    response = post_many(customer_api, customer, items)

    assert response.status_code == 422
    assert error_codes(response) == [("/data", "901")]
    assert not Relation.objects.exists()


def test_post_array_with_wrong_type_answers_409(customer_api, customer):
    body = {"data": [{"type": "customer-properties", "attributes": favorite()}]}

    response = customer_api.send("POST", url(customer), body)

    assert response.status_code == 409
    assert not Relation.objects.exists()


def test_post_array_with_an_item_that_is_no_object_answers_400_code_900(customer_api, customer):
    response = customer_api.send("POST", url(customer), {"data": [{"type": TYPE}, "x"]})

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


# --- watch ----------------------------------------------------------------------------------


def test_watch_with_timeframe_ends_timeframe_days_after_creation(customer_api, customer):
    config = {"timeframe": 7, "stock": "1", "price": "1", "currency": "EUR", "pricevalue": "9.99"}

    response = post(customer_api, customer, watch(config))

    assert response.status_code == 201, response.content
    relation = Relation.objects.get()
    assert relation.date_end == relation.created_at + timedelta(days=7)
    attributes = response.json()["data"]["attributes"]
    assert attributes["dateEnd"] == relation.date_end.strftime("%Y-%m-%d %H:%M:%S")


def test_watch_with_timeframe_and_date_end_keeps_the_date_end(customer_api, customer):
    response = post(customer_api, customer, watch({"timeframe": "30"}, dateEnd="2030-01-01"))

    assert response.status_code == 201, response.content
    assert response.json()["data"]["attributes"]["dateEnd"] == "2030-01-01 00:00:00"


@pytest.mark.parametrize(
    ("config", "pointers"),
    [
        ({"timeframe": 0}, ["timeframe"]),
        ({"timeframe": 366}, ["timeframe"]),
        ({"timeframe": 1.5}, ["timeframe"]),
        ({"timeframe": "7 days"}, ["timeframe"]),
        ({"timeframe": True}, ["timeframe"]),
        ({"stock": 1}, ["stock"]),
        ({"stock": "yes"}, ["stock"]),
        ({"price": "1", "pricevalue": "10.00"}, ["currency"]),
        ({"price": "1", "currency": "EUR"}, ["pricevalue"]),
        ({"price": "1"}, ["currency", "pricevalue"]),
        ({"price": "1", "currency": "XYZ", "pricevalue": "1"}, ["currency"]),
        ({"price": "1", "currency": "eur", "pricevalue": "1"}, ["currency"]),
        ({"price": "1", "currency": "EUR", "pricevalue": "-1"}, ["pricevalue"]),
        ({"price": "1", "currency": "EUR", "pricevalue": 10}, ["pricevalue"]),
        ({"price": "1", "currency": "EUR", "pricevalue": "NaN"}, ["pricevalue"]),
        ({"price": "2", "currency": "EUR", "pricevalue": "1"}, ["price"]),
    ],
)
def test_watch_config_rules_answer_422_on_the_config_key(customer_api, customer, config, pointers):
    response = post(customer_api, customer, watch(config))

    assert response.status_code == 422, response.content
    assert sorted(error_codes(response)) == [
        (f"/data/attributes/config/{key}", "901") for key in pointers
    ]
    assert not Relation.objects.exists()


def test_config_of_other_relation_types_is_not_checked(customer_api, customer):
    response = post(customer_api, customer, favorite(config={"timeframe": 0, "price": "x"}))

    assert response.status_code == 201


# --- read -----------------------------------------------------------------------------------


def test_list_is_ordered_by_position_then_creation(customer_api, customer):
    now = timezone.now()
    third = RelationFactory(customer=customer, position=1, created_at=now - timedelta(hours=3))
    second = RelationFactory(customer=customer, position=0, created_at=now)
    first = RelationFactory(customer=customer, position=0, created_at=now - timedelta(hours=1))
    RelationFactory()

    response = customer_api.get(url(customer))

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["data"]]
    assert ids == [str(first.pk), str(second.pk), str(third.pk)]
    assert response.json()["meta"]["page"]["total"] == 3


def test_list_filters_by_domain_and_relation_type(customer_api, customer):
    wanted = RelationFactory(customer=customer, domain="product", relation_type="watch")
    RelationFactory(customer=customer, domain="product", relation_type="favorite")
    RelationFactory(customer=customer, domain="service", relation_type="watch")

    response = customer_api.get(
        url(customer), {"filter[domain]": "product", "filter[relationType]": "watch"}
    )

    assert [item["id"] for item in response.json()["data"]] == [str(wanted.pk)]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_list_filters_do_not_apply_to_an_item(customer_api, customer, method):
    relation = RelationFactory(customer=customer, domain="product")
    body = document("customer-relations", {"position": 3}) if method == "PATCH" else None

    response = customer_api.send(
        method, f"{url(customer)}/{relation.pk}?filter[domain]=service", body
    )

    assert response.status_code == (204 if method == "DELETE" else 200)


@pytest.mark.parametrize("rows", [1, 20])
def test_list_costs_the_same_queries_for_1_and_20_rows(
    customer_api, customer, rows, django_assert_max_num_queries
):
    RelationFactory.create_batch(rows, customer=customer)

    with django_assert_max_num_queries(3):
        response = customer_api.get(url(customer), {"page[limit]": 100})

    assert len(response.json()["data"]) == rows


def test_sparse_fieldset_on_the_list(customer_api, customer):
    RelationFactory(customer=customer)

    response = customer_api.get(url(customer), {"fields[customer-relations]": "refId,domain"})

    assert set(response.json()["data"][0]["attributes"]) == {"refId", "domain"}


def test_get_one_relation(customer_api, customer):
    relation = RelationFactory(customer=customer)

    response = customer_api.get(url(customer, relation))

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(relation.pk)
    assert response.json()["data"]["attributes"]["refId"] == relation.ref_id


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("which", ["foreign", "unknown", "malformed"])
def test_unknown_or_foreign_relation_answers_404_code_1001(customer_api, customer, method, which):
    foreign = RelationFactory()
    relation_id = {"foreign": foreign.pk, "unknown": uuid.uuid4(), "malformed": "not-a-uuid"}[which]
    path = f"{url(customer)}/{relation_id}"

    body = None if method == "GET" else document(TYPE, {"position": 5})
    response = customer_api.send(method, path, body)

    assert response.status_code == 404
    assert error_codes(response) == [("", "1001")]
    foreign.refresh_from_db()
    assert foreign.position == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_foreign_customer_reference_answers_403_code_411(customer_api, method):
    other = CustomerFactory()

    body = None if method == "GET" else document(TYPE, favorite())
    response = customer_api.send(method, url(other), body)

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert not Relation.objects.exists()


def test_foreign_reference_to_someone_elses_relation_answers_403_code_411(customer_api):
    relation = RelationFactory()

    response = customer_api.delete(url(relation.customer, relation))

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]
    assert Relation.objects.filter(pk=relation.pk).exists()


def test_relations_need_a_bearer_token(api, customer):
    response = api.get(url(customer))

    assert response.status_code == 403
    assert error_codes(response) == [("", "002")]


# --- change and remove ----------------------------------------------------------------------


def test_patch_changes_only_the_sent_attributes(customer_api, customer):
    relation = RelationFactory(customer=customer, position=4, config={"a": 1})

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"position": 9, "status": 0})
    )

    assert response.status_code == 200, response.content
    relation.refresh_from_db()
    assert (relation.position, relation.status, relation.config) == (9, 0, {"a": 1})
    assert response.json()["data"]["attributes"]["position"] == 9


def test_patch_with_matching_id_is_accepted_and_other_id_answers_409(customer_api, customer):
    relation = RelationFactory(customer=customer)
    path = url(customer, relation)

    ok = customer_api.send("PATCH", path, document(TYPE, {"position": 1}, id=str(relation.pk)))
    conflict = customer_api.send("PATCH", path, document(TYPE, {"position": 2}, id="other"))

    assert ok.status_code == 200
    assert conflict.status_code == 409
    relation.refresh_from_db()
    assert relation.position == 1


def test_patch_onto_an_existing_key_answers_409_code_1002(customer_api, customer):
    RelationFactory(customer=customer, ref_id="taken")
    relation = RelationFactory(customer=customer, ref_id="mine")

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"refId": "taken"})
    )

    assert response.status_code == 409
    assert error_codes(response) == [("/data/attributes/refId", "1002")]
    relation.refresh_from_db()
    assert relation.ref_id == "mine"


def test_patch_to_a_group_domain_answers_403_code_411(customer_api, customer):
    relation = RelationFactory(customer=customer)

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"domain": "customer-group"})
    )

    assert response.status_code == 403
    relation.refresh_from_db()
    assert relation.domain == "product"


def test_patch_checks_date_order_against_the_stored_start(customer_api, customer):
    start = timezone.make_aware(datetime(2026, 5, 1))
    relation = RelationFactory(customer=customer, date_start=start)

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"dateEnd": "2026-04-30 00:00:00"})
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/dateEnd", "901")]


def test_patch_to_watch_checks_the_stored_config(customer_api, customer):
    relation = RelationFactory(customer=customer, config={"price": "1"})

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"relationType": "watch"})
    )

    assert response.status_code == 422
    assert sorted(error_codes(response)) == [
        ("/data/attributes/config/currency", "901"),
        ("/data/attributes/config/pricevalue", "901"),
    ]


def test_patch_with_an_array_answers_400(customer_api, customer):
    relation = RelationFactory(customer=customer)
    body = {"data": [{"type": TYPE, "attributes": {"position": 1}}]}

    response = customer_api.send("PATCH", url(customer, relation), body)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]


def test_delete_answers_204_and_removes_the_relation(customer_api, customer):
    relation = RelationFactory(customer=customer)

    response = customer_api.delete(url(customer, relation))

    assert response.status_code == 204
    assert not Relation.objects.exists()


def test_database_refuses_equal_relations(customer):
    RelationFactory(customer=customer, relation_type="watch", ref_id="sku-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        RelationFactory(customer=customer, relation_type="watch", ref_id="sku-1")


def test_a_race_lost_at_the_constraint_answers_409_code_1002(customer, monkeypatch):
    """Both requests passed the friendly check; the unique constraint decides."""
    RelationFactory(customer=customer, relation_type="favorite", ref_id="sku-1")
    checks = iter([None, 0])
    monkeypatch.setattr(services, "_first_taken", lambda *args: next(checks))
    attributes = {"domain": "product", "relation_type": "favorite", "ref_id": "sku-1"}

    with pytest.raises(ApiError) as raised:
        services.create_relations(customer=customer, items=[attributes], single=True)

    assert raised.value.error is ErrorCode.RELATION_EXISTS
    assert raised.value.attribute == "ref_id"
    assert Relation.objects.count() == 1


@pytest.mark.parametrize("name", ["domain", "relationType"])
def test_filter_with_a_nul_byte_matches_nothing(customer_api, customer, name):
    RelationFactory(customer=customer)

    response = customer_api.get(url(customer), {f"filter[{name}]": "product\u0000"})

    assert response.status_code == 200
    assert response.json()["data"] == []


def test_config_with_a_number_beyond_float_range_answers_400_code_900(customer_api, customer):
    body = (
        '{"data": {"type": "customer-relations", "attributes": '
        '{"domain": "product", "refId": "sku-1", "config": {"a": 1e400}}}}'
    )

    response = customer_api.send("POST", url(customer), body)

    assert response.status_code == 400
    assert error_codes(response) == [("", "900")]
    assert not Relation.objects.exists()


def test_array_item_whose_timeframe_ends_before_its_start_is_named(customer_api, customer):
    late_start = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")

    response = post_many(
        customer_api, customer, [favorite(), watch({"timeframe": 3}, dateStart=late_start)]
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/1/attributes/config/timeframe", "901")]
    assert not Relation.objects.exists()


def nested(levels: int) -> dict:
    config: dict = {"leaf": "x"}
    for _ in range(levels - 1):
        config = {"a": config}
    return config


@pytest.mark.parametrize("levels", [314, 5000])
def test_a_config_nested_past_the_documents_limit_answers_400_code_900(
    customer_api, customer, levels
):
    config = '{"a": ' * levels + "1" + "}" * levels  # written by hand: json.dumps would recurse
    raw = f'{{"data": {{"type": "{TYPE}", "attributes": {{"domain": "p", "refId": "x", '
    raw += f'"config": {config}}}}}}}'

    response = customer_api.send("POST", url(customer), raw)

    assert error_codes(response) == [("", "900")]
    assert not Relation.objects.exists()


def test_a_config_nested_within_the_limit_is_stored_and_read_back(customer_api, customer):
    config = nested(MAX_NESTING - 4)  # the document, data and attributes are three more levels

    created = post(customer_api, customer, favorite(config=config))
    read = customer_api.get(f"/customers/{customer.customer_reference}/customer-relations")

    assert created.status_code == 201, created.content
    assert read.json()["data"][0]["attributes"]["config"] == config


def test_patch_of_the_timeframe_moves_the_end_from_the_creation(customer_api, customer):
    config = {
        "timeframe": "7",
        "stock": "1",
        "price": "1",
        "currency": "EUR",
        "pricevalue": "100.00",
    }
    created = post(customer_api, customer, watch(config))
    assert created.status_code == 201, created.content
    relation = Relation.objects.get()
    assert relation.date_end == relation.created_at + timedelta(days=7)

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"config": {**config, "timeframe": "28"}})
    )

    assert response.status_code == 200, response.content
    relation.refresh_from_db()
    assert relation.date_end == relation.created_at + timedelta(days=28)
    expected = relation.date_end.strftime("%Y-%m-%d %H:%M:%S")
    assert response.json()["data"]["attributes"]["dateEnd"] == expected
    services.delete_expired_watches(now=relation.created_at + timedelta(days=10))
    assert Relation.objects.filter(pk=relation.pk).exists()


def test_patch_of_the_timeframe_with_a_date_end_keeps_the_date_end_sent(customer_api, customer):
    relation = RelationFactory(
        customer=customer, relation_type="watch", config={"timeframe": "7", "stock": "1"}
    )
    attributes = {"config": {"timeframe": "28", "stock": "1"}, "dateEnd": "2030-01-01 00:00:00"}

    response = customer_api.send("PATCH", url(customer, relation), document(TYPE, attributes))

    assert response.status_code == 200, response.content
    relation.refresh_from_db()
    assert relation.date_end == timezone.make_aware(datetime(2030, 1, 1))


def test_patch_of_other_config_keys_keeps_the_end(customer_api, customer):
    end = timezone.make_aware(datetime(2030, 1, 1))
    relation = RelationFactory(
        customer=customer, relation_type="watch", config={"timeframe": "7"}, date_end=end
    )

    response = customer_api.send(
        "PATCH",
        url(customer, relation),
        document(TYPE, {"config": {"timeframe": "7", "stock": "1"}}),
    )

    assert response.status_code == 200, response.content
    relation.refresh_from_db()
    assert relation.date_end == end


def test_patch_of_a_timeframe_ending_before_the_start_answers_422(customer_api, customer):
    now = timezone.now()
    relation = RelationFactory(
        customer=customer,
        relation_type="watch",
        config={"timeframe": "30"},
        created_at=now,
        date_start=now + timedelta(days=10),
        date_end=now + timedelta(days=30),
    )

    response = customer_api.send(
        "PATCH", url(customer, relation), document(TYPE, {"config": {"timeframe": "3"}})
    )

    assert response.status_code == 422
    assert error_codes(response) == [("/data/attributes/config/timeframe", "901")]
    relation.refresh_from_db()
    assert relation.date_end == now + timedelta(days=30)
