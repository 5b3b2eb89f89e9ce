"""Rendered documents of a customer's reads, kept until the customer's data changes.

A cached document is keyed by the customer's ``data_version``, which the bearer-token query
reads with the customer, and by the whole URL. Every write to what the API shows of a
customer counts the version up in the writing transaction: ``Customer.save()`` does it in its
own UPDATE, and the items' models and querysets (``customers.models.CustomerItem``) for every
write of an address, relation or property, wherever it comes from. A request that reads
version *n* therefore gets a document rendered from data at least as new as *n*, and a write
is visible to the next request that starts after it commits.

The cache is the ``documents`` alias: local memory by default (each worker its own, at most
``max_entries`` documents of at most ``DOCUMENT_CACHE_MAX_BYTES`` each), Redis when
``DOCUMENT_CACHE_URL`` says so, off with ``dummycache://``. Cache faults are logged and the
request is rendered as if nothing were cached.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from rest_framework.request import Request

from jsonapi.renderers import JsonApiRenderer

logger = logging.getLogger(__name__)

CACHE_ALIAS = "documents"


def _key(request: Request) -> str | None:
    """The cache key of this read, or None when the answer must not be cached."""
    if request.method != "GET" or not isinstance(request.accepted_renderer, JsonApiRenderer):
        return None
    customer = request.user
    version = getattr(customer, "data_version", None)
    if not isinstance(version, int):  # an F() expression after a save is not a version
        return None
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"document:{customer.pk}:{version}:{url}"


def _read(key: str) -> tuple[str, bytes] | None:
    try:
        return caches[CACHE_ALIAS].get(key)
    except Exception:
        logger.exception("Document cache unavailable; rendering the document")
        return None


def _store(key: str, response) -> None:
    if len(response.content) > settings.DOCUMENT_CACHE_MAX_BYTES:
        return  # a customer with hundreds of relations should not crowd out everyone else
    try:
        caches[CACHE_ALIAS].set(key, (response["Content-Type"], response.content))
    except Exception:
        logger.exception("Document cache unavailable; the document is not kept")


def cached_read(view_method: Callable) -> Callable:
    """Serve a GET of the caller's own data from the cache, or render and keep it.

    Only successful JSON:API answers are kept; the browsable API always renders.
    """

    @functools.wraps(view_method)
    def read(view, request: Request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        cached = _read(key)
        if cached is not None:
            content_type, content = cached
            return HttpResponse(content, content_type=content_type)
        response = view_method(view, request, *args, **kwargs)
        if response.status_code == 200:
            response.add_post_render_callback(lambda rendered: _store(key, rendered))
        return response

    return read
