"""Deployment checks (``manage.py check --deploy``) beyond Django's own."""

from django.conf import settings
from django.core.checks import Info, Tags, Warning, register

# Caches that each process (or machine) keeps to itself: rate limits kept there are
# counted per worker, so N workers allow N times the limit.
UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in UNSHARED_CACHES:
        return [
            Warning(
                f"The cache ({backend}) is not shared: rate limits are counted by "
                "each worker on its own, so sign-in and API limits do not hold.",
                hint="Set REDIS_URL, or use the production settings, which keep "
                "the cache in the database without it.",
                id="tadreeb.W001",
            )
        ]
    if backend == DATABASE_CACHE:
        return [
            Info(
                "REDIS_URL is not set: cache and rate limits are kept in the "
                "database, shared by every app server.",
                hint="Set REDIS_URL for a faster cache under heavy load.",
                id="tadreeb.I001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_staff_mfa(app_configs, **kwargs):
    if settings.DEBUG or settings.TADREEB_REQUIRE_STAFF_MFA:
        return []
    return [
        Warning(
            "TADREEB_REQUIRE_STAFF_MFA is off: staff can open the admin without "
            "two-factor authentication.",
            hint="Leave TADREEB_REQUIRE_STAFF_MFA unset or set it to 1.",
            id="tadreeb.W002",
        )
    ]
