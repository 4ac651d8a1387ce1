"""Settings shared by every environment; dev, test and production adjust them."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_https_origins, env_int, env_list, env_str
from .logging_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Project apps first, so their templates override those of the libraries.
    "core",
    "accounts",
    "courses",
    "quizzes",
    "certificates",
    "reporting",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",  # in place of wagtail.locales
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.TadreebUsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    # The background task queue (django-tasks' database backend; core/tasks.py).
    "django_tasks_db",
    "health_check",
]

MIDDLEWARE = [
    # First: every later line of the request's log carries its id.
    "core.logs.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware, after the session and the user: the
    # prefix, else the saved language, else the cookie, else the browser, else "ar".
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.language_urls",
            ],
        },
    },
]

# Database: SQLite by default (zero set-up); PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for SSD storage, sent when each connection opens: random
    # reads cost little more than sequential ones, so the statistics use their
    # covering indexes; JIT compilation only slows these short aggregate queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "DATABASE_PLANNER_OPTIONS", "-c random_page_cost=1.1 -c jit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The dev server's threads and the task worker share one SQLite file. Writers
    # take the lock when their transaction begins (IMMEDIATE) and wait up to
    # `timeout` seconds for it, rather than failing with "database is locked"; the
    # write-ahead log lets pages be read while one officer's submission is written
    # (the mode is stored in the file; NORMAL sync is safe with WAL and faster).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (core/tasks.py): a task that raises runs again after
# TADREEB_TASK_RETRY_SECONDS, doubling each time, up to TADREEB_TASK_MAX_ATTEMPTS
# runs in all; a RUNNING task whose worker's heartbeat has been silent for
# TADREEB_TASK_STALE_SECONDS is given back to the queue (manage.py run_worker).
TADREEB_TASK_MAX_ATTEMPTS = env_int("TADREEB_TASK_MAX_ATTEMPTS", 5)
TADREEB_TASK_RETRY_SECONDS = env_int("TADREEB_TASK_RETRY_SECONDS", 30)
TADREEB_TASK_STALE_SECONDS = env_int("TADREEB_TASK_STALE_SECONDS", 30)
if TADREEB_TASK_MAX_ATTEMPTS < 1 or TADREEB_TASK_RETRY_SECONDS < 0:
    raise ImproperlyConfigured(
        "TADREEB_TASK_MAX_ATTEMPTS must be 1 or more and "
        "TADREEB_TASK_RETRY_SECONDS 0 or more."
    )
if TADREEB_TASK_STALE_SECONDS < 5:
    raise ImproperlyConfigured("TADREEB_TASK_STALE_SECONDS must be 5 or more.")

# Cache: local memory by default; Redis (shared by every app server) through REDIS_URL.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tadreeb",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",  # noqa: E501
        "OPTIONS": {"user_attributes": ("email", "full_name_en")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail login, mandatory verification, rate limits, MFA.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# One verified address per account; changing it needs the new one verified first.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tadreeb] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's defaults are on already; these are stated so that a reader sees them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/180s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tadreeb"

# Staff (any member of a staff group, or a superuser) must set up MFA before the
# Wagtail admin opens. Off in dev, on in production unless explicitly turned off.
TADREEB_REQUIRE_STAFF_MFA = env_bool("TADREEB_REQUIRE_STAFF_MFA", False)
# Let people whose e-mail domain belongs to no ministry sign up (with no ministry).
TADREEB_OPEN_SIGNUP = env_bool("TADREEB_OPEN_SIGNUP", False)
# load_demo's shared demo password is refused where this is False (production).
TADREEB_DEMO_DATA_ALLOWED = True

# Languages: Arabic first, English beside it. Each is named in its own script (the
# language switch). LANGUAGE_CODE is the source locale of the content (English,
# the tree every record points at); a visitor's language is their saved choice,
# else their browser's, else TADREEB_DEFAULT_LANGUAGE.
LANGUAGE_CODE = "en"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
TADREEB_DEFAULT_LANGUAGE = "ar"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kuwait"
USE_I18N = True
USE_TZ = True

# Static and media files, always through Django's storage API.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
CERTIFICATES_STORAGE_ROOT = Path(
    env_str("CERTIFICATES_STORAGE_ROOT", str(BASE_DIR / "var" / "private"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
    # Issued certificate PDFs: private, never served from a public URL.
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": CERTIFICATES_STORAGE_ROOT, "base_url": None},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Sessions only by default (the schema and docs pages): no HTTP Basic password
    # check that would bypass the sign-in page's rate limits and two-factor step.
    # The statistics API adds its bearer tokens itself.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication"
    ],
    "DEFAULT_THROTTLE_RATES": {
        "certificate_verify": "60/min",
        # Statistics API, per token or signed-in user.
        "stats_api": env_str("API_THROTTLE_RATE", "120/min"),
    },
    # Our throttles read the client address from core.client_ip (TRUSTED_PROXY_COUNT);
    # 0 keeps DRF's own reading, for any other throttle, off X-Forwarded-For.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tadreeb API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["lms.api_schema.only_public_api"],
    # One name per choice set, wherever it appears (cadre, audiences, ...).
    "ENUM_NAME_OVERRIDES": {
        "CadreEnum": "accounts.models.Cadre",
        "GenderEnum": "accounts.models.Gender",
    },
}
# Client addresses for every rate limit (allauth, django-ratelimit, DRF throttles):
# X-Forwarded-For is believed only as far as this many proxies in front of the app
# (0: the connecting address, so a client cannot pick its own identity). The one
# knob; see lms/client_ip.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"
CERTIFICATES_VERIFY_RATE = env_str("CERTIFICATES_VERIFY_RATE", "60/m")

# Certificates: PDF engine, signing key pair (PEM paths), verification rate limit.
CERTIFICATES_PDF_ENGINE = env_str("CERTIFICATES_PDF_ENGINE", "weasyprint")
CERTIFICATES_SIGNING_KEY = env_str("CERTIFICATES_SIGNING_KEY") or None
CERTIFICATES_SIGNING_CERT = env_str("CERTIFICATES_SIGNING_CERT") or None
# Downloads handed to nginx: the URL prefix of its internal location aliasing
# CERTIFICATES_STORAGE_ROOT (deploy/nginx/tadreeb.conf: /_protected/certificates/).
# Empty: Django streams the file itself.
CERTIFICATES_X_ACCEL_REDIRECT = env_str("CERTIFICATES_X_ACCEL_REDIRECT").strip()
if CERTIFICATES_X_ACCEL_REDIRECT and not (
    CERTIFICATES_X_ACCEL_REDIRECT.startswith("/")
    and CERTIFICATES_X_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        "CERTIFICATES_X_ACCEL_REDIRECT must start and end with '/', "
        "e.g. /_protected/certificates/."
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: the console in dev; SMTP from the environment in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tadreeb <no-reply@tadreeb.example>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Wagtail
WAGTAIL_SITE_NAME = "Tadreeb"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Everyone signs in through allauth, which enforces e-mail verification and MFA.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Private pages ("signed-in users only") send visitors to the same sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Pages and snippets exist in both languages (wagtail-localize); English is the
# source locale, the one every record points at (see docs/decisions/0006).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin offers the site's two languages (Account > Preferences); the choice and
# User.language are kept equal (accounts/signals.py).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Approval by the review task publishes; trainers hold no publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflow.publish_approved_content"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents always pass through Wagtail's serve view, which checks private
# collections and pages; nginx refuses /media/documents/ so that none is fetched
# around it (deploy/nginx/tadreeb.conf).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "pptx", "txt", "mp4", "webm"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin reads it from JavaScript.
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's previews are framed by the admin.

# Content-Security-Policy (django-csp). The public site runs no inline script or
# style: scripts and styles come from our static files, data reaches scripts through
# data- attributes or json_script. Embedded lesson videos are framed from the video
# sites in TADREEB_VIDEO_EMBED_ORIGINS (comma-separated https origins; empty: none).
TADREEB_VIDEO_EMBED_ORIGINS = env_https_origins(
    "TADREEB_VIDEO_EMBED_ORIGINS",
    [
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the two-factor set-up QR code and Swagger UI's icons.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *TADREEB_VIDEO_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Wagtail's preview panel frames pages of the same origin.
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }
}
# Wagtail's admin relies on inline scripts and styles, so its pages (every view
# under /admin/, see lms.urls) get this narrower policy in place of the one above.
TADREEB_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }
}

# Permissions-Policy (django-permissions-policy): no page uses a camera, microphone,
# location, payment or device; videos may go full screen or picture-in-picture,
# also inside an embedded video site's player.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": ["self", *TADREEB_VIDEO_EMBED_ORIGINS],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "local-fonts": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", *TADREEB_VIDEO_EMBED_ORIGINS],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "window-management": [],
    "xr-spatial-tracking": [],
}

# Logs carry no personal data: no e-mail addresses or names, only ids and paths
# (query strings and e-mail-like strings are masked, core.logs.RedactFilter). Each
# line carries the request id: X-Request-ID from nginx when it is a safe token,
# else a new one, echoed in the response. LOG_FORMAT: plain here, json in production.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
NO_REQUEST_ID = "-"

# /healthz/detail/ (django-health-check): superusers, or a monitor sending
# "Authorization: Bearer <HEALTH_CHECK_TOKEN>" (empty: superusers only). The mail
# server check is off unless HEALTH_CHECK_MAIL=1; the task queue check fails when
# the oldest waiting task has waited over HEALTH_CHECK_TASK_MAX_WAIT seconds.
HEALTH_CHECK_TOKEN = env_str("HEALTH_CHECK_TOKEN")
HEALTH_CHECK_MAIL = env_bool("HEALTH_CHECK_MAIL", False)
HEALTH_CHECK_TASK_MAX_WAIT = env_int("HEALTH_CHECK_TASK_MAX_WAIT", 300)
# No avatars from gravatar.com: it would send a hash of each user's address abroad.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
