from tests.conftest import document


def test_get_own_customer_answers_200_with_reference_as_id(customer_api, customer):
    response = customer_api.get(f"/customers/{customer.customer_reference}")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == customer.customer_reference
    assert response.json()["data"]["type"] == "customers"


def test_registration_answers_201(api, mailoutbox, django_capture_on_commit_callbacks):
    attributes = {
        "salutation": "Mrs",
        "firstName": "Anna",
        "lastName": "Kowalska",
        "email": "anna@example.com",
        "password": "correct horse battery staple",
        "confirmPassword": "correct horse battery staple",
        "acceptedTerms": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.send("POST", "/customers", document("customers", attributes))

    assert response.status_code == 201, response.content
    assert len(mailoutbox) == 1
