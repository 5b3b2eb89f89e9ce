"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi:application``."""

import json
import multiprocessing
import os
import resource

from gunicorn import util
from gunicorn.glogging import Logger

from operations.logging import ServerLogFilter

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10


def _memory_limit_mib() -> int:
    value = os.environ.get("GUNICORN_MAX_WORKER_MEMORY_MB", "512")
    if not value.isdigit():
        raise SystemExit(
            f"GUNICORN_MAX_WORKER_MEMORY_MB must be a whole number of MiB (0: no limit), "
            f"not {value!r}"
        )
    return int(value)


# A worker whose memory peaked above this is replaced once it has answered. Python keeps what a
# large document took (a customer's 1,000 relations of 64 KiB configs render 62 MB) and hands
# little of it back, so without a limit every worker would end at the size of the largest
# document it ever served.
MAX_WORKER_MEMORY_MIB = _memory_limit_mib()


def post_request(worker, req, environ, resp) -> None:
    """Replace the worker after this request if its memory peaked past the limit."""
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if MAX_WORKER_MEMORY_MIB and peak_mib > MAX_WORKER_MEMORY_MIB and worker.alive:
        worker.log.warning(
            "Worker %s peaked at %d MiB (limit %d MiB); replacing it",
            worker.pid,
            peak_mib,
            MAX_WORKER_MEMORY_MIB,
        )
        worker.alive = False


# The service writes its own JSON access line per request (operations.logging), with secrets
# redacted from paths; gunicorn's access log would print raw paths, so it stays off.
accesslog = None
errorlog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with no secret a client sent in its lines (``ServerLogFilter``)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(ServerLogFilter())


logger_class = RedactingLogger
# Only the proxies in front of us may set X-Forwarded-* (TRUSTED_PROXY_COUNT decides the IP).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def write_json_api_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own answers to requests it cannot parse (414, 431, 400...), as JSON:API.

    gunicorn writes them as HTML before the application sees the request. The detail is the
    reason alone: gunicorn's message may quote the request line, and with it a token.
    """
    from jsonapi.errors import JSON_API_MEDIA_TYPE, ErrorObject, document

    body = json.dumps(document([ErrorObject(status_int, reason)]), separators=(",", ":"))
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {JSON_API_MEDIA_TYPE}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, (head + body).encode("latin-1"))


util.write_error = write_json_api_error
