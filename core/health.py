"""Health checks: the cheap probe behind ``/healthz/`` (load balancer, monitoring)
and the task-queue check that ``/healthz/detail/`` adds to django-health-check's.

Nothing here names a person: only states, counts and ages."""

import dataclasses
import datetime
import logging
import os
import secrets
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
# The storages whose loss stops the site: uploads and issued certificates.
CHECKED_STORAGES = ("default", "certificates")


def _failed(component: str, exc: BaseException) -> str:
    # The exception's class only: its text may carry a host name or a path.
    logger.warning("Health check: %s unavailable (%s)", component, type(exc).__name__)
    return UNAVAILABLE


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError("SELECT 1 returned something else")
    except Exception as exc:  # noqa: BLE001 - any failure means "unavailable"
        return _failed("database", exc)
    return OK


def check_cache() -> str:
    # A key of its own: probes arrive side by side (several load balancers, nginx
    # and monitoring), and with one shared key a probe would read another's value
    # and report the cache down (seen under make deploy-check).
    value = secrets.token_hex(8)
    key = f"tadreeb:healthz:{value}"
    try:
        cache.set(key, value, timeout=10)
        if cache.get(key) != value:
            raise RuntimeError("cache returned another value")
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return _failed("cache", exc)
    return OK


def _check_one_storage(alias: str) -> None:
    storage = storages[alias]
    if isinstance(storage, FileSystemStorage):
        # O(1): the folder is there (made as a save would make it) and writable.
        location = Path(storage.location)
        location.mkdir(parents=True, exist_ok=True)
        if not os.access(location, os.W_OK | os.X_OK):
            raise PermissionError("storage folder not writable")
    else:
        # A remote storage: one cheap request, whatever its answer.
        storage.exists(".healthz")


def check_storage() -> str:
    try:
        for alias in CHECKED_STORAGES:
            _check_one_storage(alias)
    except Exception as exc:  # noqa: BLE001
        return _failed("storage", exc)
    return OK


def tasks_in_database() -> bool:
    """Whether the default task backend is django-tasks-db's (a queue to watch)."""
    backend_path = settings.TASKS.get("default", {}).get("BACKEND", "")
    try:
        backend = import_string(backend_path)
    except ImportError:
        return False
    from django_tasks_db import DatabaseBackend

    return isinstance(backend, type) and issubclass(backend, DatabaseBackend)


def queue_stats(now: datetime.datetime | None = None) -> dict:
    """``oldest_waiting_seconds``: how long the oldest READY task whose time has
    come has been waiting (from its run_after, or its enqueueing when it has
    none); ``failed_last_day``: tasks that failed in the last 24 hours. One query.
    Both None when tasks run at once (no queue)."""
    if not tasks_in_database():
        return {"oldest_waiting_seconds": None, "failed_last_day": None}
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    date_max = get_date_max()
    ready = Q(status="READY")
    stats = DBTaskResult.objects.aggregate(
        # No run_after (stored as date_max): waiting since it was enqueued.
        enqueued=Min("enqueued_at", filter=ready & Q(run_after=date_max)),
        # A run_after that has passed: waiting since then.
        due=Min("run_after", filter=ready & Q(run_after__lte=now)),
        failed=Count(
            "id",
            filter=Q(
                status="FAILED", finished_at__gte=now - datetime.timedelta(days=1)
            ),
        ),
    )
    since = [moment for moment in (stats["enqueued"], stats["due"]) if moment]
    oldest = None
    if since:
        oldest = max(0, int((now - min(since)).total_seconds()))
    return {"oldest_waiting_seconds": oldest, "failed_last_day": stats["failed"]}


def healthz_report() -> tuple[dict, bool]:
    """The /healthz/ body and whether the server should take traffic."""
    report = {
        "status": OK,
        "database": check_database(),
        "cache": check_cache(),
        "storage": check_storage(),
        "tasks": {"oldest_waiting_seconds": None},
    }
    healthy = all(report[part] == OK for part in ("database", "cache", "storage"))
    report["status"] = OK if healthy else UNAVAILABLE
    if report["database"] == OK:
        try:
            report["tasks"]["oldest_waiting_seconds"] = queue_stats()[
                "oldest_waiting_seconds"
            ]
        except Exception as exc:  # noqa: BLE001 - reported, never a 503
            _failed("task queue", exc)
    return report, healthy


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """django-health-check: the task queue keeps up. Fails when the oldest waiting
    task has waited longer than ``max_wait_seconds``, warns when tasks failed in
    the last day. Passes with the immediate backend (no queue)."""

    max_wait_seconds: int = dataclasses.field(
        default_factory=lambda: getattr(settings, "HEALTH_CHECK_TASK_MAX_WAIT", 300)
    )

    async def run(self):
        # In the request's own thread: its database connection, closed with it.
        stats = await sync_to_async(queue_stats, thread_sensitive=True)()
        oldest = stats["oldest_waiting_seconds"]
        if oldest is not None and oldest > self.max_wait_seconds:
            raise ServiceUnavailable(
                f"oldest waiting task has waited {oldest} s "
                f"(limit {self.max_wait_seconds} s)"
            )
        if stats["failed_last_day"]:
            raise ServiceWarning(
                f"{stats['failed_last_day']} task(s) failed in the last 24 hours"
            )
