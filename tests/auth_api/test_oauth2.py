"""Standard OAuth2 for apps under /oauth/: authorization code with PKCE, refresh, revoke,
introspect — driven by oauthlib's client, as an app would."""

import base64
import html
import re
from io import StringIO
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken
from oauthlib.oauth2 import MobileApplicationClient, WebApplicationClient

from auth_api.models import SpentAuthorizationCode
from auth_api.services import (
    FIRST_PARTY_CLIENT_ID,
    issue_tokens,
    revoke_all_tokens,
    token_checksum,
)
from customers.models import Customer
from operations.keys import key_digest
from tests.conftest import Api, all_at_once, errors_of
from tests.factories import DEFAULT_PASSWORD, CustomerFactory

REDIRECT_URI = "https://app.shop.example/callback"
AUTHORIZE = "https://testserver/oauth/authorize/"
HTTPS = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}


def register_client(*extra) -> dict[str, str]:
    output = StringIO()
    call_command(
        "create_oauth_client", "Shop app", "--redirect-uri", REDIRECT_URI, *extra, stdout=output
    )
    return dict(line.split(": ", 1) for line in output.getvalue().splitlines())


def form_fields(page: str) -> dict[str, str]:
    hidden = re.findall(r'<input type="hidden" name="(\w+)"[^>]*value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in hidden}


def log_in_with_the_login_page(browser, email, password=DEFAULT_PASSWORD):
    return browser.post("/api-auth/login/", {"username": email, "password": password})


def authorize(browser, oauth: WebApplicationClient, verifier: str, **params):
    """The customer approves the app on the authorization page; returns the redirect."""
    uri = oauth.prepare_request_uri(
        AUTHORIZE,
        redirect_uri=REDIRECT_URI,
        scope=["customer"],
        state="state-123",
        code_challenge=oauth.create_code_challenge(verifier, "S256"),
        code_challenge_method="S256",
        **params,
    )
    page = browser.get(uri)
    assert page.status_code == 200, page.content[:500]
    return browser.post(
        "/oauth/authorize/", {**form_fields(page.content.decode()), "allow": "Authorize"}
    )


def https_client() -> Api:
    """OAuth2 must run over https; oauthlib refuses anything else."""
    return Api(**HTTPS)


def token_request(api, body: str):
    return api.post(
        "/oauth/token/", data=body, content_type="application/x-www-form-urlencoded", **HTTPS
    )


def exchange_code(api, oauth: WebApplicationClient, redirect, verifier: str, **credentials):
    """The app trades the code of the authorization redirect for tokens."""
    oauth.parse_request_uri_response(redirect["Location"], state="state-123")
    body = oauth.prepare_request_body(
        code=oauth.code,
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
        include_client_id=True,
        **credentials,
    )
    return token_request(api, body)


@pytest.fixture
def customer_and_browser(api, db):
    customer = CustomerFactory()
    browser = https_client()
    assert log_in_with_the_login_page(browser, customer.email).status_code == 302
    return customer, browser


def test_the_whole_pkce_flow_gives_an_app_working_tokens(api, customer_and_browser):
    customer, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)

    redirect = authorize(browser, oauth, verifier)
    assert redirect.status_code == 302
    oauth.parse_request_uri_response(redirect["Location"], state="state-123")
    body = oauth.prepare_request_body(
        code=oauth.code, redirect_uri=REDIRECT_URI, code_verifier=verifier, include_client_id=True
    )
    tokens = oauth.parse_request_body_response(token_request(api, body).content)

    me = Api().authenticate(tokens["access_token"]).get(f"/customers/{customer.customer_reference}")
    assert me.status_code == 200

    refreshed = oauth.parse_request_body_response(
        token_request(api, oauth.prepare_refresh_body(client_id=oauth.client_id)).content
    )
    assert refreshed["access_token"] != tokens["access_token"]
    old = (
        Api().authenticate(tokens["access_token"]).get(f"/customers/{customer.customer_reference}")
    )
    assert old.status_code == 401

    revoked = api.post(
        "/oauth/revoke_token/",
        {"token": refreshed["access_token"], "client_id": oauth.client_id},
        **HTTPS,
    )
    assert revoked.status_code == 200
    after = (
        Api()
        .authenticate(refreshed["access_token"])
        .get(f"/customers/{customer.customer_reference}")
    )
    assert after.status_code == 401


def test_an_app_signing_in_past_the_cap_ends_the_customers_oldest_session(
    api, customer_and_browser, monkeypatch
):
    monkeypatch.setattr("auth_api.services.MAX_SESSIONS_PER_CUSTOMER", 1)
    customer, browser = customer_and_browser
    storefront = issue_tokens(customer)
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)

    answer = exchange_code(api, oauth, authorize(browser, oauth, verifier), verifier)

    app_token = answer.json()["access_token"]
    me = f"/customers/{customer.customer_reference}"
    assert Api().authenticate(app_token).get(me).status_code == 200
    assert Api().authenticate(storefront.access_token).get(me).status_code == 401
    assert RefreshToken.objects.get(token_checksum=token_checksum(storefront.refresh_token)).revoked


def test_the_consent_page_is_titled_with_the_apps_name(customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    uri = oauth.prepare_request_uri(
        AUTHORIZE,
        redirect_uri=REDIRECT_URI,
        scope=["customer"],
        code_challenge=oauth.create_code_challenge(oauth.create_code_verifier(64), "S256"),
        code_challenge_method="S256",
    )

    page = browser.get(uri)

    assert page.status_code == 200
    assert "<title>Authorize Shop app?</title>" in page.content.decode()


def test_a_wrong_code_verifier_gets_no_token(api, customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)
    redirect = authorize(browser, oauth, verifier)
    oauth.parse_request_uri_response(redirect["Location"], state="state-123")

    body = oauth.prepare_request_body(
        code=oauth.code,
        redirect_uri=REDIRECT_URI,
        code_verifier=oauth.create_code_verifier(64),
        include_client_id=True,
    )
    response = token_request(api, body)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_authorization_without_pkce_is_refused(customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    uri = oauth.prepare_request_uri(
        AUTHORIZE, redirect_uri=REDIRECT_URI, scope=["customer"], state="s"
    )

    response = browser.get(uri)

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_plain_pkce_is_refused_when_the_code_would_be_issued(customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    uri = oauth.prepare_request_uri(
        AUTHORIZE,
        redirect_uri=REDIRECT_URI,
        scope=["customer"],
        state="s",
        code_challenge="x" * 43,
        code_challenge_method="plain",
    )
    page = browser.get(uri)

    response = browser.post(
        "/oauth/authorize/", {**form_fields(page.content.decode()), "allow": "Authorize"}
    )

    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_the_password_grant_is_not_offered_under_oauth(api, customer):
    client_id = register_client()["client_id"]

    response = token_request(
        api,
        f"grant_type=password&username={customer.email}&password={DEFAULT_PASSWORD}"
        f"&client_id={client_id}",
    )

    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_introspection_tells_a_resource_server_whether_a_token_is_active(api, tokens):
    server = register_client("--confidential")
    credentials = base64.b64encode(
        f"{server['client_id']}:{server['client_secret']}".encode()
    ).decode()
    auth = {"HTTP_AUTHORIZATION": f"Basic {credentials}", **HTTPS}

    live = api.post("/oauth/introspect/", {"token": tokens.access_token}, **auth)
    unknown = api.post("/oauth/introspect/", {"token": "not-a-token"}, **auth)

    assert live.status_code == 200
    assert live.json()["active"] is True
    assert unknown.json() == {"active": False}


def test_unconfirmed_customers_cannot_log_in_on_the_login_page(api):
    unconfirmed = CustomerFactory(confirmed_at=None)

    response = log_in_with_the_login_page(Api(), unconfirmed.email)

    assert response.status_code == 200  # the form again, with an error


def test_the_login_page_shares_the_login_lockout(api, customer, settings):
    settings.LOGIN_FAILURE_LIMIT = "2/15m"
    browser = Api()
    for _ in range(2):
        log_in_with_the_login_page(browser, customer.email, "a wrong password")

    response = log_in_with_the_login_page(browser, customer.email)

    assert response.status_code == 200
    assert "_auth_user_id" not in browser.session


def test_client_registration_command_rejects_a_duplicate_name(db):
    register_client()

    with pytest.raises(Exception, match="exists already"):
        register_client()


def test_client_secret_is_stored_hashed(db):
    secret = register_client("--confidential")["client_secret"]

    stored = Application.objects.get(name="Shop app").client_secret
    assert secret not in stored
    assert stored.startswith(("pbkdf2_", "argon2", "md5$"))


def test_client_registration_command_explains_a_refused_redirect_uri(db):
    with pytest.raises(CommandError, match="invalid_scheme"):
        call_command(
            "create_oauth_client", "App", "--redirect-uri", "com.shop.app:/cb", stdout=StringIO()
        )


DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.mark.parametrize(
    "path",
    [
        "/oauth/device-authorization/",
        "/oauth/device/",
        "/oauth/device-confirm/client/code",
        "/oauth/device-grant-status/client/code",
        "/oauth/applications/",
        "/oauth/authorized_tokens/",
        "/oauth/.well-known/oauth-authorization-server",
        "/oauth/userinfo/",
        "/oauth/register/",
    ],
)
def test_only_authorize_token_revoke_and_introspect_are_served_under_oauth(api, path):
    client_id = register_client()["client_id"]

    for response in (
        api.get(path, **HTTPS),
        api.post(
            path,
            f"client_id={client_id}",
            content_type="application/x-www-form-urlencoded",
            **HTTPS,
        ),
    ):
        assert response.status_code == 404
        assert errors_of(response) == [{"status": "404", "detail": "Not found."}]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/oauth/authorize"),
        ("post", "/oauth/token"),
        ("post", "/oauth/revoke_token"),
        ("post", "/oauth/introspect"),
    ],
)
def test_the_oauth_endpoints_answer_without_their_trailing_slash_as_with_it(api, method, path):
    """OAuth2 clients are configured with the endpoints' URLs by hand, slash or no slash."""
    client_id = register_client()["client_id"]
    parameters = f"client_id={client_id}&grant_type=password&token=x"

    def send(spelling: str):
        if method == "get":
            return api.get(f"{spelling}?{parameters}", **HTTPS)
        return api.post(
            spelling, parameters, content_type="application/x-www-form-urlencoded", **HTTPS
        )

    with_slash, without = send(path + "/"), send(path)

    assert without.status_code == with_slash.status_code != 404
    assert without["Content-Type"] == with_slash["Content-Type"]


@pytest.mark.parametrize("device_code", ["", "&device_code=guessed"])
def test_the_device_code_grant_is_refused_at_the_token_endpoint(api, device_code):
    client_id = register_client()["client_id"]
    body = f"grant_type={DEVICE_CODE_GRANT}&client_id={client_id}{device_code}"

    response = token_request(api, body)

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_the_implicit_grant_is_refused(customer_and_browser):
    _, browser = customer_and_browser
    client_id = register_client()["client_id"]
    uri = MobileApplicationClient(client_id).prepare_request_uri(
        AUTHORIZE, redirect_uri=REDIRECT_URI, scope=["customer"], state="s"
    )

    response = browser.get(uri)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    assert parse_qs(location.query)["error"] == ["unsupported_response_type"]
    assert "access_token" not in response["Location"]


def authorization_uri(client_id: str, **params) -> str:
    oauth = WebApplicationClient(client_id)
    params.setdefault("redirect_uri", REDIRECT_URI)
    return oauth.prepare_request_uri(
        AUTHORIZE,
        scope=["customer"],
        state="s",
        code_challenge=oauth.create_code_challenge(oauth.create_code_verifier(64), "S256"),
        code_challenge_method="S256",
        **params,
    )


def assert_oauth_error(response, status: int, error: str) -> dict:
    """An RFC 6749 error document, no page and no redirect."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert not response.has_header("Location")
    body = response.json()
    assert body["error"] == error
    return body


@pytest.mark.parametrize(
    "params",
    [
        {"client_id": "unknown-client"},
        {"redirect_uri": "https://attacker.example/callback"},
    ],
    ids=["unknown client", "unregistered redirect uri"],
)
def test_an_authorization_request_that_cannot_redirect_answers_json(customer_and_browser, params):
    _, browser = customer_and_browser
    client_id = params.pop("client_id", None) or register_client()["client_id"]

    response = browser.get(authorization_uri(client_id, **params))

    assert_oauth_error(response, 400, "invalid_request")


def test_an_incomplete_authorization_form_answers_json(customer_and_browser):
    _, browser = customer_and_browser

    response = browser.post("/oauth/authorize/", {"allow": "Authorize"})

    assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    "fields",
    [
        {"client_id": "unknown-client"},
        {"redirect_uri": "https://attacker.example/callback"},
        {"redirect_uri": "https://attacker.example/callback", "allow": ""},
    ],
    ids=["unknown client", "unregistered redirect uri", "denied to an unregistered redirect uri"],
)
def test_a_tampered_authorization_form_answers_json_and_redirects_nowhere(
    customer_and_browser, fields
):
    _, browser = customer_and_browser
    page = browser.get(authorization_uri(register_client()["client_id"]))
    form = {**form_fields(page.content.decode()), "allow": "Authorize", **fields}

    response = browser.post("/oauth/authorize/", {k: v for k, v in form.items() if v})

    assert_oauth_error(response, 400, "invalid_request")
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/oauth/token/", "POST"),
        ("get", "/oauth/revoke_token/", "POST"),
        ("patch", "/oauth/authorize/", "GET, POST"),
    ],
)
def test_a_wrong_method_under_oauth_answers_a_json_api_405(
    customer_and_browser, method, path, allowed
):
    _, browser = customer_and_browser

    response = getattr(browser, method)(path, **HTTPS)

    assert response.status_code == 405
    assert errors_of(response) == [
        {"status": "405", "detail": f'Method "{method.upper()}" not allowed.'}
    ]
    assert set(response["Allow"].split(", ")) >= set(allowed.split(", "))


def approve_once(api, browser, *extra) -> tuple[WebApplicationClient, dict]:
    """Register an app and let the customer approve it: it holds live tokens afterwards."""
    client = register_client(*extra)
    oauth = WebApplicationClient(client["client_id"])
    verifier = oauth.create_code_verifier(64)
    credentials = {"client_secret": client["client_secret"]} if "client_secret" in client else {}
    response = exchange_code(
        api, oauth, authorize(browser, oauth, verifier), verifier, **credentials
    )
    assert response.status_code == 200, response.content
    return oauth, client


def test_a_public_client_is_shown_the_consent_page_every_time(api, customer_and_browser):
    customer, browser = customer_and_browser
    oauth, _ = approve_once(api, browser)

    for _ in range(2):
        verifier = oauth.create_code_verifier(64)
        redirect = authorize(browser, oauth, verifier, approval_prompt="auto")
        tokens = oauth.parse_request_body_response(
            exchange_code(api, oauth, redirect, verifier).content
        )
        me = Api().authenticate(tokens["access_token"])
        assert me.get(f"/customers/{customer.customer_reference}").status_code == 200


@pytest.mark.parametrize("skip", ["approval_prompt=auto", "skip_authorization"])
def test_a_cross_site_authorization_request_cannot_skip_a_public_clients_consent(
    api, customer_and_browser, skip
):
    _, browser = customer_and_browser
    oauth, _ = approve_once(api, browser)
    params = {}
    if skip == "skip_authorization":
        Application.objects.filter(client_id=oauth.client_id).update(skip_authorization=True)
    else:
        params["approval_prompt"] = "auto"

    response = browser.get(authorization_uri(oauth.client_id, **params))

    assert response.status_code == 200
    assert 'id="authorizationForm"' in response.content.decode()
    assert not Grant.objects.exists()


@pytest.mark.parametrize("skip", ["approval_prompt=auto", "skip_authorization"])
def test_a_confidential_client_keeps_the_approval_it_was_given(api, customer_and_browser, skip):
    _, browser = customer_and_browser
    oauth, _ = approve_once(api, browser, "--confidential")
    params = {}
    if skip == "skip_authorization":
        Application.objects.filter(client_id=oauth.client_id).update(skip_authorization=True)
    else:
        params["approval_prompt"] = "auto"

    response = browser.get(authorization_uri(oauth.client_id, **params))

    assert response.status_code == 302
    assert "code" in parse_qs(urlsplit(response["Location"]).query)


def basic_auth(client_id: str, secret: str) -> dict[str, str]:
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {credentials}", **HTTPS}


def test_a_confidential_client_may_send_its_secret_in_the_form(api, tokens):
    server = register_client("--confidential")
    credentials = {"client_id": server["client_id"], "client_secret": server["client_secret"]}

    live = api.post("/oauth/introspect/", {"token": tokens.access_token, **credentials}, **HTTPS)
    revoke_all_tokens(Customer.objects.get())
    revoked = api.post("/oauth/introspect/", {"token": tokens.access_token, **credentials}, **HTTPS)

    assert live.status_code == 200
    assert live.json()["active"] is True
    assert live.json()["client_id"] == FIRST_PARTY_CLIENT_ID
    assert revoked.json() == {"active": False}


def introspection_attempt(kind: str, tokens) -> tuple[dict, dict]:
    """Form fields and headers of a client that does not prove itself with a secret."""
    if kind == "storefront-api without a secret":
        return {"client_id": FIRST_PARTY_CLIENT_ID}, HTTPS
    if kind == "storefront-api with an empty secret":
        return {"client_id": FIRST_PARTY_CLIENT_ID, "client_secret": ""}, HTTPS
    if kind == "storefront-api with an empty basic password":
        return {}, basic_auth(FIRST_PARTY_CLIENT_ID, "")
    if kind == "a registered public app":
        return {"client_id": register_client()["client_id"]}, HTTPS
    if kind == "a confidential client with a wrong secret":
        client_id = register_client("--confidential")["client_id"]
        return {}, basic_auth(client_id, "not-the-secret")
    if kind == "a wrong secret in the form":
        client_id = register_client("--confidential")["client_id"]
        return {"client_id": client_id, "client_secret": "not-the-secret"}, HTTPS
    if kind == "a bearer token":
        return {}, {"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}", **HTTPS}
    return {}, HTTPS


@pytest.mark.parametrize(
    "kind",
    [
        "storefront-api without a secret",
        "storefront-api with an empty secret",
        "storefront-api with an empty basic password",
        "a registered public app",
        "a confidential client with a wrong secret",
        "a wrong secret in the form",
        "a bearer token",
        "no credentials",
    ],
)
def test_introspection_answers_only_confidential_clients_with_their_secret(api, tokens, kind):
    fields, headers = introspection_attempt(kind, tokens)

    response = api.post("/oauth/introspect/", {"token": tokens.access_token, **fields}, **headers)

    assert_oauth_error(response, 401, "invalid_client")
    assert "active" not in response.json()


def test_introspection_never_reads_a_token_from_the_query_string(api, tokens):
    server = register_client("--confidential")
    auth = basic_auth(server["client_id"], server["client_secret"])
    query = urlencode({"token": tokens.access_token})

    by_get = api.get(f"/oauth/introspect/?{query}", **auth)
    by_post = api.post(f"/oauth/introspect/?{query}", {}, **auth)

    assert by_get.status_code == 405
    assert "active" not in by_get.json()
    assert_oauth_error(by_post, 400, "invalid_request")
    assert "active" not in by_post.json()


def opens_the_account(access_token: str, customer) -> bool:
    me = Api().authenticate(access_token).get(f"/customers/{customer.customer_reference}")
    return me.status_code == 200


def test_a_reused_authorization_code_revokes_the_tokens_issued_from_it(api, customer_and_browser):
    customer, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)
    redirect = authorize(browser, oauth, verifier)
    first = oauth.parse_request_body_response(exchange_code(api, oauth, redirect, verifier).content)
    refreshed = oauth.parse_request_body_response(
        token_request(api, oauth.prepare_refresh_body(client_id=oauth.client_id)).content
    )
    second_verifier = oauth.create_code_verifier(64)
    second_session = oauth.parse_request_body_response(
        exchange_code(
            api, oauth, authorize(browser, oauth, second_verifier), second_verifier
        ).content
    )

    replay = exchange_code(api, oauth, redirect, verifier)

    assert_oauth_error(replay, 400, "invalid_grant")
    assert not opens_the_account(first["access_token"], customer)
    assert not opens_the_account(refreshed["access_token"], customer)
    refresh = token_request(
        api,
        oauth.prepare_refresh_body(
            client_id=oauth.client_id, refresh_token=refreshed["refresh_token"]
        ),
    )
    assert_oauth_error(refresh, 400, "invalid_grant")
    assert opens_the_account(second_session["access_token"], customer)


def test_a_spent_authorization_code_is_remembered_only_by_its_digest(api, customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)
    redirect = authorize(browser, oauth, verifier)

    response = exchange_code(api, oauth, redirect, verifier)

    tokens = oauth.parse_request_body_response(response.content)
    spent = SpentAuthorizationCode.objects.get()
    assert spent.code_digest == key_digest(oauth.code)
    assert oauth.code not in str(model_to_dict(spent))
    issued = RefreshToken.objects.get(token_checksum=token_checksum(tokens["refresh_token"]))
    assert spent.token_family == issued.token_family


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_exchanges_of_one_code_issue_one_pair_and_then_revoke_it(customer_and_browser):
    _, browser = customer_and_browser
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)
    oauth.parse_request_uri_response(
        authorize(browser, oauth, verifier)["Location"], state="state-123"
    )
    body = oauth.prepare_request_body(
        code=oauth.code, redirect_uri=REDIRECT_URI, code_verifier=verifier, include_client_id=True
    )

    def exchange() -> int:
        return token_request(Api(), body).status_code

    statuses = all_at_once([exchange] * 5)

    assert sorted(statuses) == [200] + [400] * 4
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()


def test_the_storefronts_refresh_tokens_are_not_refreshed_at_the_oauth_endpoint(api, tokens):
    body = f"grant_type=refresh_token&refresh_token={tokens.refresh_token}&client_id=storefront-api"

    response = token_request(api, body)
    glue = api.send(
        "POST",
        "/refresh-tokens",
        {"data": {"type": "refresh-tokens", "attributes": {"refreshToken": tokens.refresh_token}}},
    )

    assert response.status_code in (400, 401)
    assert response.json()["error"] in ("unauthorized_client", "invalid_client")
    assert glue.status_code == 201


def app_signed_in(api, browser) -> tuple[WebApplicationClient, dict]:
    """A newly registered app, and the tokens its authorization code was exchanged for."""
    oauth = WebApplicationClient(register_client()["client_id"])
    verifier = oauth.create_code_verifier(64)
    answer = exchange_code(api, oauth, authorize(browser, oauth, verifier), verifier)
    return oauth, oauth.parse_request_body_response(answer.content)


def test_a_replayed_refresh_token_at_the_oauth_endpoint_is_in_the_activity_log(
    api, customer_and_browser
):
    customer, browser = customer_and_browser
    oauth, first = app_signed_in(api, browser)
    refresh = oauth.prepare_refresh_body(
        client_id=oauth.client_id, refresh_token=first["refresh_token"]
    )
    assert token_request(api, refresh).status_code == 200
    before = list(customer.activities.values_list("activity_type", flat=True))

    replay = token_request(api, refresh)

    assert_oauth_error(replay, 400, "invalid_grant")
    after = list(customer.activities.values_list("activity_type", flat=True))
    assert sorted(after) == sorted([*before, "token-refreshed-reused"])


def test_a_revoked_refresh_token_at_the_oauth_endpoint_is_no_replay_in_the_log(
    api, customer_and_browser
):
    customer, browser = customer_and_browser
    oauth, first = app_signed_in(api, browser)
    revoked = api.post(
        "/oauth/revoke_token/",
        {"token": first["refresh_token"], "client_id": oauth.client_id},
        **HTTPS,
    )
    assert revoked.status_code == 200
    before = list(customer.activities.values_list("activity_type", flat=True))

    refresh = oauth.prepare_refresh_body(
        client_id=oauth.client_id, refresh_token=first["refresh_token"]
    )
    assert_oauth_error(token_request(api, refresh), 400, "invalid_grant")
    assert list(customer.activities.values_list("activity_type", flat=True)) == before
