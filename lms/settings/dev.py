"""Development settings: DEBUG on, mail printed on the console, demo data allowed."""

from .base import *  # noqa: F403
from .base import BASE_DIR, CERTIFICATES_SIGNING_KEY, INSTALLED_APPS
from .env import env_bool, env_int, env_list, env_str

# The demo tooling (load_demo, demo_accounts, seed_scale) is installed in
# development and tests only; production never has it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]


def served_address(host: str, port: int) -> tuple[str, str]:
    """The base URL and the host name for a development server bound to ``host``
    and ``port``: an address that listens everywhere is reached on this machine
    through the loopback, and an IPv6 address is written in brackets."""
    host = host.strip() or "127.0.0.1"
    if host == "0.0.0.0":  # noqa: S104 (a bind address, not one we listen on)
        host = "127.0.0.1"
    elif host in ("::", "[::]"):
        host = "[::1]"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}", host


# `make run HOST=... PORT=...` passes where it serves, so that the addresses printed
# in QR codes, PDFs, the API and e-mails lead there; an explicit
# WAGTAILADMIN_BASE_URL still wins.
_DEV_BASE_URL, _DEV_HOST = served_address(
    env_str("TADREEB_DEV_HOST", "127.0.0.1"), env_int("TADREEB_DEV_PORT", 8000)
)
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL") or _DEV_BASE_URL

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")  # noqa: S105
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", _DEV_HOST]))
)
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
TADREEB_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Tasks wait in the database for `manage.py run_worker` (make run starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# Static files straight from the apps' folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `make run` creates a self-signed development key pair here (git-ignored).
_DEV_SIGNING = BASE_DIR / "var" / "signing"
if not CERTIFICATES_SIGNING_KEY and (_DEV_SIGNING / "signing-key.pem").exists():
    CERTIFICATES_SIGNING_KEY = str(_DEV_SIGNING / "signing-key.pem")
    CERTIFICATES_SIGNING_CERT = str(_DEV_SIGNING / "signing-cert.pem")
