"""Deployment checks (``manage.py check --deploy``) beyond Django's own."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "REDIS_URL", ""):
        return []
    return [
        Warning(
            "REDIS_URL is not set: rate limits and cache are kept per process, so "
            "several app servers would each count sign-in attempts on their own.",
            hint="Set REDIS_URL to a Redis server shared by every app server.",
            id="tadreeb.W001",
        )
    ]


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
