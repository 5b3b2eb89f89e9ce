"""Pointers of validation errors, including items of a ``data`` array."""

import pytest
from rest_framework import serializers

from jsonapi.errors import attribute_pointer, errors_for_exception


@pytest.mark.parametrize(
    ("attribute", "pointer"),
    [
        ("first_name", "/data/attributes/firstName"),
        ("config.price_value", "/data/attributes/config/priceValue"),
        ("1.ref_id", "/data/1/attributes/refId"),
        ("0", "/data/0"),
    ],
)
def test_attribute_pointer(attribute, pointer):
    assert attribute_pointer(attribute) == pointer


def test_list_serializer_errors_point_at_the_failing_items():
    exc = serializers.ValidationError(
        [{}, {"ref_id": ["Too long."]}, {"non_field_errors": ["Bad item."]}]
    )

    errors = errors_for_exception(exc)

    assert [(error.pointer, error.code) for error in errors] == [
        ("/data/1/attributes/refId", "901"),
        ("/data/2", "901"),
    ]


def test_several_messages_of_one_attribute_keep_its_pointer():
    exc = serializers.ValidationError({"password": ["Too short.", "Too common."]})

    errors = errors_for_exception(exc)

    assert [error.pointer for error in errors] == ["/data/attributes/password"] * 2
