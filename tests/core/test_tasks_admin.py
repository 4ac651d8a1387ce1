"""The "Background tasks" report: superusers see the tasks that gave up, with the
traceback, and can queue one again; trainers and officers cannot."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import roles
from tests.core.task_samples import always_fails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/tasks/failed/"


@pytest.fixture
def gave_up(settings, monkeypatch):
    # Inside the test's transaction the worker must not close the connection
    # between tasks (as it does, rightly, in production).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.TADREEB_TASK_MAX_ATTEMPTS = 1
    result = always_fails.enqueue("report")
    call_command("run_worker", batch=True, startup_delay=False, worker_id="w1")
    return DBTaskResult.objects.get(id=result.id)


def test_a_superuser_sees_the_task_that_gave_up_and_retries_it(client, gave_up, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True, is_staff=True))

    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "tests.core.task_samples.always_fails" in text
    assert "Broken: broken report" in text

    detail = client.get(f"{URL}{gave_up.id}/")
    assert detail.status_code == 200
    assert "Traceback" in detail.content.decode()

    response = client.post(f"{URL}{gave_up.id}/", follow=True)
    assert "The task is queued again." in response.content.decode()
    gave_up.refresh_from_db()
    assert gave_up.status == TaskResultStatus.READY
    assert "always_fails" not in client.get(URL).content.decode()


def test_a_malformed_or_unknown_id_is_not_found(client, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True, is_staff=True))
    assert client.get(f"{URL}not-a-uuid/").status_code == 404
    assert client.get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("role", [roles.TRAINERS, roles.CERTIFICATE_OFFICERS])
def test_trainers_and_officers_are_refused(client, gave_up, moi, role):
    client.force_login(UserFactory(ministry=moi, role=role))
    for response in (client.get(URL), client.post(f"{URL}{gave_up.id}/")):
        assert response.status_code in (302, 403)
    gave_up.refresh_from_db()
    assert gave_up.status == TaskResultStatus.FAILED
