"""E-mail goes out after the commit, from a background thread, and a failure only logs."""

from operations.mail import wait_for_deliveries
from tests.conftest import document
from tests.customers.test_registration import registration


def test_mail_is_sent_in_the_background_after_the_commit(
    api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_SEND_IN_BACKGROUND = True

    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("POST", "/customers", registration())
    wait_for_deliveries()

    assert response.status_code == 201
    assert [mail.to for mail in mailoutbox] == [["anna@example.com"]]


def test_a_refused_registration_sends_nothing(api, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api.send("POST", "/customers", registration(password="short"))

    assert callbacks == []
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_fail_the_request(
    api, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_SEND_IN_BACKGROUND = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        response = api.send(
            "POST",
            "/customer-forgotten-password",
            document("customer-forgotten-password", {"email": "nobody@example.com"}),
        )
        registered = api.send("POST", "/customers", registration())
    wait_for_deliveries()

    assert (response.status_code, registered.status_code) == (204, 201)
    assert "Sending an e-mail failed" in caplog.text
