"""JSON log lines, one access line per request, request ids, and no secrets in any of them."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import unquote

import orjson
from django.core.signals import request_finished
from django.dispatch import receiver

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

access_logger = logging.getLogger("operations.access")

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_ACCESS_FIELDS = ("request_id", "method", "path", "status", "duration_ms")
REDACTED = "[redacted]"
# Segments after these carry a secret in some client's URLs: Glue's
# DELETE /refresh-tokens/{refreshToken}, and keys pasted into restore or confirmation URLs.
_SECRET_PARENTS = frozenset(
    {"refresh-tokens", "customer-restore-password", "customer-confirmation", "token"}
)
_NOT_SECRET = frozenset({"mine"})
# Anything shaped like the service's tokens and keys (43 URL-safe characters), wherever it is;
# UUIDs of addresses, relations and properties stay readable.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{32,}")
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _is_secret(segment: str, after_secret_parent: bool) -> bool:
    if not segment:
        return False
    if after_secret_parent and unquote(segment).casefold() not in _NOT_SECRET:
        return True
    return bool(_TOKEN_LIKE.search(unquote(segment))) and not _UUID.fullmatch(segment)


def _names_secret_parent(folded_path: str) -> bool:
    return any(parent in folded_path for parent in _SECRET_PARENTS)


def redact_path(path: str) -> str:
    """The path with every segment that may hold a secret replaced; query strings are never logged.

    Whatever the shape of the URL — doubled slashes, other case, percent-encoding, extra
    segments — a segment after ``/refresh-tokens`` (but ``mine``) or a restore or confirmation
    route, and any token-like segment, is redacted.
    """
    decoded = unquote(path)
    if not _TOKEN_LIKE.search(decoded) and not _names_secret_parent(decoded.casefold()):
        return path  # the common case, decided in one pass
    return redact_segments(path)


def redact_segments(path: str) -> str:
    """:func:`redact_path` without its shortcut: each segment judged on its own."""
    segments = path.split("/")
    redacted, after_secret_parent = [], False
    for segment in segments:
        redacted.append(REDACTED if _is_secret(segment, after_secret_parent) else segment)
        after_secret_parent |= unquote(segment).casefold() in _SECRET_PARENTS
    return "/".join(redacted)


# gunicorn quotes what it could not parse — a request line, a header, token and all — after the
# reason it refused a request for.
_QUOTED_REQUEST_PART = re.compile(r"""(: )(['"]).*$""", re.DOTALL)


class ServerLogFilter(logging.Filter):
    """gunicorn's own lines (``gunicorn.error``) without a secret a client sent.

    "Invalid request from ip=…: Invalid HTTP request line: '…'" keeps the reason and loses the
    quoted line or header; "Error handling request …" keeps the path, redacted, without its
    query string.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Invalid request from ip="):
            record.msg, record.args = _QUOTED_REQUEST_PART.sub(rf"\1{REDACTED}", message), ()
        elif message.startswith("Error handling request") and isinstance(record.args, tuple):
            if not record.args:  # "(no URI read)"
                return True
            *method, uri = record.args  # ("GET", uri) or (uri,)
            record.args = (*method, redact_path(str(uri).split("?", 1)[0]))
        return True


class RequestContextFilter(logging.Filter):
    """Stamps every record with the request id and redacts secrets from logged paths.

    Django's own request logger passes ``request.path`` as an argument; a refresh token in
    that path must not reach the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        # The access line's path is redacted already (RequestLogMiddleware).
        if isinstance(record.args, tuple) and record.name != access_logger.name:
            record.args = tuple(
                redact_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class RequestLogMiddleware:
    """Gives each request an id (``X-Request-ID``) and writes one access log line for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = sent if _CLIENT_REQUEST_ID.match(sent) else uuid.uuid4().hex
        # Kept until request_finished: Django logs a 5xx after the middleware has returned.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        path = redact_path(request.path)
        access_logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response


@receiver(request_finished)
def forget_request_id(**kwargs) -> None:
    request_id_var.set("-")
