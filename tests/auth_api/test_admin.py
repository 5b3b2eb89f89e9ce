"""§9 admin: OAuth2 applications and tokens, as staff see them."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from oauth2_provider.models import Application, RefreshToken

from auth_api.services import issue_tokens
from tests.admin_pages import form_values
from tests.factories import StaffFactory


@pytest.fixture
def superuser(db) -> Client:
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture
def application(db) -> Application:
    return Application.objects.create(
        name="Shop app",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.shop.example/callback",
        client_secret="a client secret of the shop app, 2026",
        algorithm="",
    )


def test_an_application_page_offers_no_view_on_site_link(superuser, application):
    # The link would lead to DOT's own application pages, which the service does not serve.
    response = superuser.get(f"/admin/oauth2_provider/application/{application.pk}/change/")

    assert response.status_code == 200
    assert application.name in response.content.decode()
    assert b"View on site" not in response.content
    assert b"/admin/r/" not in response.content


def test_an_application_page_never_shows_the_stored_client_secret(superuser, application):
    stored = Application.objects.get(pk=application.pk).client_secret

    page = superuser.get(f"/admin/oauth2_provider/application/{application.pk}/change/")

    assert stored.startswith(("pbkdf2_sha256$", "argon2$", "md5$"))
    assert stored not in page.content.decode()
    assert stored.split("$")[-1] not in page.content.decode()


def test_saving_an_application_keeps_its_secret_unless_a_new_one_is_entered(superuser, application):
    url = f"/admin/oauth2_provider/application/{application.pk}/change/"
    stored = Application.objects.get(pk=application.pk).client_secret
    values = form_values(superuser.get(url).content.decode(), "application_form")

    kept = superuser.post(url, {**values, "name": "Shop app 2"})
    after_keeping = Application.objects.get(pk=application.pk)
    replaced = superuser.post(url, {**values, "client_secret": "a new secret of the shop app"})
    after_replacing = Application.objects.get(pk=application.pk)

    assert kept.status_code == replaced.status_code == 302
    assert after_keeping.name == "Shop app 2"
    assert after_keeping.client_secret == stored
    assert check_password("a new secret of the shop app", after_replacing.client_secret)


def test_the_refresh_token_list_shows_which_tokens_are_revoked(superuser, customer):
    issue_tokens(customer)
    issue_tokens(customer)
    revoked, kept = RefreshToken.objects.filter(user=customer).order_by("pk")
    revoked.revoke()

    listing = superuser.get("/admin/oauth2_provider/refreshtoken/").content.decode()
    only_revoked = superuser.get(
        "/admin/oauth2_provider/refreshtoken/", {"revoked__isnull": "False"}
    ).content.decode()

    assert "column-is_revoked" in listing
    assert listing.count('alt="True"') == 1 and listing.count('alt="False"') == 1
    assert f"/refreshtoken/{revoked.pk}/change/" in only_revoked
    assert f"/refreshtoken/{kept.pk}/change/" not in only_revoked
