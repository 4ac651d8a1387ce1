"""Scheduled jobs: each enqueued once per period, whatever the number of runs."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django_tasks import task

from core import scheduling
from core.models import ScheduledJobRun

pytestmark = pytest.mark.django_db

RUNS = []


@task()
def count_task() -> int:
    RUNS.append(1)
    return len(RUNS)


@pytest.fixture
def only_test_job(monkeypatch):
    monkeypatch.setattr(scheduling, "_jobs", {})
    RUNS.clear()
    scheduling.register_job("test.count", count_task, every=timedelta(days=1))


def test_apps_register_the_daily_jobs():
    names = {job.name for job in scheduling.jobs()}
    assert {
        "core.prune",
        "certificates.expiry_reminders",
        "reporting.assignment_reminders",
    } <= names


def test_a_job_is_enqueued_once_per_period(only_test_job):
    morning = datetime(2026, 12, 2, 6, tzinfo=UTC)

    assert scheduling.run_due_jobs(morning) == ["test.count"]
    assert scheduling.run_due_jobs(morning + timedelta(hours=5)) == []  # same day
    assert RUNS == [1]
    assert scheduling.run_due_jobs(morning + timedelta(days=1)) == ["test.count"]
    assert len(RUNS) == 2
    assert ScheduledJobRun.objects.filter(job="test.count").count() == 2


def test_a_period_claimed_on_another_machine_is_not_enqueued_here(only_test_job):
    now = datetime(2026, 12, 2, 6, tzinfo=UTC)
    job = scheduling.jobs()[0]
    ScheduledJobRun.objects.create(
        job=job.name, period_start=job.period_start(now), claimed_at=now
    )
    assert scheduling.run_due_jobs(now) == []
    assert RUNS == []


def test_command_runs_due_jobs_and_lists_them(only_test_job):
    out = io.StringIO()
    call_command("run_scheduled_jobs", stdout=out)
    call_command("run_scheduled_jobs", stdout=out)
    assert out.getvalue().splitlines() == ["Enqueued test.count", "Nothing due"]
    assert RUNS == [1]

    listing = io.StringIO()
    call_command("run_scheduled_jobs", "--list", stdout=listing)
    assert listing.getvalue().startswith("test.count\tevery 1 day, 0:00:00\tlast run: ")
    assert "never" not in listing.getvalue()


def test_jobs_more_often_than_every_15_minutes_are_refused(only_test_job):
    with pytest.raises(ValueError):
        scheduling.register_job("x", count_task, every=timedelta(minutes=5))
