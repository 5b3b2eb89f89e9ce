"""§9 admin: OAuth2 applications and tokens, as staff see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from auth_api.services import first_party_application, issue_tokens, token_checksum
from tests.admin_pages import field_names, form_values
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


# --- Tokens and codes: revoked, never edited ----------------------------------------------------

TOKEN_VIEWER = ("oauth2_provider.view_accesstoken", "oauth2_provider.view_refreshtoken")


def logged_in(staff_member) -> Client:
    client = Client()
    client.force_login(staff_member)
    return client


@pytest.mark.parametrize("model", ["accesstoken", "refreshtoken"])
def test_staff_who_may_only_view_tokens_cannot_revoke_them(customer, model):
    tokens = issue_tokens(customer)
    client = logged_in(StaffFactory(permissions=TOKEN_VIEWER))
    token = RefreshToken.objects.get(user=customer)
    listing = client.get(f"/admin/oauth2_provider/{model}/")

    client.post(
        f"/admin/oauth2_provider/{model}/",
        {"action": "revoke_tokens", "_selected_action": [token.access_token_id, token.pk]},
    )

    assert b"revoke_tokens" not in listing.content
    token.refresh_from_db()
    assert token.revoked is None
    assert AccessToken.objects.filter(pk=token.access_token_id).exists()
    assert token_checksum(tokens.access_token) == token.access_token.token_checksum


@pytest.mark.parametrize("model", ["accesstoken", "refreshtoken"])
def test_staff_who_may_change_tokens_revoke_them(customer, model):
    issue_tokens(customer)
    client = logged_in(StaffFactory(permissions=(f"oauth2_provider.change_{model}",)))
    token = RefreshToken.objects.get(user=customer)
    selected = token.pk if model == "refreshtoken" else token.access_token_id

    client.post(
        f"/admin/oauth2_provider/{model}/",
        {"action": "revoke_tokens", "_selected_action": [selected]},
    )

    token.refresh_from_db()
    assert token.revoked is not None
    assert not AccessToken.objects.filter(user=customer).exists()


def credentials_of(customer) -> dict[str, object]:
    issue_tokens(customer)
    application = first_party_application()
    expires = timezone.now() + timedelta(minutes=5)
    return {
        "accesstoken": AccessToken.objects.get(user=customer),
        "refreshtoken": RefreshToken.objects.get(user=customer),
        "grant": Grant.objects.create(
            user=customer,
            application=application,
            code="an authorization code",
            expires=expires,
            redirect_uri="https://app.shop.example/callback",
        ),
        "idtoken": IDToken.objects.create(user=customer, application=application, expires=expires),
    }


@pytest.mark.parametrize("model", ["accesstoken", "refreshtoken", "grant", "idtoken"])
def test_no_staff_member_can_hand_a_token_or_code_to_another_user(customer, model):
    # A staff member changing their own token's user to a superuser would act as the superuser.
    staff_member = StaffFactory(
        permissions=(f"oauth2_provider.view_{model}", f"oauth2_provider.change_{model}")
    )
    credential = credentials_of(staff_member)[model]
    superuser = StaffFactory(is_superuser=True)
    url = f"/admin/oauth2_provider/{model}/{credential.pk}/change/"
    client = logged_in(staff_member)

    page = client.get(url).content.decode()
    response = client.post(url, {**form_values(page, f"{model}_form"), "user": superuser.pk})

    assert field_names(page, f"{model}_form") == set()
    assert response.status_code == 403
    credential.refresh_from_db()
    assert credential.user == staff_member


def test_the_admins_view_on_site_shortcut_of_an_application_answers_no_500(db):
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from oauth2_provider.models import Application

    from customers.models import Customer

    application = Application.objects.get(client_id="storefront-api")
    superuser = Customer.objects.create_superuser("root@example.com", "root password 2026")
    client = Client()
    client.force_login(superuser)
    content_type = ContentType.objects.get_for_model(Application)

    response = client.get(f"/admin/r/{content_type.pk}/{application.pk}/", follow=True)

    assert response.status_code == 404
