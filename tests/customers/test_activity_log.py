"""§11.5: the activity log: what is recorded, its resource, retention and anonymization."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import CustomerActivity
from customers.services import anonymize_customer
from tests.auth_api.test_forgotten_password import forgotten, mailed_key
from tests.auth_api.test_restore_password import restore
from tests.conftest import Api, document, error_codes, errors_of
from tests.factories import DEFAULT_PASSWORD, CustomerActivityFactory, CustomerFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def activities(customer) -> list[str]:
    """The customer's activity types, oldest first."""
    return list(
        CustomerActivity.objects.filter(customer=customer)
        .order_by("created_at", "id")
        .values_list("activity_type", flat=True)
    )


def log_in(api, email, password=DEFAULT_PASSWORD, **extra):
    body = document("access-tokens", {"username": email, "password": password})
    return api.send("POST", "/access-tokens", body, **extra)


def url(customer) -> str:
    return f"/customers/{customer.customer_reference}/customer-activities"


# --- what is recorded ---------------------------------------------------------------------------


def test_a_login_is_recorded_with_address_and_user_agent(api, customer):
    response = log_in(api, customer.email, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 201
    (activity,) = CustomerActivity.objects.filter(customer=customer)
    assert (activity.activity_type, activity.ip_address, activity.user_agent) == (
        "login",
        "198.51.100.7",
        BROWSER,
    )


def test_a_long_user_agent_is_cut_to_255_characters(api, customer):
    log_in(api, customer.email, HTTP_USER_AGENT="x" * 1000)

    assert CustomerActivity.objects.get(customer=customer).user_agent == "x" * 255


@pytest.mark.django_db(transaction=True)
def test_a_failed_login_is_recorded_although_the_request_fails(api, customer):
    """Committed, not only written: the test runs outside a transaction of its own."""
    response = log_in(api, customer.email, "wrong password for sure")

    assert response.status_code == 401
    assert not connection.in_atomic_block
    assert activities(customer) == ["login-failed"]


def test_a_failed_login_of_an_unknown_email_records_nothing(api, customer):
    log_in(api, "nobody@example.com", "wrong password for sure")

    assert CustomerActivity.objects.count() == 0


def test_a_login_costs_one_insert_into_the_log_and_one_delete_past_its_cap(api, customer):
    with CaptureQueriesContext(connection) as queries:
        assert log_in(api, customer.email).status_code == 201

    touching = [q["sql"] for q in queries if "customers_customeractivity" in q["sql"]]
    assert [sql.lstrip().split()[0].upper() for sql in touching] == ["INSERT", "DELETE"]


def test_the_token_endpoint_records_logins_and_failures(api, customer):
    form = "application/x-www-form-urlencoded"
    good = f"grant_type=password&username={customer.email}&password={DEFAULT_PASSWORD}"
    bad = f"grant_type=password&username={customer.email}&password=wrong-one-here"

    assert api.post("/token", good, content_type=form).status_code == 200
    assert api.post("/token", bad, content_type=form).status_code == 400
    assert activities(customer) == ["login", "login-failed"]


def test_a_session_login_and_logout_are_recorded(customer):
    browser = Client()
    wrong = {"username": customer.email, "password": "wrong password for sure"}
    browser.post("/api-auth/login/", wrong)
    right = {"username": customer.email, "password": DEFAULT_PASSWORD}
    assert browser.post("/api-auth/login/", right).status_code == 302
    browser.post("/api-auth/logout/")

    assert activities(customer) == ["login-failed", "login", "logout"]


def test_an_admin_login_refused_to_a_customer_records_no_login(customer):
    browser = Client()
    right = {"username": customer.email, "password": DEFAULT_PASSWORD}

    response = browser.post("/admin/login/", right)

    assert response.status_code == 200  # the form again: the admin is for staff
    assert "_auth_user_id" not in browser.session
    assert activities(customer) == []


def test_an_admin_login_of_staff_is_recorded_once(db):
    staff = CustomerFactory(is_staff=True)
    browser = Client()

    response = browser.post(
        "/admin/login/", {"username": staff.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert activities(staff) == ["login"]


@pytest.mark.parametrize("which", ["mine", "one"])
def test_logging_out_is_recorded(customer_api, customer, tokens, which):
    target = "mine" if which == "mine" else tokens.refresh_token

    assert customer_api.delete(f"/refresh-tokens/{target}").status_code == 204
    assert activities(customer) == ["logout"]


def test_logging_out_with_an_unknown_token_records_nothing(customer_api, customer):
    customer_api.delete("/refresh-tokens/not-a-token-of-anyone")

    assert activities(customer) == []


def test_a_reused_refresh_token_is_recorded(api, customer, tokens):
    body = document("refresh-tokens", {"refreshToken": tokens.refresh_token})
    assert api.send("POST", "/refresh-tokens", body).status_code == 201
    assert activities(customer) == []

    assert api.send("POST", "/refresh-tokens", body).status_code == 401
    assert activities(customer) == ["token-refreshed-reused"]


@pytest.mark.parametrize("ended_by", ["log out", "the session cap"])
def test_the_refresh_token_of_an_ended_session_is_refused_without_a_replay_entry(
    api, customer, tokens, monkeypatch, ended_by
):
    if ended_by == "log out":
        session = api.authenticate(tokens.access_token)
        assert session.delete(f"/refresh-tokens/{tokens.refresh_token}").status_code == 204
    else:
        monkeypatch.setattr("auth_api.services.MAX_SESSIONS_PER_CUSTOMER", 1)
        assert log_in(Api(), customer.email).status_code == 201
    before = activities(customer)

    body = document("refresh-tokens", {"refreshToken": tokens.refresh_token})
    answer = Api().send("POST", "/refresh-tokens", body)

    assert error_codes(answer) == [("", "004")]
    assert activities(customer) == before
    assert "token-refreshed-reused" not in before


def test_a_password_change_and_a_wrong_current_password_are_recorded(customer_api, customer):
    url = f"/customer-password/{customer.customer_reference}"
    new = "a brand new passphrase"
    wrong = {"password": "not my password", "newPassword": new, "confirmPassword": new}
    right = {"password": DEFAULT_PASSWORD, "newPassword": new, "confirmPassword": new}

    assert customer_api.send("PATCH", url, document("customer-password", wrong)).status_code == 400
    assert customer_api.send("PATCH", url, document("customer-password", right)).status_code == 204
    assert activities(customer) == ["login-failed", "password-changed"]


def test_a_restored_password_is_recorded(
    api, customer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)

    assert restore(api, mailed_key(mailoutbox[-1])).status_code == 204
    assert activities(customer) == ["password-restored"]


def test_a_profile_change_is_recorded_once_and_an_unchanged_profile_not_at_all(
    customer_api, customer
):
    customer_url = f"/customers/{customer.customer_reference}"
    change = document("customers", {"firstName": "Ewa", "lastName": "Lis"})
    same = document("customers", {"firstName": "Ewa"})

    assert customer_api.send("PATCH", customer_url, change).status_code == 200
    assert customer_api.send("PATCH", customer_url, same).status_code == 200
    assert activities(customer) == ["profile-changed"]


def test_an_immediate_email_change_is_recorded(customer_api, customer, settings):
    settings.EMAIL_CHANGE_CONFIRMATION = False
    body = document("customers", {"email": "new@example.com"})

    customer_api.send("PATCH", f"/customers/{customer.customer_reference}", body)

    assert activities(customer) == ["email-changed"]


# --- GET /customers/{ref}/customer-activities ---------------------------------------------------


def test_the_log_lists_newest_first_with_the_contracts_attributes(customer_api, customer):
    now = timezone.now()
    older = CustomerActivityFactory(customer=customer, created_at=now - timedelta(hours=1))
    newer = CustomerActivityFactory(
        customer=customer, activity_type="logout", created_at=now, ip_address="2001:db8::1"
    )

    response = customer_api.get(url(customer))

    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["id"] for item in data] == [str(newer.pk), str(older.pk)]
    assert data[0]["type"] == "customer-activities"
    assert data[0]["attributes"] == {
        "activityType": "logout",
        "createdAt": newer.created_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "ipAddress": "2001:db8::1",
        "userAgent": "Mozilla/5.0",
    }
    assert data[0]["links"]["self"] == f"http://testserver{url(customer)}/{newer.pk}"


def test_one_activity_is_readable_by_its_self_link(customer_api, customer):
    activity = CustomerActivityFactory(customer=customer)

    response = customer_api.get(f"{url(customer)}/{activity.pk}")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(activity.pk)


def test_another_customers_activity_is_not_found(customer_api, customer):
    foreign = CustomerActivityFactory()

    response = customer_api.get(f"{url(customer)}/{foreign.pk}")

    assert response.status_code == 404
    assert error_codes(response) == [("", None)]  # the contract names no code (§6)
    assert errors_of(response)[0]["detail"] == "Activity was not found."


def test_the_log_is_paged(customer_api, customer):
    CustomerActivityFactory.create_batch(3, customer=customer)

    body = customer_api.get(f"{url(customer)}?page[offset]=0&page[limit]=2").json()

    assert len(body["data"]) == 2
    assert "next" in body["links"]


def test_the_log_filters_by_activity_type(customer_api, customer):
    CustomerActivityFactory(customer=customer)
    CustomerActivityFactory(customer=customer, activity_type="logout")

    body = customer_api.get(f"{url(customer)}?filter[activityType]=logout").json()

    assert [item["attributes"]["activityType"] for item in body["data"]] == ["logout"]


def test_another_customers_log_answers_403_code_411(customer_api):
    other = CustomerFactory()
    CustomerActivityFactory(customer=other)

    response = customer_api.get(url(other))

    assert response.status_code == 403
    assert error_codes(response) == [("", "411")]


def test_the_log_needs_a_token(api, customer):
    assert error_codes(api.get(url(customer))) == [("", "002")]


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_the_log_is_read_only(customer_api, customer, method):
    activity = CustomerActivityFactory(customer=customer)

    collection = customer_api.send(method, url(customer), document("customer-activities"))
    item = customer_api.send(method, f"{url(customer)}/{activity.pk}", document("x"))

    assert (collection.status_code, item.status_code) == (405, 405)
    assert CustomerActivity.objects.filter(customer=customer).count() == 1


def test_a_new_activity_changes_the_entity_tag(api, customer_api, customer):
    first = customer_api.get(url(customer))
    assert customer_api.get(url(customer), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    log_in(Api(), customer.email)

    again = customer_api.get(url(customer), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert [item["attributes"]["activityType"] for item in again.json()["data"]] == ["login"]


# --- retention and anonymization ----------------------------------------------------------------


def test_the_purge_deletes_activities_past_the_retention(customer, settings):
    settings.ACTIVITY_RETENTION_DAYS = 30
    now = timezone.now()
    kept = CustomerActivityFactory(customer=customer, created_at=now - timedelta(days=29))
    CustomerActivityFactory(customer=customer, created_at=now - timedelta(days=31))

    call_command("purge_spent_credentials", stdout=None)

    assert list(CustomerActivity.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_log_keeps_the_newest_entries_of_a_customer_up_to_the_cap(
    customer, monkeypatch, settings
):
    monkeypatch.setattr("customers.activities.MAX_ACTIVITIES_PER_CUSTOMER", 3)
    now = timezone.now()
    for days in (5, 4, 3):
        CustomerActivityFactory(customer=customer, created_at=now - timedelta(days=days))
    other = CustomerActivityFactory(created_at=now - timedelta(days=9))
    api = Api()

    log_in(api, customer.email)
    log_in(api, customer.email, "a wrong password")

    ages = CustomerActivity.objects.filter(customer=customer).values_list("created_at", flat=True)
    assert activities(customer)[-2:] == ["login", "login-failed"]
    assert len(ages) == 3
    assert min(ages) == now - timedelta(days=3)
    assert CustomerActivity.objects.filter(pk=other.pk).exists()


def test_anonymization_deletes_the_log(customer):
    CustomerActivityFactory.create_batch(2, customer=customer)
    other = CustomerActivityFactory()

    anonymize_customer(customer=customer)

    assert list(CustomerActivity.objects.values_list("pk", flat=True)) == [other.pk]


def test_an_anonymized_account_gets_no_new_entries(api, customer):
    email = customer.email
    anonymize_customer(customer=customer)

    log_in(api, email, "wrong password for sure")

    assert CustomerActivity.objects.count() == 0


# --- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def staff_browser(db) -> Client:
    staff_member = CustomerFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff_member)
    return client


def test_staff_list_activities_filtered_by_type_and_read_only(staff_browser, customer):
    CustomerActivityFactory(customer=customer, activity_type="login-failed")
    CustomerActivityFactory(customer=customer, activity_type="logout")

    page = staff_browser.get("/admin/customers/customeractivity/?activity_type__exact=logout")

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert b"Add customer activity" not in page.content
    activity = CustomerActivity.objects.get(activity_type="logout")
    detail = staff_browser.get(f"/admin/customers/customeractivity/{activity.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content


def test_the_customer_page_links_to_its_activities(staff_browser, customer):
    CustomerActivityFactory(customer=customer)
    CustomerActivityFactory()

    page = staff_browser.get(f"/admin/customers/customer/{customer.pk}/change/")
    link = f"/admin/customers/customeractivity/?customer__exact={customer.pk}"

    assert link.encode() in page.content.replace(b"&amp;", b"&")
    assert staff_browser.get(link).context["cl"].result_count == 1


def test_replacing_the_one_recording_function_replaces_all_recording(api, customer, monkeypatch):
    from customers import activities as module

    recorded = []
    monkeypatch.setattr(module, "record_activity", lambda **entry: recorded.append(entry))

    log_in(api, customer.email)
    log_in(api, customer.email, "wrong password for sure")

    assert [entry["activity_type"] for entry in recorded] == ["login", "login-failed"]
    assert CustomerActivity.objects.count() == 0
