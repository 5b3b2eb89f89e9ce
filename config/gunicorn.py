"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi:application``."""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The service writes its own JSON access line per request (operations.logging), with secrets
# redacted from paths; gunicorn's access log would print raw paths, so it stays off.
accesslog = None
errorlog = "-"
# Only the proxies in front of us may set X-Forwarded-* (TRUSTED_PROXY_COUNT decides the IP).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
