"""Query budgets per endpoint: the same number of queries whatever the number of rows.

Counts include the SAVEPOINT/RELEASE pairs of the transactions the tests run in; outside
tests a write costs two queries fewer. Reads start with an empty document cache, so each
renders its document (a cached read costs the token query alone: test_document_cache.py).
"""

import pytest

from tests.conftest import document
from tests.factories import (
    AddressFactory,
    CustomerActivityFactory,
    CustomerGroupFactory,
    PropertyFactory,
    RelationFactory,
)

BUDGETS = [
    ("GET", "/customers/{ref}", None, 1),
    ("GET", "/customers", None, 1),
    ("GET", "/customers/{ref}?include=addresses", None, 2),
    ("GET", "/customers/{ref}?include=addresses,customer-relations,customer-properties", None, 4),
    ("GET", "/customers/{ref}?include=customer-groups", None, 2),
    (
        "GET",
        "/customers/{ref}?include=addresses,customer-relations,customer-properties,customer-groups",
        None,
        5,
    ),
    ("GET", "/customers/{ref}/addresses", None, 3),
    ("GET", "/customers/{ref}/addresses/{address}", None, 2),
    ("GET", "/customers/{ref}/customer-relations", None, 3),
    ("GET", "/customers/{ref}/customer-properties", None, 3),
    # Never cached (tagged by content): token, count, page.
    ("GET", "/customers/{ref}/customer-activities", None, 3),
    ("GET", "/customers/{ref}/customer-activities/{activity}", None, 2),
    # The token, then one query for each kind of data held of the customer.
    ("GET", "/customers/{ref}/customer-data-export", None, 6),
    ("GET", "/customers/{ref}/customer-groups", None, 3),
    ("GET", "/customers/{ref}/customer-groups/{group}", None, 2),
    # A write locks the customer's row first (anonymization wins every race, §11.3), and
    # records its event: the event row, and the endpoints that want it (§11.6; outside tests
    # a process reads those every few seconds only), and its entry in the activity log (with
    # the DELETE that keeps the log within its cap).
    ("PATCH", "/customers/{ref}", document("customers", {"firstName": "Ewa"}), 9),
    (
        "PATCH",
        "/customers/{ref}/addresses/{address}",
        document("addresses", {"city": "Bonn", "isDefaultShipping": True}),
        # Two count the customer's data version up (the other defaults cleared, the address);
        # the event is one more, and the endpoint lookup the tests do not cache another.
        12,
    ),
]


@pytest.mark.parametrize("rows", [1, 25])
@pytest.mark.parametrize(("method", "path", "body", "budget"), BUDGETS)
def test_endpoint_stays_within_its_query_budget(
    customer_api, customer, django_assert_max_num_queries, rows, method, path, body, budget
):
    addresses = AddressFactory.create_batch(rows, customer=customer)
    RelationFactory.create_batch(rows, customer=customer)
    PropertyFactory.create_batch(rows, customer=customer)
    activities = CustomerActivityFactory.create_batch(rows, customer=customer)
    groups = CustomerGroupFactory.create_batch(rows, members=[customer])
    url = path.format(
        ref=customer.customer_reference,
        address=addresses[0].pk,
        activity=activities[0].pk,
        group=groups[0].pk,
    )

    with django_assert_max_num_queries(budget):
        response = customer_api.send(method, url, body)

    assert response.status_code == 200
