"""The clients app developers generate from /schema work without hand edits (contract §11.1).

Against gunicorn (see the live_service fixture), with /schema as it serves it: the document passes
openapi-spec-validator and Redocly's recommended rules (``clients/redocly.yaml``);
openapi-python-client's client imports module by module and runs the customer journey;
openapi-typescript's types check ``clients/journey.ts`` (openapi-fetch) with
``tsc --strict --noEmit``. The npm tools are pinned by ``clients/package-lock.json`` and installed
into ``clients/node_modules`` once per lock file. Where npm or the registry cannot be reached the
tests that need them are skipped, unless ``REQUIRE_CLIENT_TOOLS`` is set (``.ci/run`` sets it).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import requests

from tests.live_server import ROOT, LiveService

# django_db: pytest-django creates the test database only for marked tests, and the server
# shares it (see the live_service fixture).
pytestmark = [pytest.mark.clients, pytest.mark.django_db]

CLIENTS = ROOT / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
PACKAGE = "customer_accounts_client"  # the generated Python package
PASSWORD = "a client generated in minutes"
QUIET_NODE_TOOLS = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}


def unavailable(reason: str) -> NoReturn:
    """Skip: a tool cannot be installed here; where it must be (CI), fail instead."""
    if os.environ.get("REQUIRE_CLIENT_TOOLS"):
        pytest.fail(reason)
    pytest.skip(reason)


def run(command: list[str | Path], cwd: Path = CLIENTS, path: Path | None = None) -> str:
    """Run a tool (``path`` first on the PATH); its output, or a failure that shows it."""
    environment = {**os.environ, **QUIET_NODE_TOOLS}
    if path is not None:
        environment["PATH"] = f"{path}{os.pathsep}{environment['PATH']}"
    finished = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, f"{' '.join(map(str, command))}:\n{output}"
    return output


@pytest.fixture(scope="module")
def node_tools() -> Path:
    """``clients/node_modules/.bin``, installed with ``npm ci`` when the lock file changed."""
    lock = hashlib.sha256((CLIENTS / "package-lock.json").read_bytes()).hexdigest()[:16]
    stamp = CLIENTS / "node_modules" / f".installed-{lock}"
    if stamp.exists():
        return NODE_BIN
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed: the TypeScript client and Redocly need Node.js")
    installed = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=CLIENTS,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if installed.returncode != 0:
        unavailable(f"npm ci could not install clients/package-lock.json:\n{installed.stderr}")
    stamp.touch()
    return NODE_BIN


@pytest.fixture(scope="module")
def document(live_service: LiveService, tmp_path_factory) -> Path:
    """The OpenAPI document as the service serves it, in a file."""
    response = requests.get(f"{live_service.base_url}/schema?format=json", timeout=30)
    assert response.status_code == 200
    path = tmp_path_factory.mktemp("schema") / "openapi.json"
    path.write_text(json.dumps(response.json(), indent=2))
    return path


@pytest.fixture(scope="module")
def python_client(document: Path, tmp_path_factory) -> Iterator[str]:
    """openapi-python-client's package for the document, importable while the module runs."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    if not generator.exists():
        unavailable("openapi-python-client is not installed: run make install")
    folder = tmp_path_factory.mktemp("python-client")
    run(
        [
            generator,
            "generate",
            "--path",
            document,
            "--output-path",
            folder / PACKAGE,
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        cwd=folder,
        # Its post-generation hooks format the code with ruff, installed beside it.
        path=generator.parent,
    )
    sys.path.insert(0, str(folder))
    try:
        yield PACKAGE
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def parsed(response, status: int):
    """The body a generated client parsed from an answer, which must have ``status``."""
    assert response.status_code == status, response.content
    return response.parsed


def test_the_document_passes_openapi_spec_validator(document):
    try:
        from openapi_spec_validator import validate
    except ImportError:
        unavailable("openapi-spec-validator is not installed: run make install")
    validate(json.loads(document.read_text()))


def test_the_document_passes_redocly_recommended_rules(document, node_tools):
    run([node_tools / "redocly", "lint", "--config", "redocly.yaml", document])


def test_every_module_of_the_python_client_imports(python_client):
    package = importlib.import_module(python_client)
    modules = [
        info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]
    for name in modules:
        importlib.import_module(name)
    assert f"{python_client}.api.customers.customers_create" in modules
    assert len(modules) > 100


def test_the_customer_journey_runs_through_the_python_client(python_client, live_service):
    from customer_accounts_client import AuthenticatedClient, Client
    from customer_accounts_client.api.access_tokens import access_tokens_create
    from customer_accounts_client.api.addresses import addresses_create, addresses_list
    from customer_accounts_client.api.customer_confirmation import customer_confirmation_create
    from customer_accounts_client.api.customers import (
        customers_create,
        customers_retrieve,
        customers_update,
    )
    from customer_accounts_client.api.refresh_tokens import (
        refresh_tokens_create,
        refresh_tokens_delete,
    )
    from customer_accounts_client.models import (
        AccessTokenAttributesRequest,
        AccessTokensCreateRequest,
        AccessTokensCreateRequestData,
        AccessTokensCreateRequestDataType,
        AddressAttributesRequest,
        AddressesCreateRequest,
        AddressesCreateRequestData,
        AddressesCreateRequestDataType,
        AddressesListFieldsaddressesItem,
        AddressesResource,
        ConfirmationAttributesRequest,
        CustomerConfirmationCreateRequest,
        CustomerConfirmationCreateRequestData,
        CustomerConfirmationCreateRequestDataType,
        CustomersCreateRequest,
        CustomersCreateRequestData,
        CustomersCreateRequestDataType,
        CustomersRetrieveFieldscustomersItem,
        CustomersRetrieveIncludeItem,
        CustomersUpdateRequest,
        CustomersUpdateRequestData,
        CustomersUpdateRequestDataType,
        ErrorDocument,
        GenderEnum,
        PatchedCustomerUpdateAttributesRequest,
        RefreshTokenAttributesRequest,
        RefreshTokensCreateRequest,
        RefreshTokensCreateRequestData,
        RefreshTokensCreateRequestDataType,
        RegistrationAttributesRequest,
        SalutationEnum,
    )
    from customer_accounts_client.types import UNSET

    base_url = live_service.base_url
    email = "app.developer@example.com"
    anonymous = Client(base_url=base_url)

    registration = RegistrationAttributesRequest(
        salutation=SalutationEnum.MS,
        first_name="App",
        last_name="Developer",
        email=email,
        password=PASSWORD,
        confirm_password=PASSWORD,
        accepted_terms=True,
        gender=None,
        date_of_birth=datetime.date(1990, 1, 2),
    )
    body = CustomersCreateRequest(
        data=CustomersCreateRequestData(
            type_=CustomersCreateRequestDataType.CUSTOMERS, attributes=registration
        )
    )
    created = parsed(customers_create.sync_detailed(client=anonymous, body=body), 201)
    reference = created.data.id
    assert reference.startswith("DE--")

    confirmation = ConfirmationAttributesRequest(
        registration_key=live_service.confirmation_key(email)
    )
    body = CustomerConfirmationCreateRequest(
        data=CustomerConfirmationCreateRequestData(
            type_=CustomerConfirmationCreateRequestDataType.CUSTOMER_CONFIRMATION,
            attributes=confirmation,
        )
    )
    parsed(customer_confirmation_create.sync_detailed(client=anonymous, body=body), 204)

    body = AccessTokensCreateRequest(
        data=AccessTokensCreateRequestData(
            type_=AccessTokensCreateRequestDataType.ACCESS_TOKENS,
            attributes=AccessTokenAttributesRequest(username=email, password=PASSWORD),
        )
    )
    tokens = parsed(access_tokens_create.sync_detailed(client=anonymous, body=body), 201)
    pair = tokens.data.attributes
    assert (pair.token_type, tokens.data.id) == ("Bearer", None)
    me = AuthenticatedClient(base_url=base_url, token=pair.access_token)

    fields = [
        CustomersRetrieveFieldscustomersItem.FIRSTNAME,
        CustomersRetrieveFieldscustomersItem.GENDER,
    ]
    read = customers_retrieve.sync_detailed(
        reference,
        client=me,
        include=[CustomersRetrieveIncludeItem.ADDRESSES],
        fieldscustomers=fields,
    )
    customer = parsed(read, 200).data
    assert (customer.attributes.first_name, customer.attributes.gender) == ("App", None)
    assert customer.attributes.email is UNSET
    assert customer.relationships.addresses.data == []

    change = PatchedCustomerUpdateAttributesRequest(first_name="Renamed", gender=GenderEnum.DIVERSE)
    body = CustomersUpdateRequest(
        data=CustomersUpdateRequestData(
            type_=CustomersUpdateRequestDataType.CUSTOMERS, attributes=change
        )
    )
    changed = parsed(customers_update.sync_detailed(reference, client=me, body=body), 200)
    attributes = changed.data.attributes
    assert (attributes.first_name, attributes.gender, attributes.email) == (
        "Renamed",
        GenderEnum.DIVERSE,
        email,
    )
    assert attributes.date_of_birth == datetime.date(1990, 1, 2)

    address = AddressAttributesRequest(
        salutation=SalutationEnum.MS,
        first_name="App",
        last_name="Developer",
        address1="Main Street 1",
        address2="Floor 2",
        zip_code="10115",
        city="Berlin",
        iso_2_code="DE",
    )
    body = AddressesCreateRequest(
        data=AddressesCreateRequestData(
            type_=AddressesCreateRequestDataType.ADDRESSES, attributes=address
        )
    )
    added = parsed(addresses_create.sync_detailed(reference, client=me, body=body), 201).data
    assert (added.attributes.country, added.attributes.is_default_shipping) == ("Germany", True)

    city = [AddressesListFieldsaddressesItem.CITY]
    listed = parsed(addresses_list.sync_detailed(reference, client=me, fieldsaddresses=city), 200)
    assert [(item.id, item.attributes.city) for item in listed.data] == [(added.id, "Berlin")]
    assert listed.data[0].attributes.zip_code is UNSET
    assert (listed.meta.page.total, listed.links.next_) == (1, None)

    # Lists in the query go out as repeated keys (include=a&include=b): the service reads both.
    both = [CustomersRetrieveIncludeItem.ADDRESSES, CustomersRetrieveIncludeItem.CUSTOMER_RELATIONS]
    compound = parsed(customers_retrieve.sync_detailed(reference, client=me, include=both), 200)
    assert [type(item) for item in compound.included] == [AddressesResource]
    assert compound.included[0].id == added.id
    assert compound.data.relationships.customer_relations.meta.count == 0

    body = RefreshTokensCreateRequest(
        data=RefreshTokensCreateRequestData(
            type_=RefreshTokensCreateRequestDataType.REFRESH_TOKENS,
            attributes=RefreshTokenAttributesRequest(refresh_token=pair.refresh_token),
        )
    )
    refreshed = parsed(refresh_tokens_create.sync_detailed(client=anonymous, body=body), 201)
    assert refreshed.data.attributes.access_token != pair.access_token
    me = AuthenticatedClient(base_url=base_url, token=refreshed.data.attributes.access_token)
    assert parsed(customers_retrieve.sync_detailed(reference, client=me), 200).data.id == reference

    parsed(refresh_tokens_delete.sync_detailed("mine", client=me), 204)
    refused = parsed(customers_retrieve.sync_detailed(reference, client=me), 401)
    assert isinstance(refused, ErrorDocument)
    assert [error.code for error in refused.errors] == ["001"]


def test_the_typescript_client_type_checks_strictly(document, node_tools, tmp_path):
    for name in ("journey.ts", "tsconfig.json"):
        shutil.copy(CLIENTS / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(CLIENTS / "node_modules")
    run([node_tools / "openapi-typescript", document, "--output", tmp_path / "schema.d.ts"])
    run([node_tools / "tsc", "--strict", "--noEmit", "--project", tmp_path / "tsconfig.json"])
