"""One-time keys sent by e-mail: random, URL-safe, stored only as a digest."""

import hashlib
import secrets


def new_key() -> str:
    """256 random bits as ``[A-Za-z0-9_-]`` text, safe to put into a link."""
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    """The SHA-256 hex digest stored in place of the key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
