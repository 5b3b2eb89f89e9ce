"""§9: the discovery document at the root and OPTIONS on resources."""

from __future__ import annotations

import pytest
from django.urls import path

from jsonapi.discovery import resource_routes
from jsonapi.resources import Resource
from jsonapi.views import ResourceView
from tests.factories import DEFAULT_PASSWORD

RESOURCES = {
    "customers": "http://testserver/customers",
    "customer-confirmation": "http://testserver/customer-confirmation",
    "access-tokens": "http://testserver/access-tokens",
    "refresh-tokens": "http://testserver/refresh-tokens",
    "customer-relations": "http://testserver/customers/{customerReference}/customer-relations",
    "customer-properties": "http://testserver/customers/{customerReference}/customer-properties",
    "customer-groups": "http://testserver/customers/{customerReference}/customer-groups",
}


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_root_lists_every_resource_without_authentication(api, method):
    response = api.generic(method, "/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.api+json")
    resources = response.json()["meta"]["resources"]
    assert {name: resources[name] for name in RESOURCES} == RESOURCES
    assert "csrf" not in response.json()["meta"]


def test_root_ignores_a_bad_bearer_token(api):
    response = api.authenticate("not-a-token").get("/")

    assert response.status_code == 200


def test_root_gives_the_csrf_token_to_session_requests(api, customer):
    assert api.login(username=customer.email, password=DEFAULT_PASSWORD)

    response = api.get("/")

    csrf = response.json()["meta"]["csrf"]
    assert csrf["name"] == "X-CSRFToken"
    assert len(csrf["value"]) >= 32


def test_root_uses_the_host_of_the_request(api, settings):
    settings.ALLOWED_HOSTS = ["shop.example"]

    response = api.get("/", HTTP_HOST="shop.example", secure=True)

    assert response.json()["meta"]["resources"]["customers"] == "https://shop.example/customers"


def _view(resource_type):
    def view(request):
        raise AssertionError("never called")

    resource = Resource(resource_type, None, path=resource_type) if resource_type else None
    view.cls = type("View", (ResourceView,), {"resource": resource})
    return view


urlpatterns = [
    path("customers/<str:customer_reference>/addresses", _view("addresses"), name="addresses"),
    path("customers/<str:customer_reference>/addresses/<str:uuid>", _view("addresses")),
    path(
        "customer-restore-password/<str:key>",
        _view("customer-restore-password"),
        name="customer-restore-password",
    ),
    path(
        "customer-restore-password",
        _view("customer-restore-password"),
        name="customer-restore-password",
    ),
    path("customer-password/<str:customer_reference>", _view("customer-password"), name="password"),
    path("health", _view(None), name="health"),
]


def test_named_routes_of_a_resource_type_are_listed_as_uri_templates():
    routes = resource_routes(__name__)

    assert routes == {
        "addresses": "customers/{customerReference}/addresses",
        "customer-restore-password": "customer-restore-password",
    }
