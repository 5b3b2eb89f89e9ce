"""The browsable API: endpoints render as HTML pages for a logged-in browser session."""

import pytest
from rest_framework.test import APIClient

from tests.factories import CustomerFactory


@pytest.fixture
def browser(db):
    customer = CustomerFactory()
    client = APIClient()
    client.force_login(customer)
    return client, customer


@pytest.mark.parametrize("path", ["/customers", "/customers/{ref}"])
def test_customer_endpoints_render_the_browsable_api(browser, path):
    client, customer = browser

    response = client.get(path.format(ref=customer.customer_reference), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert customer.email in page
    assert "/api-auth/logout/" in page


def test_anonymous_browsers_get_a_login_link(db):
    response = APIClient().get("/customers", HTTP_ACCEPT="text/html")

    assert response.status_code == 403
    assert "/api-auth/login/" in response.content.decode()
