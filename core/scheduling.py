"""Scheduled jobs: apps register a task to run once per period
(``register_job``, in their ``AppConfig.ready()``); ``manage.py run_scheduled_jobs``
(a systemd timer runs it every 15 minutes) enqueues each job whose current period
has not been claimed yet. The claim is an INSERT into a table unique on (job,
period), in the same transaction as the enqueue, so running the command twice, or
on two machines at once, enqueues each job once per period.

Periods are counted from 1970-01-01 00:00 UTC: a daily job's period starts at
midnight UTC."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    name: str
    task: object  # a django_tasks Task
    every: timedelta

    def period_start(self, now: datetime) -> datetime:
        periods = (now - EPOCH) // self.every
        return EPOCH + periods * self.every


_jobs: dict[str, Job] = {}


def register_job(name: str, task, *, every: timedelta = timedelta(days=1)) -> Job:
    """Run ``task`` (a django-tasks task taking no arguments) once per ``every``."""
    if every < timedelta(minutes=15):
        raise ValueError("Scheduled jobs run at most every 15 minutes")
    existing = _jobs.get(name)
    if existing and existing.task is not task:
        raise ValueError(f"A scheduled job named {name!r} is registered already")
    job = Job(name=name, task=task, every=every)
    _jobs[name] = job
    return job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue each job whose current period nobody has claimed; returns their
    names."""
    from .models import ScheduledJobRun

    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        try:
            with transaction.atomic():
                run = ScheduledJobRun.objects.create(
                    job=job.name, period_start=job.period_start(now), claimed_at=now
                )
                result = job.task.enqueue()
                run.task_result_id = str(result.id)[:64]
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # claimed already, here or on another machine
        enqueued.append(job.name)
    return enqueued
