"""Background work of the outbox and housekeeping (django-tasks)."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

OUTBOX_KEEP_DAYS = 90
TASK_RESULTS_KEEP_DAYS = 30


@task()
def deliver_email_task(outbound_email_id: int) -> bool:
    """Deliver one outbox e-mail; raises on failure so the queue retries it."""
    from .mail import deliver

    return deliver(outbound_email_id)


@task()
def prune_task() -> dict:
    """Delete sent outbox rows older than 90 days and, with django-tasks-db,
    finished task results older than 30 days."""
    from .models import OutboundEmail, ScheduledJobRun

    now = timezone.now()
    outbox, _ = OutboundEmail.objects.filter(
        sent_at__lt=now - timedelta(days=OUTBOX_KEEP_DAYS)
    ).delete()
    runs, _ = ScheduledJobRun.objects.filter(
        claimed_at__lt=now - timedelta(days=OUTBOX_KEEP_DAYS)
    ).delete()
    results = 0
    if apps.is_installed("django_tasks_db"):
        result_model = apps.get_model("django_tasks_db", "DBTaskResult")
        results, _ = result_model.objects.filter(
            status__in=["SUCCESSFUL", "FAILED"],
            finished_at__lt=now - timedelta(days=TASK_RESULTS_KEEP_DAYS),
        ).delete()
    return {"outbox": outbox, "job_runs": runs, "task_results": results}
