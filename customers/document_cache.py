"""Rendered documents of a customer's reads, kept until the customer's data changes.

A cached document is kept under the customer and the whole URL, with the customer's
``data_version`` it was rendered at; it is served only while the customer's version, which
the bearer-token query reads with the customer, is still that one. Every write to what the
API shows of a customer counts the version up in the writing transaction:
``Customer.save()`` does it in its own UPDATE, and the items' models and querysets
(``customers.models.CustomerItem``) for every write of an address, relation or property,
wherever it comes from. A request that reads version *n* therefore gets a document rendered
from data at least as new as *n*, and a write is visible to the next request that starts
after it commits.

The cache is the ``documents`` alias: local memory by default (each worker its own, at most
``max_entries`` documents of at most ``DOCUMENT_CACHE_MAX_BYTES`` each), Redis when
``DOCUMENT_CACHE_URL`` says so, off with ``dummycache://``. Cache faults are logged and the
request is rendered as if nothing were cached.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable

import orjson
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from rest_framework.request import Request

from customers.locking import lock_customer_for_write
from jsonapi.conditional import DOCUMENT_FORMAT, entity_tag, match, none_match
from jsonapi.errors import ApiError, ErrorCode
from jsonapi.renderers import JsonApiRenderer

logger = logging.getLogger(__name__)

CACHE_ALIAS = "documents"
RELATIONSHIP_NAME = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _version(request: Request) -> int | None:
    """The caller's data version, when the answer is a JSON:API read of the caller's data."""
    if request.method != "GET" or not isinstance(request.accepted_renderer, JsonApiRenderer):
        return None
    version = getattr(request.user, "data_version", None)
    # An F() expression after a save is not a version.
    return version if isinstance(version, int) else None


def _key(request: Request) -> str | None:
    """The key of the read's document; None for a read that is rendered and not kept.

    Kept are the reads clients repeat: without a query string, or with ``include=`` alone
    naming distinct relationships (``initial`` has refused unknown ones). Any other parameter
    or spelling would be a key of its own, one per made-up query string. The key holds no
    version: a newer document takes the place of the older, so a customer has a bounded
    number of keys however often its data changes.
    """
    query = request.META.get("QUERY_STRING", "")
    if query and not _includes_only(query):
        return None
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"document:{DOCUMENT_FORMAT}:{request.user.pk}:{url}"


def _includes_only(query: str) -> bool:
    name, _, value = query.partition("=")
    names = value.split(",")
    return (
        name == "include"
        and all(map(RELATIONSHIP_NAME.fullmatch, names))
        and len(set(names)) == len(names)
    )


def _read(key: str, version: int) -> tuple[str, bytes] | None:
    try:
        kept = caches[CACHE_ALIAS].get(key)
    except Exception:
        logger.exception("Document cache unavailable; rendering the document")
        return None
    if kept is None or kept[0] != version:
        return None
    return kept[1], kept[2]


def _store(key: str, version: int, response) -> None:
    if len(response.content) > settings.DOCUMENT_CACHE_MAX_BYTES:
        return  # a customer with hundreds of relations should not crowd out everyone else
    try:
        caches[CACHE_ALIAS].set(key, (version, response["Content-Type"], response.content))
    except Exception:
        logger.exception("Document cache unavailable; the document is not kept")


def cached_read(view_method: Callable) -> Callable:
    """Answer a GET of the caller's own data: 304, from the cache, or rendered and kept.

    The answer carries the entity tag of the caller's data version; a client that holds it
    (``If-None-Match``) gets 304 without anything rendered or read. Only successful JSON:API
    answers are kept; the browsable API always renders.
    """

    @functools.wraps(view_method)
    def read(view, request: Request, *args, **kwargs):
        version = _version(request)
        if version is None:
            return view_method(view, request, *args, **kwargs)
        tag = entity_tag(version)
        if not none_match(request.headers.get("If-None-Match"), tag):
            return _tagged(HttpResponseNotModified(), tag)
        key = _key(request)
        cached = _read(key, version) if key is not None else None
        if cached is not None:
            content_type, content = cached
            return _tagged(HttpResponse(content, content_type=content_type), tag)
        response = view_method(view, request, *args, **kwargs)
        if response.status_code == 200:
            if key is not None:
                response.add_post_render_callback(lambda rendered: _store(key, version, rendered))
            _tagged(response, tag)
        return response

    return read


def tagged_by_content(view_method: Callable) -> Callable:
    """Answer a GET of data that does not count the data version up (the activity log).

    Never cached: the document is built, and its entity tag is a digest of its content, so the
    tag changes whenever the document does; a client holding it gets 304 without a body.
    """

    @functools.wraps(view_method)
    def read(view, request: Request, *args, **kwargs):
        response = view_method(view, request, *args, **kwargs)
        if _version(request) is None or response.status_code != 200:
            return response
        content = orjson.dumps(response.data, default=str, option=orjson.OPT_SORT_KEYS)
        tag = f'"{DOCUMENT_FORMAT}.{hashlib.sha256(content).hexdigest()[:32]}"'
        if not none_match(request.headers.get("If-None-Match"), tag):
            return _tagged(HttpResponseNotModified(), tag)
        return _tagged(response, tag)

    return read


def _tagged(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    return response


def honours_if_match(view_method: Callable) -> Callable:
    """A PATCH or DELETE that names the version it read (``If-Match``) and finds another → 412.

    The version is compared under the customer's row lock, which the write then keeps, so of
    two devices changing what they both read, the second learns of the first (code 006).
    """

    @functools.wraps(view_method)
    def write(view, request: Request, *args, **kwargs):
        expected = request.headers.get("If-Match")
        if expected is None:
            return view_method(view, request, *args, **kwargs)
        with transaction.atomic():
            customer = lock_customer_for_write(request.user.pk)
            if not match(expected, entity_tag(customer.data_version)):
                raise ApiError(ErrorCode.PRECONDITION_FAILED)
            return view_method(view, request, *args, **kwargs)

    return write
