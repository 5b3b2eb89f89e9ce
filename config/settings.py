"""Settings of the customer-account service, read only from the environment (12-factor)."""

import logging
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.environment import Env
from operations.rates import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# `make serve` writes .env once (DEBUG=1 and a generated SECRET_KEY), so every manage.py command
# of a development checkout sees what runserver sees. The environment wins over the file;
# production has no .env, and ENV_FILE= (empty) reads none.
env_file = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if env_file:
    Env.read_env(env_file)


def rate_setting(name: str, default: str, *, bare_seconds: int | None = None) -> str:
    """A rate from the environment, checked now: a value it cannot read stops the start-up."""
    value = env.str(name, default=default)
    try:
        parse_rate(value, bare_seconds=bare_seconds)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}.") from exc
    return value


def link_setting(name: str, default: str) -> str:
    """A link template for the e-mails, checked now: it holds ``{key}`` and no other braces."""
    value = env.str(name, default=default)
    try:
        link = value.format(key="\0")
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}: only {{key}} may appear in braces ({exc}).") from exc
    if "\0" not in link:
        raise ImproperlyConfigured(f"{name}: the link must hold {{key}}.")
    return value


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Export SECRET_KEY (a long random string) before starting "
            "the service, or set DEBUG=1 for local development only."
        )
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_json_api",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "jsonapi",
    "operations",
    "customers",
    "addresses",
    "auth_api",
    "relations",
    "properties",
    "customer_groups",
    "events",
    "accounts",
]

MIDDLEWARE = [
    "operations.logging.RequestLogMiddleware",
    "jsonapi.middleware.RequestBodyLimitMiddleware",
    "jsonapi.middleware.RouteSpellingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, Swagger UI) straight from gunicorn and runserver alike.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The admin's notices live in its session: the default (cookie, then session) signs a cookie
# reader on every request, the API's included.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: reconnecting per request costs PostgreSQL about 4x the throughput.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# Off by default: the check is one more round trip (SELECT 1) in every request. Without it, a
# worker answers one 503 (Retry-After: 5) after a database restart and then reconnects.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        # Take the write lock at BEGIN so concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate-limit counters must be shared by every worker process) ----------------------
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://service_cache"),
    # Rendered documents, keyed by each customer's data version (customers.document_cache).
    # Local memory per worker by default: versioned keys keep the workers' copies consistent.
    "documents": env.cache_url(
        "DOCUMENT_CACHE_URL", default="locmemcache://documents?max_entries=1000"
    ),
}
CACHES["documents"].setdefault("TIMEOUT", env.int("DOCUMENT_CACHE_SECONDS", default=300))
DOCUMENT_CACHE_MAX_BYTES = env.int("DOCUMENT_CACHE_MAX_BYTES", default=64 * 1024)

# --- Mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shop@example.com")
# Well below OUTBOX_LEASE_SECONDS: a mail server that hangs must not outlast the worker's hold.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30)
# Without a broker, the outbox (mail, webhooks) is delivered by a thread of the web worker
# after the commit, so no request waits for SMTP; off, inline after the commit (tests).
EMAIL_SEND_IN_BACKGROUND = env.bool("EMAIL_SEND_IN_BACKGROUND", default=True)

# --- Events and mail delivery: the outbox (events/) on Celery workers -----------------------
# None: no broker; the web process delivers after the commit and sweeps (make serve).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# The queue's name, so that services sharing a broker do not take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="customer-accounts")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged task to another worker after this long; the sweep is faster.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=10)
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "events.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    "purge-outbox": {"task": "events.purge_outbox", "schedule": 3600},
}
# A row handed to a worker is handed over again after this long if still undelivered.
OUTBOX_REQUEUE_SECONDS = env.int("OUTBOX_REQUEUE_SECONDS", default=60)
# How long a worker holds a row it is delivering; a killed worker's hold runs out.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=120)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=7)
# Seconds between tries (the last repeats), for at most so many hours from the first.
WEBHOOK_RETRY_DELAYS = env.list(
    "WEBHOOK_RETRY_DELAYS", cast=int, default=[5, 60, 300, 1800, 7200, 18000, 36000]
)
WEBHOOK_RETRY_HOURS = env.float("WEBHOOK_RETRY_HOURS", default=26)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# How long a process goes on using the list of active endpoints it read.
WEBHOOK_ENDPOINT_CACHE_SECONDS = env.float("WEBHOOK_ENDPOINT_CACHE_SECONDS", default=5)
MAIL_RETRY_DELAYS = env.list("MAIL_RETRY_DELAYS", cast=int, default=[5, 15, 30, 60, 120, 300])
MAIL_RETRY_HOURS = env.float("MAIL_RETRY_HOURS", default=72)

# --- Customers and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "customers.Customer"
PASSWORD_HASHERS = [
    "customers.hashers.ConfiguredArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2id's cost; the defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1).
PASSWORD_ARGON2_TIME_COST = env.int("PASSWORD_ARGON2_TIME_COST", default=2)
PASSWORD_ARGON2_MEMORY_KIB = env.int("PASSWORD_ARGON2_MEMORY_KIB", default=19 * 1024)
PASSWORD_ARGON2_PARALLELISM = env.int("PASSWORD_ARGON2_PARALLELISM", default=1)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_MAX_LENGTH = 128

CUSTOMER_REFERENCE_PREFIX = env.str("CUSTOMER_REFERENCE_PREFIX", default="DE")
REQUIRE_EMAIL_CONFIRMATION = env.bool("REQUIRE_EMAIL_CONFIRMATION", default=True)
CUSTOMER_CONFIRMATION_URL = link_setting(
    "CUSTOMER_CONFIRMATION_URL", "http://127.0.0.1:8000/customer-confirmation?key={key}"
)
PASSWORD_RESTORE_URL = link_setting(
    "PASSWORD_RESTORE_URL", "http://127.0.0.1:8000/customer-restore-password?key={key}"
)
RESTORE_PASSWORD_KEY_TTL = env.int("RESTORE_PASSWORD_KEY_TTL", default=3600)
# On: a new e-mail address takes effect once the key mailed to it is confirmed (contract §3).
EMAIL_CHANGE_CONFIRMATION = env.bool("EMAIL_CHANGE_CONFIRMATION", default=True)
EMAIL_CHANGE_KEY_TTL = env.int("EMAIL_CHANGE_KEY_TTL", default=86400)
# Days an entry of a customer's activity log is kept (purge_spent_credentials deletes older).
ACTIVITY_RETENTION_DAYS = env.int("ACTIVITY_RETENTION_DAYS", default=365)

# Abuse limits as rates: "count/period" with s, m, h or d, e.g. "10/15m" (operations.rates).
# What each counts: README, "Limits".
REGISTRATION_RATE = rate_setting("REGISTRATION_RATE", "3/4h")
REGISTRATION_ATTEMPT_RATE = rate_setting("REGISTRATION_ATTEMPT_RATE", "20/h")
# A bare number of login failures is that many per 15 minutes (contract §2).
LOGIN_FAILURE_LIMIT = rate_setting("LOGIN_FAILURE_LIMIT", "10/15m", bare_seconds=15 * 60)
LOGIN_IP_FAILURE_LIMIT = rate_setting("LOGIN_IP_FAILURE_LIMIT", "100/15m", bare_seconds=15 * 60)
PASSWORD_RESET_RATE = rate_setting("PASSWORD_RESET_RATE", "5/h")
# How many reverse proxies in front of the service append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The limits above count an IPv6 client by its network of this prefix length (one host's).
RATE_LIMIT_IPV6_PREFIX = env.int("RATE_LIMIT_IPV6_PREFIX", default=64)
if not 32 <= RATE_LIMIT_IPV6_PREFIX <= 128:
    raise ImproperlyConfigured("RATE_LIMIT_IPV6_PREFIX: a prefix length from 32 to 128.")

ACCESS_TOKEN_EXPIRE_SECONDS = env.int("ACCESS_TOKEN_EXPIRE_SECONDS", default=28800)
REFRESH_TOKEN_EXPIRE_SECONDS = env.int("REFRESH_TOKEN_EXPIRE_SECONDS", default=2592000)

OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_EXPIRE_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": REFRESH_TOKEN_EXPIRE_SECONDS,
    "ROTATE_REFRESH_TOKEN": True,
    "PKCE_REQUIRED": True,
    # Authorization code and refresh grants only: no implicit, password, client credentials or
    # device grant, whatever an application row says.
    "OAUTH2_SERVER_CLASS": "oauthlib.oauth2.WebApplicationServer",
    # A reused authorization code revokes the tokens issued from it.
    "OAUTH2_VALIDATOR_CLASS": "auth_api.oauth2_validators.OAuth2Validator",
    # Apps register https (universal link) or their own scheme (com.shop.app) callbacks.
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list(
        "OAUTH_REDIRECT_URI_SCHEMES", default=["https", "http"] if DEBUG else ["https"]
    ),
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "SCOPES": {"customer": "Read and change your customer account"},
    "DEFAULT_SCOPES": ["customer"],
    # RFC 9700: only token checksums are stored, no token in a query string, S256 PKCE only.
    # The Glue password login is /access-tokens; the OAuth2 endpoints never offer it.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "APPLICATION_ADMIN_CLASS": "auth_api.admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "auth_api.admin.AccessTokenAdmin",
    "GRANT_ADMIN_CLASS": "auth_api.admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "auth_api.admin.IDTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "auth_api.admin.RefreshTokenAdmin",
}

# --- JSON:API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "jsonapi.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "jsonapi.parsers.JsonApiParser",
        "jsonapi.parsers.PlainJsonParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "jsonapi.renderers.JsonApiRenderer",
        "jsonapi.browsable.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "jsonapi.negotiation.JsonApiContentNegotiation",
    "DEFAULT_METADATA_CLASS": "jsonapi.metadata.ResourceMetadata",
    "VIEW_DESCRIPTION_FUNCTION": "jsonapi.browsable.view_description",
    "DEFAULT_SCHEMA_CLASS": "jsonapi.schema.JsonApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "auth_api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DATETIME_FORMAT": "%Y-%m-%d %H:%M:%S.%f",
    "DATE_FORMAT": "%Y-%m-%d",
}
# DJA's metadata (OPTIONS) names fields as the documents do.
JSON_API_FORMAT_FIELD_NAMES = "camelize"

# --- OpenAPI: /schema, and /docs with Swagger UI from the sidecar package (no CDN) -----------
SPECTACULAR_SETTINGS = {
    "TITLE": "Customer accounts",
    "DESCRIPTION": (
        "The API behind a shop's \"my account\": Spryker Glue's customer resources as JSON:API, "
        "with Aimeos' customer relations and properties. Every error is a JSON:API error "
        "document whose `code` is the contract's application code."
    ),
    "VERSION": "1.0.0",
    # Relative: the document describes the host it is served from, whatever its name.
    "SERVERS": [{"url": "/"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "AUTHENTICATION_WHITELIST": ["auth_api.authentication.BearerTokenAuthentication"],
    "PREPROCESSING_HOOKS": ["jsonapi.schema.exclude_non_json_api_routes"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "operations.health.document_health",
        "jsonapi.schema.camelize_path_parameters",
        "jsonapi.schema.camelize_attributes",
        "jsonapi.schema.nullable_enums",
        "jsonapi.schema.require_whole_resources",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "SWAGGER_UI_OAUTH2_CONFIG": {"usePkceWithAuthorizationCodeGrant": True},
}
JSON_API_FORMAT_TYPES = False
JSON_API_PLURALIZE_TYPES = False

# Bodies above 1 MiB are refused with 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Internationalisation, static files -----------------------------------------------------
LANGUAGE_CODE = "en-us"
# The languages e-mails to customers are written in (their languageId); others get English.
LANGUAGES = [("en", "English"), ("de", "German")]
# The compiled catalogs (.mo) are committed: a checkout needs no gettext tools to run.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# WhiteNoise serves the admin's and Swagger UI's files straight from the installed packages
# (listed once at start-up), so gunicorn needs no collectstatic step. STATIC_ROOT is only for
# collecting them elsewhere, e.g. for a CDN.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = env.str("STATIC_ROOT", default="") or None

# --- Security (production behind TLS: see README "Running in production") -------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "jsonapi.handlers.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    # The load balancer terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging: JSON lines on stderr, each stamped with the request id ------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ImproperlyConfigured(
        f"LOG_LEVEL: {LOG_LEVEL!r} is none of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "operations.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "operations.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The access line covers every request; django.request adds the tracebacks of 5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

AUTHENTICATION_BACKENDS = ["auth_api.backends.CustomerBackend"]
LOGIN_URL = "rest_framework:login"
LOGIN_REDIRECT_URL = "/customers"
# The e-mail is unique through a case-insensitive constraint, which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
