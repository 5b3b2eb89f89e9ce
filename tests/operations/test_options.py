"""§9: OPTIONS on a resource lists its attributes with type and whether required."""

from __future__ import annotations

from tests.conftest import error_codes


def test_options_on_customers_describes_the_registration_without_authentication(api):
    response = api.options("/customers")

    assert response.status_code == 200
    post = response.json()["data"]["actions"]["POST"]
    assert set(post) == {
        "salutation",
        "firstName",
        "lastName",
        "email",
        "gender",
        "dateOfBirth",
        "title",
        "company",
        "vatId",
        "phone",
        "languageId",
        "password",
        "confirmPassword",
        "acceptedTerms",
    }
    assert post["acceptedTerms"]["required"] is True
    assert (post["vatId"]["required"], post["vatId"]["max_length"]) == (False, 32)
    assert post["acceptedTerms"]["type"] == "Boolean"
    assert post["gender"]["required"] is False
    assert post["email"]["type"] == "Email"


def test_options_on_relations_lists_attributes_types_and_required(api, customer):
    response = api.options(f"/customers/{customer.customer_reference}/customer-relations")

    assert response.status_code == 200
    post = response.json()["data"]["actions"]["POST"]
    assert {name: (info["type"], info["required"]) for name, info in post.items()} == {
        "domain": ("String", True),
        "relationType": ("String", False),
        "refId": ("String", True),
        "dateStart": ("DateTime", False),
        "dateEnd": ("DateTime", False),
        "config": ("GenericField", False),
        "position": ("Integer", False),
        "status": ("Integer", False),
        "createdAt": ("DateTime", False),
        "updatedAt": ("DateTime", False),
    }
    assert post["refId"]["max_bytes"] == 36
    assert post["createdAt"]["read_only"] is True


def test_options_on_one_property_describes_patch_with_nothing_required(customer_api, customer):
    path_ = f"/customers/{customer.customer_reference}/customer-properties/any"

    response = customer_api.options(path_)

    assert response.status_code == 200
    patch = response.json()["data"]["actions"]["PATCH"]
    assert set(patch) >= {"propertyType", "languageId", "value"}
    assert not any(info["required"] for info in patch.values())


def test_options_on_an_unknown_url_answers_a_json_api_404(api):
    response = api.options("/nowhere")

    assert response.status_code == 404
    assert error_codes(response) == [("", None)]


def test_options_describes_the_resource_in_plain_text(api):
    response = api.options("/customers")

    assert response.json()["data"]["description"] == (
        "/customers and /customers/{customerReference}: the caller's own account."
    )


def test_the_browsable_api_shows_descriptions_in_plain_text(customer_api, customer):
    page = customer_api.get(
        f"/customers/{customer.customer_reference}/customer-relations", HTTP_ACCEPT="text/html"
    ).content.decode()

    assert "The caller&#x27;s relations, filtered by filter[domain] and" in page
    assert "``" not in page


def test_options_on_customer_groups_offers_no_write(api, customer):
    response = api.options(f"/customers/{customer.customer_reference}/customer-groups")

    assert response.status_code == 200
    assert response.json()["data"]["allowed_methods"] == ["GET", "HEAD", "OPTIONS"]
    assert "actions" not in response.json()["data"]
