"""The canonical form of an e-mail address: the one key of an account.

Uniqueness, log in, the login lockout and forgotten password all compare this form, computed
here and nowhere else (the database never lower-cases anything: PostgreSQL's ``lower()`` and
Python's ``casefold()`` disagree on letters such as ``İ``). Spellings of one mailbox — another
case, composed or decomposed accents (NFC/NFD), a domain in Unicode or in punycode — share one
form; a look-alike spelling (``vİctim`` for ``victim``) has a form of its own, so it neither
reaches nor blocks the other account.
"""

from __future__ import annotations

import unicodedata


def _fold(text: str) -> str:
    """Unicode's canonical caseless form, composed: NFC(casefold(NFD(text)))."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


def _ascii_label(label: str) -> str:
    """One domain label in IDNA (punycode) form; a label IDNA refuses stays as it is."""
    try:
        if label.isascii() and label.startswith("xn--"):
            label = _fold(label.encode("ascii").decode("idna"))
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return label


def canonical_email(address: str) -> str:
    """NFC, case-folded local part and domain, the domain in IDNA/punycode form."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return _fold(domain)
    labels = _fold(domain).split(".")
    return f"{_fold(local)}@{'.'.join(_ascii_label(label) for label in labels)}"
