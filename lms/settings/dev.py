"""Development settings: DEBUG on, mail printed on the console, demo data allowed."""

from .base import *  # noqa: F403
from .base import BASE_DIR, CERTIFICATES_SIGNING_KEY
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Static files straight from the apps' folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# `make run` creates a self-signed development key pair here (git-ignored).
_DEV_SIGNING = BASE_DIR / "var" / "signing"
if not CERTIFICATES_SIGNING_KEY and (_DEV_SIGNING / "signing-key.pem").exists():
    CERTIFICATES_SIGNING_KEY = str(_DEV_SIGNING / "signing-key.pem")
    CERTIFICATES_SIGNING_CERT = str(_DEV_SIGNING / "signing-cert.pem")
