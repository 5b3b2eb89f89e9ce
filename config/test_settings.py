"""Test settings: the production settings with speed knobs turned, behaviour unchanged."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Tests, and the servers they start, run as CI does, whatever a development .env says.
os.environ.setdefault("ENV_FILE", "")

from config.settings import *  # noqa: F403

# Argon2 costs ~50 ms per hash by design; tests that check hashing re-enable it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Deterministic outbox: tests read mail.outbox right after the request (one test covers the
# background path explicitly).
EMAIL_SEND_IN_BACKGROUND = False

# Each test's endpoints are new rows: no process-wide list of them outlives a test.
WEBHOOK_ENDPOINT_CACHE_SECONDS = 0
