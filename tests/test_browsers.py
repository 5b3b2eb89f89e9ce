"""A browser gets the status and code a JSON client gets, on every route, over real HTTP.

Each case sends one request twice to gunicorn (production settings, debug off): as a JSON:API
client and with ``Accept: text/html``, as a browser does. The JSON answer must be the contract's
status and code; the browser's must be the same status, with the same code in the error the
browsable API renders, and nothing may answer 5xx. Django's test client would not do: it turns
CSRF checks off and raises a view's exception where a server answers 500.
"""

from __future__ import annotations

import html
import itertools
import uuid
from dataclasses import dataclass, field

import pytest
import requests
from jsonschema import Draft202012Validator

from jsonapi.schema import ERROR_DOCUMENT
from tests.live_server import JSON_API, Customer, LiveService

# django_db: pytest-django creates the test database only for marked tests, and the server
# shares it (see the live_service fixture).
pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST", "PATCH", "DELETE", "OPTIONS")
HTML = "text/html"
OK, NO_CONTENT = (200, None), (204, None)
INVALID_BODY = (422, "901")
NOT_ALLOWED = (405, None)
# PATCH or DELETE of a collection names no item (§11.1): for anyone, with Glue's code.
ID_MISSING = {"customers": "405", "addresses": "412"}
ITEM_NOT_FOUND = {
    "addresses": "404",
    "customer-relations": "1001",
    "customer-properties": "1003",
}
# Read-only items: the activity log (§11.5) and the groups (§11.3); the contract names no
# code for an unknown one of either.
READ_ONLY_ITEM_NOT_FOUND = {"customer-activities": None, "customer-groups": None}


@dataclass(frozen=True)
class Route:
    """A URL and what the caller who owns it gets for each method (405 for the others).

    ``authenticates``: a bad token is refused (401 code 001) before anything else.
    ``open_methods``: the methods that need no logged-in caller. ``owned``: the URL names a
    customer, and only that customer passes.
    """

    path: str
    answers: dict[str, tuple[int, str | None]]
    resource_type: str = ""
    authenticates: bool = True
    open_methods: frozenset[str] = frozenset(METHODS)
    owned: bool = False

    @property
    def item(self) -> str:
        """The resource type of an item route (``.../addresses/{item}``), else ''."""
        if not self.path.endswith("/{item}"):
            return ""
        return self.path.removesuffix("/{item}").rsplit("/", 1)[1]


def _customer_routes() -> list[Route]:
    only_options = frozenset({"OPTIONS"})
    routes = [
        Route(
            "/customers/{ref}",
            {"GET": OK, "PATCH": OK, "DELETE": NO_CONTENT, "OPTIONS": OK},
            "customers",
            open_methods=only_options,
            owned=True,
        )
    ]
    for resource_type in ITEM_NOT_FOUND:
        collection = f"/customers/{{ref}}/{resource_type}"
        missing_id = (400, ID_MISSING.get(resource_type))
        routes += [
            Route(
                collection,
                {
                    "GET": OK,
                    "POST": INVALID_BODY,
                    "PATCH": missing_id,
                    "DELETE": missing_id,
                    "OPTIONS": OK,
                },
                resource_type,
                open_methods=only_options | {"PATCH", "DELETE"},
                owned=True,
            ),
            Route(
                f"{collection}/{{item}}",
                {"GET": OK, "PATCH": OK, "DELETE": NO_CONTENT, "OPTIONS": OK},
                resource_type,
                open_methods=only_options,
                owned=True,
            ),
        ]
    routes.append(
        Route(
            "/customers/{ref}/customer-data-export",
            {"GET": OK, "OPTIONS": OK},
            "customer-data-exports",
            open_methods=frozenset(),  # a view of its own, as /customer-password/{ref}
            owned=True,
        )
    )
    for resource_type in READ_ONLY_ITEM_NOT_FOUND:
        collection = f"/customers/{{ref}}/{resource_type}"
        routes += [
            Route(
                path,
                {"GET": OK, "OPTIONS": OK},
                resource_type,
                open_methods=only_options,
                owned=True,
            )
            for path in (collection, f"{collection}/{{item}}")
        ]
    return routes


def _public_routes() -> list[Route]:
    """Routes that authenticate nobody: a stale token must not stop a login."""
    posted = [
        "access-tokens",
        "refresh-tokens",
        "customer-forgotten-password",
        "customer-confirmation-requests",
    ]
    routes = [Route("/", {"GET": OK, "OPTIONS": OK}, authenticates=False)]
    # DELETE /refresh-tokens names no token (§11.1).
    deletes = {"refresh-tokens": {"DELETE": (400, None)}}
    routes += [
        Route(
            f"/{name}",
            {"POST": INVALID_BODY, "OPTIONS": OK, **deletes.get(name, {})},
            name,
            authenticates=False,
        )
        for name in posted
    ]
    routes += [
        Route(path, {"PATCH": INVALID_BODY, "OPTIONS": OK}, "customer-restore-password", False)
        for path in ("/customer-restore-password", "/customer-restore-password/any-id")
    ]
    return routes


ROUTES = [
    *_public_routes(),
    Route(
        "/customers",
        {
            "GET": OK,
            "POST": INVALID_BODY,
            "PATCH": (400, "405"),
            "DELETE": (400, "405"),
            "OPTIONS": OK,
        },
        "customers",
        open_methods=frozenset({"POST", "PATCH", "DELETE", "OPTIONS"}),
    ),
    *_customer_routes(),
    Route("/customer-confirmation", {"POST": INVALID_BODY, "OPTIONS": OK}, "customer-confirmation"),
    Route(
        "/refresh-tokens/not-a-refresh-token",
        {"DELETE": NO_CONTENT, "OPTIONS": OK},
        open_methods=frozenset(),
    ),
    Route(
        "/customer-password/{ref}",
        {"PATCH": INVALID_BODY, "OPTIONS": OK},
        "customer-password",
        open_methods=frozenset(),
        owned=True,
    ),
    Route("/schema", {"GET": OK, "OPTIONS": OK}),
    Route("/docs", {"GET": OK}),
    Route("/no-such-route", dict.fromkeys(METHODS, (404, None)), authenticates=False),
]


@dataclass(frozen=True)
class Caller:
    """Who sends the request, and which customer and item its URL names."""

    name: str
    token: str = ""  # whose bearer token is sent: "owner", "other" or nobody's
    bad_authorization: str = ""  # an Authorization header that is no valid token
    url_customer: str = "owner"  # or "unknown": a reference nobody has
    item: str = "existing"  # the owner's item, or an "unknown" or "malformed" uuid

    @property
    def foreign(self) -> bool:
        """The URL names a customer that is not the caller."""
        return self.token == "other" or self.url_customer == "unknown"

    def applies_to(self, route: Route) -> bool:
        if self.url_customer != "owner":
            return route.owned
        if self.item != "existing":
            return bool(route.item)
        return True


CALLERS = [
    Caller("no token"),
    Caller("malformed token", bad_authorization="Bearer"),
    Caller("unknown token", bad_authorization="Bearer 0123456789abcdef0123456789abcdef"),
    Caller("another customer's token", token="other"),
    Caller("own token", token="owner"),
    Caller("own token, unknown reference", token="owner", url_customer="unknown"),
    Caller("own token, unknown uuid", token="owner", item="unknown"),
    Caller("own token, malformed uuid", token="owner", item="malformed"),
]


def expected(route: Route, method: str, caller: Caller) -> tuple[int, str | None]:
    """The contract's status and code (§1, §6) for this request as a JSON client sends it."""
    if route.authenticates and caller.bad_authorization:
        return 401, "001"
    if method not in route.open_methods:
        if not caller.token:
            return 403, "002"
        if route.owned and caller.foreign:
            if route.answers.get(method) == INVALID_BODY:
                return INVALID_BODY  # Glue's order: a body's own errors before ownership (§11.1)
            reads_customer = (method, route.path) == ("GET", "/customers/{ref}")
            return (404, "402") if reads_customer else (403, "411")
    answer = route.answers.get(method, NOT_ALLOWED)
    looks_up_item = method in ("GET", "PATCH", "DELETE") and method in route.answers
    if route.item and caller.item != "existing" and looks_up_item:
        return 404, {**ITEM_NOT_FOUND, **READ_ONLY_ITEM_NOT_FOUND}[route.item]
    return answer


CASES = [
    pytest.param(route, method, caller, id=f"{method} {route.path} [{caller.name}]")
    for route in ROUTES
    for caller in CALLERS
    if caller.applies_to(route)
    for method in METHODS
]


@dataclass
class World:
    """Two customers registered through the API, and items of the first one."""

    service: LiveService
    owner: Customer
    other: Customer
    items: dict[str, str] = field(default_factory=dict)
    serial: itertools.count = field(default_factory=itertools.count)

    def create_item(self, resource_type: str, customer: Customer) -> str:
        n = next(self.serial)
        attributes = {
            "addresses": {
                "salutation": "Ms",
                "firstName": "Ada",
                "lastName": "Lovelace",
                "address1": "Main Street",
                "address2": "1",
                "zipCode": "10115",
                "city": "Berlin",
                "iso2Code": "DE",
            },
            "customer-relations": {"domain": "product", "refId": f"product-{n}"},
            "customer-properties": {"propertyType": "note", "value": f"note {n}"},
        }[resource_type]
        path = f"customers/{customer.reference}/{resource_type}"
        document = self.service.post(path, resource_type, attributes, 201, customer.token)
        return document["data"]["id"]

    def request(self, route: Route, method: str, caller: Caller, accept: str) -> requests.Response:
        """The case's request; a DELETE that succeeds gets a customer or item of its own."""
        customer = self.other if caller.token == "other" else self.owner
        deletes = method == "DELETE" and expected(route, method, caller) == NO_CONTENT
        if deletes and route.path == "/customers/{ref}":
            customer = self.service.register_and_log_in(f"deleted-{next(self.serial)}@example.com")
        reference = self.owner.reference if caller.foreign else customer.reference
        if caller.url_customer == "unknown":
            reference = reference.split("--")[0] + "--999999999"
        item = {
            "existing": self.items.get(route.item, ""),
            "unknown": str(uuid.uuid4()),
            "malformed": "not-a-uuid",
        }[caller.item]
        if deletes and route.item:
            item = self.create_item(route.item, customer)
        headers = {"Accept": accept}
        if caller.token:
            headers["Authorization"] = f"Bearer {customer.token}"
        elif caller.bad_authorization:
            headers["Authorization"] = caller.bad_authorization
        body = None
        if method in ("POST", "PATCH") and route.resource_type:
            body = {"data": {"type": route.resource_type, "attributes": {}}}
            headers["Content-Type"] = JSON_API
        url = self.service.base_url + route.path.format(ref=reference, item=item)
        return requests.request(method, url, json=body, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def world(live_service) -> World:
    world = World(
        live_service,
        owner=live_service.register_and_log_in("owner@example.com"),
        other=live_service.register_and_log_in("other@example.com"),
    )
    world.items = {name: world.create_item(name, world.owner) for name in ITEM_NOT_FOUND}
    activities = requests.get(
        f"{live_service.base_url}/customers/{world.owner.reference}/customer-activities",
        headers={"Authorization": f"Bearer {world.owner.token}"},
        timeout=30,
    )
    world.items["customer-activities"] = activities.json()["data"][0]["id"]  # the log in
    world.items["customer-groups"] = world.service.manage(
        "shell",
        "-c",
        "from customer_groups.models import CustomerGroup; from customers.models import Customer;"
        "group = CustomerGroup.objects.create(code='wholesale', label='Wholesale');"
        f"group.customers.add(Customer.objects.get(customer_reference='{world.owner.reference}'));"
        "print(group.pk)",
    ).splitlines()[-1]
    return world


_ERROR_DOCUMENT = Draft202012Validator(ERROR_DOCUMENT)


def _error_codes(response: requests.Response) -> set[str | None]:
    assert response.headers["Content-Type"] == JSON_API, response.text[:300]
    body = response.json()
    assert not list(_ERROR_DOCUMENT.iter_errors(body)), body
    return {error.get("code") for error in body["errors"]}


@pytest.mark.parametrize(("route", "method", "caller"), CASES)
def test_a_browser_gets_the_status_and_code_a_json_client_gets(world, route, method, caller):
    status, code = expected(route, method, caller)

    as_json = world.request(route, method, caller, accept=JSON_API)
    as_html = world.request(route, method, caller, accept=HTML)

    assert as_json.status_code == status, as_json.text[:300]
    if status >= 400:
        assert _error_codes(as_json) == {code}
    assert as_html.status_code == status, as_html.text[:300]
    if status < 400:
        return
    if as_html.headers["Content-Type"].startswith(HTML):
        # The browsable API shows the JSON:API error document inside the page.
        assert code is None or f'"code": "{code}"' in html.unescape(as_html.text)
    else:
        assert _error_codes(as_html) == {code}
