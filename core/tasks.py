"""Background tasks that survive failures (django-tasks with django-tasks-db).

Every task of ours gets, without any change to the task itself:

- retries: a task that raises is put back in the queue, to run after
  TADREEB_TASK_RETRY_SECONDS * 2 ** (attempt - 1) seconds, until it has run
  TADREEB_TASK_MAX_ATTEMPTS times; then it stays FAILED (the "Background tasks"
  report in the admin lists it, with a Retry button);
- reclaim: a task left RUNNING by a worker whose heartbeat (``TaskWorker``) has been
  silent for TADREEB_TASK_STALE_SECONDS goes back to the queue; that run counts as
  an attempt.

The retry happens on the same ``DBTaskResult`` row, so whoever holds its id sees the
final outcome. The attempt number is the number of times a worker claimed the row:
django-tasks-db appends the worker's id to ``worker_ids`` at each claim.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import TaskWorker

logger = logging.getLogger(__name__)

WORKER_LOST = "core.tasks.WorkerLost"


class WorkerLost(Exception):  # noqa: N818 - the name an operator reads
    """Recorded as the error of a task whose worker stopped while running it."""


def attempts(db_result: DBTaskResult) -> int:
    """How many times a worker has started this task."""
    return len(db_result.worker_ids or [])


def retry_delay(attempt: int) -> timedelta:
    """The wait before the run after failed attempt number ``attempt`` (1-based)."""
    return timedelta(seconds=settings.TADREEB_TASK_RETRY_SECONDS * 2 ** (attempt - 1))


def gave_up() -> models.QuerySet:
    """Tasks that failed and will not run again by themselves."""
    return DBTaskResult.objects.failed().order_by("-finished_at")


def last_error_message(db_result: DBTaskResult) -> str:
    """The last line of the traceback: the exception's class and message."""
    lines = [line for line in (db_result.traceback or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@receiver(task_finished, dispatch_uid="core.tasks.retry_failed_task")
def retry_failed_task(sender, task_result, **kwargs):
    """Put a failed database task back in the queue, later, while it has attempts
    left. Tasks of other backends (the immediate one in tests) are left alone."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return
    attempt = attempts(db_result)
    if attempt >= settings.TADREEB_TASK_MAX_ATTEMPTS:
        logger.error(
            "Task id=%s path=%s gave up after %d attempts",
            db_result.id,
            db_result.task_path,
            attempt,
        )
        return
    run_after = timezone.now() + retry_delay(attempt)
    # Only if nothing else touched the row since the worker recorded the failure.
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "Task id=%s path=%s failed (attempt %d of %d); runs again after %s",
        db_result.id,
        db_result.task_path,
        attempt,
        settings.TADREEB_TASK_MAX_ATTEMPTS,
        run_after.isoformat(),
    )


def retry_now(db_result: DBTaskResult) -> bool:
    """Queue a task that gave up once more, at once, with a fresh set of attempts
    (the admin's Retry button). False if it is no longer FAILED."""
    return bool(
        DBTaskResult.objects.filter(
            pk=db_result.pk, status=TaskResultStatus.FAILED
        ).update(
            status=TaskResultStatus.READY,
            run_after=get_date_max(),
            worker_ids=[],
            started_at=None,
            finished_at=None,
        )
    )


def beat(worker_id: str) -> None:
    """Record that this worker is alive."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": timezone.now()}
    )


def reclaim(*, own_worker_id: str | None = None) -> int:
    """Give back the RUNNING tasks whose worker is silent (no heartbeat for
    TADREEB_TASK_STALE_SECONDS), and those of ``own_worker_id`` (a worker that has
    just started again under that id cannot be running anything yet). A task that
    has used up its attempts is marked FAILED (WorkerLost) instead. Returns how many
    tasks were given back or failed."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.TADREEB_TASK_STALE_SECONDS)
    alive = set(
        TaskWorker.objects.filter(last_seen__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    alive.discard(own_worker_id)
    count = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for db_result in running:
            worker = db_result.worker_ids[-1] if db_result.worker_ids else None
            if worker in alive:
                continue
            if worker != own_worker_id and (db_result.started_at or now) > stale_before:
                # Started lately by a worker that has not beaten yet.
                continue
            attempt = attempts(db_result)
            if attempt >= settings.TADREEB_TASK_MAX_ATTEMPTS:
                db_result.status = TaskResultStatus.FAILED
                db_result.finished_at = now
                db_result.exception_class_path = WORKER_LOST
                db_result.traceback = (
                    f"{WORKER_LOST}: worker {worker} stopped while running "
                    f"attempt {attempt} of {settings.TADREEB_TASK_MAX_ATTEMPTS}\n"
                )
                db_result.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                    ]
                )
                logger.error(
                    "Task id=%s path=%s gave up: worker %s lost on attempt %d",
                    db_result.id,
                    db_result.task_path,
                    worker,
                    attempt,
                )
            else:
                db_result.status = TaskResultStatus.READY
                db_result.save(update_fields=["status"])
                logger.warning(
                    "Task id=%s path=%s given back: worker %s lost on attempt %d",
                    db_result.id,
                    db_result.task_path,
                    worker,
                    attempt,
                )
            count += 1
    return count
