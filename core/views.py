"""Site-level views that are not Wagtail pages."""

import hmac
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.views import HealthCheckView

from .health import healthz_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when this app server can reach its
    database, cache and storages; 503 otherwise. Cheap (no page, a few queries).
    The task queue's age is reported but never makes it fail: operators alert on
    it, and pulling every app server for a slow worker would not help."""
    report, healthy = healthz_report()
    return JsonResponse(report, status=200 if healthy else 503)


def _existing(path) -> str:
    """``path`` or its nearest existing parent (a disk check needs a real path)."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return str(path)


def bearer_token_matches(request: HttpRequest) -> bool:
    """Whether the request carries ``Authorization: Bearer <HEALTH_CHECK_TOKEN>``
    (compared in constant time; no token configured: never)."""
    expected = getattr(settings, "HEALTH_CHECK_TOKEN", "")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


class HealthDetailView(HealthCheckView):
    """Every check (django-health-check) for operators: superusers, or a monitor
    with the bearer token. Anyone else gets the site's 404 and learns nothing."""

    def get_checks(self):
        checks = [
            "health_check.checks.Database",
            "health_check.checks.Cache",
            ("health_check.checks.Storage", {"alias": "default"}),
            ("health_check.checks.Storage", {"alias": "certificates"}),
            (
                "health_check.contrib.psutil.Disk",
                {"path": _existing(settings.MEDIA_ROOT)},
            ),
            (
                "health_check.contrib.psutil.Disk",
                {
                    "path": _existing(
                        settings.STORAGES["certificates"]["OPTIONS"]["location"]
                    )
                },
            ),
            "core.health.TaskQueue",
        ]
        if settings.HEALTH_CHECK_MAIL:
            backend = getattr(settings, "TADREEB_EMAIL_DELIVERY_BACKEND", "") or None
            checks.append(("health_check.checks.Mail", {"backend": backend}))
        self.checks = checks
        return super().get_checks()

    async def dispatch(self, request, *args, **kwargs):
        if not bearer_token_matches(request):
            user = await request.auser()
            if not (user.is_active and user.is_superuser):
                raise Http404
        return await super().dispatch(request, *args, **kwargs)


healthz_detail = HealthDetailView.as_view()
