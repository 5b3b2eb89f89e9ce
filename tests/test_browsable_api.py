"""The browsable API: every endpoint renders as an HTML page for a logged-in browser session."""

import pytest
from rest_framework.test import APIClient

from auth_api.services import issue_tokens
from tests.factories import (
    AddressFactory,
    CustomerActivityFactory,
    CustomerFactory,
    CustomerGroupFactory,
    PropertyFactory,
    RelationFactory,
)

READABLE = [
    ("/customers", 200),
    ("/customers/{ref}", 200),
    ("/customers/{ref}/addresses", 200),
    ("/customers/{ref}/addresses/{address}", 200),
    ("/customers/{ref}/customer-relations", 200),
    ("/customers/{ref}/customer-relations/{relation}", 200),
    ("/customers/{ref}/customer-properties", 200),
    ("/customers/{ref}/customer-properties/{property}", 200),
    ("/customers/{ref}/customer-activities", 200),
    ("/customers/{ref}/customer-activities/{activity}", 200),
    ("/customers/{ref}/customer-data-export", 200),
    ("/customers/{ref}/customer-groups", 200),
    ("/customers/{ref}/customer-groups/{group}", 200),
]
# Endpoints without GET: the page explains the 405 and offers the form for their method.
WRITE_ONLY = [("/customer-confirmation", 405), ("/customer-password/{ref}", 405)]
# Public endpoints authenticate nobody (a stale token must not stop a login); their page still
# shows who the browser session is logged in as.
PUBLIC = [
    ("/", 200),
    ("/access-tokens", 405),
    ("/refresh-tokens", 405),
    ("/customer-forgotten-password", 405),
    ("/customer-confirmation-requests", 405),
    ("/customer-restore-password", 405),
]


@pytest.fixture
def browser(db):
    customer = CustomerFactory()
    client = APIClient()
    client.force_login(customer)
    ids = {
        "ref": customer.customer_reference,
        "address": AddressFactory(customer=customer).pk,
        "relation": RelationFactory(customer=customer).pk,
        "property": PropertyFactory(customer=customer).pk,
        "activity": CustomerActivityFactory(customer=customer).pk,
        "group": CustomerGroupFactory(members=[customer]).pk,
    }
    return client, customer, ids


@pytest.mark.parametrize(("path", "status"), READABLE + WRITE_ONLY)
def test_session_endpoints_render_the_browsable_api(browser, path, status):
    client, _, ids = browser

    response = client.get(path.format(**ids), HTTP_ACCEPT="text/html")

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert "/api-auth/logout/" in response.content.decode()


@pytest.mark.parametrize(("path", "status"), PUBLIC)
def test_public_endpoints_show_the_sessions_user_rather_than_a_login_link(browser, path, status):
    client, customer, _ = browser

    response = client.get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "/api-auth/logout/" in page
    assert str(customer) in page
    assert "/api-auth/login/" not in page


def test_public_endpoints_show_a_staff_members_admin_session(db, admin_client):
    page = admin_client.get("/", HTTP_ACCEPT="text/html").content.decode()

    assert "/api-auth/logout/" in page
    assert ">Log in<" not in page


@pytest.mark.parametrize(("path", "status"), PUBLIC)
def test_public_endpoints_offer_anonymous_browsers_a_login_link(db, path, status):
    response = APIClient().get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == status
    assert "/api-auth/login/" in response.content.decode()


def test_anonymous_browsers_get_a_login_link(db):
    response = APIClient().get("/customers", HTTP_ACCEPT="text/html")

    assert response.status_code == 403
    assert "/api-auth/login/" in response.content.decode()


# Refusals render as pages too, with the status and code a JSON client gets.
REFUSED = [
    ("GET", "/customers/{ref}/addresses", "", 403, "002"),
    ("GET", "/customers/{ref}", "", 403, "002"),
    ("PATCH", "/customers/{ref}/customer-relations/{relation}", "Bearer unknown", 401, "001"),
    ("GET", "/customers/{other}", "own", 404, "402"),
    ("PATCH", "/customers/{other}", "own", 403, "411"),
    ("DELETE", "/customers/{other}/addresses/{address}", "own", 403, "411"),
    ("POST", "/customers/{other}/customer-relations", "own", 403, "411"),
    ("GET", "/customer-password/{other}", "own", 403, "411"),
    ("OPTIONS", "/customers/{other}/customer-properties", "own", 200, None),
    ("GET", "/customers/{ref}/customer-groups", "", 403, "002"),
    ("GET", "/customers/{other}/customer-groups", "own", 403, "411"),
    ("POST", "/customers/{ref}/customer-groups", "own", 405, None),
    ("PATCH", "/customers/{ref}/customer-groups/{group}", "own", 405, None),
    ("DELETE", "/customers/{ref}/customer-groups/{group}", "own", 405, None),
]


@pytest.mark.parametrize(("method", "path", "caller", "status", "code"), REFUSED)
def test_refused_browsers_get_the_status_and_code_of_json_clients(
    browser, method, path, caller, status, code
):
    _, customer, ids = browser
    client = APIClient()
    if caller == "own":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(customer).access_token}")
    elif caller:
        client.credentials(HTTP_AUTHORIZATION=caller)
    url = path.format(other=CustomerFactory().customer_reference, **ids)

    as_json = client.generic(method, url, HTTP_ACCEPT="application/vnd.api+json")
    as_html = client.generic(method, url, HTTP_ACCEPT="text/html")

    assert as_json.status_code == as_html.status_code == status
    assert as_html["Content-Type"].startswith("text/html")
    if code:
        assert as_json.json()["errors"][0]["code"] == code
        assert f"&quot;code&quot;: &quot;{code}&quot;" in as_html.content.decode()


@pytest.mark.parametrize("path", ["/customers/{ref}/addresses/{address}", "/customers/{ref}"])
def test_a_delete_from_a_browser_answers_204_without_content(browser, path):
    client, _, ids = browser

    response = client.delete(path.format(**ids), HTTP_ACCEPT="text/html")

    assert response.status_code == 204
    assert response.content == b""
    assert "Content-Type" not in response


def test_the_login_page_sends_a_logged_in_browser_on(db, admin_client):
    response = admin_client.get("/api-auth/login/?next=/customers")

    assert response.status_code == 302
    assert response["Location"] == "/customers"


def test_the_login_page_asks_an_anonymous_browser_to_log_in(db):
    response = APIClient().get("/api-auth/login/?next=/customers")

    assert response.status_code == 200
    assert 'value="Log in"' in response.content.decode()
