"""Fixtures of the outbox tests: a webhook endpoint with a verifying local receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from events.models import WebhookEndpoint, new_webhook_secret
from tests.events.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(secret=new_webhook_secret())
    yield found
    found.stop()


@pytest.fixture
def endpoint(db, receiver) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret)
