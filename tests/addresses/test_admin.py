"""§9: staff see a customer's addresses inline in the admin."""

from tests.factories import AddressFactory, CustomerFactory


def test_customer_admin_shows_addresses_inline(client, customer):
    staff = CustomerFactory(is_staff=True, is_superuser=True)
    address = AddressFactory(customer=customer, city="Wrocław", is_default_shipping=True)
    client.force_login(staff)

    response = client.get(f"/admin/customers/customer/{customer.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "addresses-TOTAL_FORMS" in content
    assert str(address.pk) in content
    assert 'value="Wrocław"' in content
    assert customer.password not in content
