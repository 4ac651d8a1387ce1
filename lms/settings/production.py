"""Production settings: secure by default, everything machine-specific from the
environment. Refuses to start without SECRET_KEY, ALLOWED_HOSTS and a database;
keeps cache and rate limits in Redis (REDIS_URL) or else in that database."""

from .base import *  # noqa: F403
from .base import AUTH_PASSWORD_VALIDATORS, DATABASES, REDIS_URL, STORAGES
from .env import env_bool, env_int, env_list, env_required, env_str
from .logging_config import logging_config

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS]
)
# The public address: printed in every certificate's QR code, so never guessed.
WAGTAILADMIN_BASE_URL = env_required("WAGTAILADMIN_BASE_URL").rstrip("/")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool(
    "ALLOW_SQLITE_IN_PRODUCTION", False
):
    env_required("DATABASE_URL")

# HTTPS everywhere. Behind a load balancer that terminates TLS, set
# SECURE_PROXY_SSL_HEADER_ENABLED=1 so that Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Every e-mail goes through the outbox (core.mail) and a task; the task delivers
# by SMTP.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
TADREEB_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# One JSON object a line for the log collector (LOG_FORMAT=plain for people).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))

# Tasks wait in the database for `manage.py run_worker` (make run starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}

TADREEB_REQUIRE_STAFF_MFA = env_bool("TADREEB_REQUIRE_STAFF_MFA", True)
TADREEB_DEMO_DATA_ALLOWED = False
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "accounts.validators.DemoPasswordValidator"},
]

# Rate limits hold only if every app server counts in one place: Redis when
# REDIS_URL is set (base), otherwise the database they all share already. Its table
# is made by migrate (lms/migrations/0003_rate_limit_cache_table.py); a local-memory
# cache would let each worker count on its own.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tadreeb_cache",
            "KEY_PREFIX": "tadreeb",
            # Counters are many small rows; culling at Django's default of 300
            # would forget them early.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's page preview frames pages of the same origin, so X_FRAME_OPTIONS
    # stays SAMEORIGIN (set in base); other origins are still refused.
    "security.W019",
    # HSTS preload binds every subdomain of the parent domain: the operator opts in
    # with SECURE_HSTS_PRELOAD=1 once the whole domain serves HTTPS.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
