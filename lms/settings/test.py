"""Test settings: fast password hashing, in-memory mail and cache, immediate tasks."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, STORAGES
from .env import env_str

# The demo tooling (load_demo, demo_accounts, seed_scale) is installed in
# development and tests only; production never has it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TADREEB_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# TADREEB_TEST_MEDIA_ROOT and TADREEB_TEST_CERTIFICATES_ROOT point tests that run
# commands in a subprocess at scratch folders (the backup drill); names of their own, so
# that a MEDIA_ROOT exported for development never receives test files.
MEDIA_ROOT = Path(
    env_str("TADREEB_TEST_MEDIA_ROOT", str(BASE_DIR / "var" / "test-media"))
)
STORAGES = {
    **STORAGES,
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(
                env_str(
                    "TADREEB_TEST_CERTIFICATES_ROOT",
                    str(BASE_DIR / "var" / "test-private"),
                )
            ),
            "base_url": None,
        },
    },
}
TADREEB_REQUIRE_STAFF_MFA = False
TADREEB_OPEN_SIGNUP = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files straight from the apps' folders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
