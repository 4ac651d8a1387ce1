"""Background tasks: retries with back-off, giving up, reclaiming a dead worker's
task, and django-tasks-db's worker run for real against the test database."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import tasks
from core.models import TaskWorker
from tests.core.task_samples import always_fails, counts

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _db_tasks(settings, monkeypatch):
    # Inside the test's transaction the worker must not close the connection
    # between tasks (as it does, rightly, in production).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    settings.TASKS = DB_TASKS
    settings.TADREEB_TASK_MAX_ATTEMPTS = 3
    settings.TADREEB_TASK_RETRY_SECONDS = 30
    settings.TADREEB_TASK_STALE_SECONDS = 30


def run_worker(**options):
    call_command(
        "run_worker", batch=True, startup_delay=False, worker_id="w1", **options
    )


def make_due(result_id):
    DBTaskResult.objects.filter(id=result_id).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def test_a_failing_task_is_retried_with_back_off_then_gives_up():
    result = always_fails.enqueue("one")

    before = timezone.now()
    run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY
    assert tasks.attempts(row) == 1
    wait = (row.run_after - before).total_seconds()
    assert 29 <= wait <= 35  # 30 s after the first failure
    assert row.exception_class_path == "tests.core.task_samples.Broken"

    # Not due yet: the worker leaves it waiting.
    run_worker()
    assert tasks.attempts(DBTaskResult.objects.get(id=result.id)) == 1

    make_due(result.id)
    before = timezone.now()
    run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY
    assert tasks.attempts(row) == 2
    assert 59 <= (row.run_after - before).total_seconds() <= 65  # doubled

    make_due(result.id)
    run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.FAILED  # third of three: gave up
    assert tasks.attempts(row) == 3
    assert "broken one" in row.traceback
    assert tasks.last_error_message(row) == "tests.core.task_samples.Broken: broken one"
    assert list(tasks.gave_up()) == [row]


def test_the_real_worker_runs_queued_tasks_in_batch_mode():
    first = counts.enqueue("a")
    second = counts.enqueue("b")
    assert DBTaskResult.objects.get(id=first.id).status == TaskResultStatus.READY

    run_worker()

    for result in (first, second):
        row = DBTaskResult.objects.get(id=result.id)
        assert row.status == TaskResultStatus.SUCCESSFUL
        assert row.return_value == 1
        assert row.worker_ids == ["w1"]
    # A worker that exits cleanly leaves no heartbeat behind.
    assert not TaskWorker.objects.exists()


def running(worker_id, started_ago):
    result = counts.enqueue("stale")
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(seconds=started_ago),
    )
    return result


def test_a_task_of_a_silent_worker_is_given_back_and_runs_again():
    dead = running("dead-worker", started_ago=120)
    TaskWorker.objects.create(
        worker_id="dead-worker", last_seen=timezone.now() - timedelta(seconds=60)
    )
    alive = running("live-worker", started_ago=120)
    TaskWorker.objects.create(worker_id="live-worker", last_seen=timezone.now())

    assert tasks.reclaim() == 1
    assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=alive.id).status == TaskResultStatus.RUNNING

    run_worker()
    row = DBTaskResult.objects.get(id=dead.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert tasks.attempts(row) == 2  # the lost run counts
    assert row.worker_ids == ["dead-worker", "w1"]


def test_a_restarted_worker_takes_back_its_own_task_at_once():
    mine = running("w1", started_ago=1)  # heartbeat still fresh
    TaskWorker.objects.create(worker_id="w1", last_seen=timezone.now())

    run_worker()

    row = DBTaskResult.objects.get(id=mine.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["w1", "w1"]


def test_a_lost_task_without_attempts_left_is_failed_as_worker_lost():
    result = running("dead-worker", started_ago=120)
    DBTaskResult.objects.filter(id=result.id).update(worker_ids=["a", "b", "dead"])

    assert tasks.reclaim() == 1

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == tasks.WORKER_LOST
    assert "stopped while running attempt 3 of 3" in row.traceback


def test_retry_now_queues_a_task_that_gave_up_with_fresh_attempts():
    with override_settings(TADREEB_TASK_MAX_ATTEMPTS=1):
        result = always_fails.enqueue("x")
        run_worker()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.FAILED

    assert tasks.retry_now(row)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert tasks.attempts(row) == 0
    assert not tasks.retry_now(row)  # already queued
