"""Fixtures of the password and token tests."""

import pytest

from tests.auth_api.test_forgotten_password import forgotten, mailed_key


@pytest.fixture
def restore_key(api, customer, mailoutbox, django_capture_on_commit_callbacks) -> str:
    """A working restore key of ``customer``, as the forgotten-password mail carries it."""
    with django_capture_on_commit_callbacks(execute=True):
        forgotten(api, customer.email)
    return mailed_key(mailoutbox[-1])
