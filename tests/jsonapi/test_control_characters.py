"""§11.3: text attributes refuse control characters; e-mails carry text as it was written.

A name with CR/LF would let anyone have the shop's mailer send lines of their own to any
address; the text parts of the mails must not be HTML-escaped (``&amp;`` breaks a link).
"""

import pytest

from tests.addresses.test_crud import ADDRESS
from tests.conftest import document, error_codes
from tests.customers.test_registration import registration

CONTROLS = ["\r\nBcc: victim@example.com", "\n", "\t", "\x0b", "\x1b[31m", "\u2028", "\x7f"]


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("attribute", ["firstName", "lastName"])
def test_registration_refuses_control_characters_in_names(api, control, attribute):
    body = registration(**{attribute: f"Anna{control}Nowak"})

    response = api.send("POST", "/customers", body)

    assert error_codes(response) == [(f"/data/attributes/{attribute}", "901")]


@pytest.mark.parametrize("control", CONTROLS)
def test_profile_changes_refuse_control_characters(customer_api, customer, control):
    url = f"/customers/{customer.customer_reference}"

    response = customer_api.send("PATCH", url, document("customers", {"lastName": f"X{control}Y"}))

    assert error_codes(response) == [("/data/attributes/lastName", "901")]
    customer.refresh_from_db()
    assert customer.last_name == "Nowak"


@pytest.mark.parametrize(
    ("path", "resource_type", "attributes", "attribute"),
    [
        ("addresses", "addresses", {**ADDRESS, "city": "Ber\nlin"}, "city"),
        ("addresses", "addresses", {**ADDRESS, "company": "A\r\nB"}, "company"),
        (
            "customer-relations",
            "customer-relations",
            {"domain": "product", "refId": "sku\x001"},
            "refId",
        ),
        (
            "customer-properties",
            "customer-properties",
            {"propertyType": "nickname", "value": "Jo\r\nBcc: x@example.com"},
            "value",
        ),
    ],
)
def test_items_refuse_control_characters_in_text(
    customer_api, customer, path, resource_type, attributes, attribute
):
    url = f"/customers/{customer.customer_reference}/{path}"

    response = customer_api.send("POST", url, document(resource_type, attributes))

    assert error_codes(response) == [(f"/data/attributes/{attribute}", "901")]


def test_a_password_may_hold_a_tab(api):
    password = "correct\thorse battery staple"

    response = api.send(
        "POST", "/customers", registration(password=password, confirmPassword=password)
    )

    assert response.status_code == 201


def test_mail_text_is_not_html_escaped_and_the_html_part_is(
    api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CUSTOMER_CONFIRMATION_URL = "https://shop.example/confirm?from=mail&key={key}"
    with django_capture_on_commit_callbacks(execute=True):
        api.send("POST", "/customers", registration(firstName="Ann & <Jo>", lastName="O'Neil"))

    message = mailoutbox[0]
    html, _ = message.alternatives[0]
    assert "Hello Ann & <Jo> O'Neil," in message.body
    assert "https://shop.example/confirm?from=mail&key=" in message.body
    assert "&amp;" not in message.body
    assert "Ann &amp; &lt;Jo&gt;" in html
    assert "from=mail&amp;key=" in html
