import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lms.settings.logging_config import logging_config

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.mark.django_db
def test_healthz_reports_each_part_and_is_cheap(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "tasks": {"oldest_waiting_seconds": None},
    }
    assert len(queries) == 1  # SELECT 1 (immediate backend: no queue query)


@pytest.mark.django_db
def test_healthz_reports_oldest_waiting_task(client):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    with override_settings(TASKS=DB_TASKS):
        DBTaskResult.objects.create(
            status="READY",
            task_path="x.y",
            args_kwargs={},
            queue_name="default",
            backend_name="default",
            run_after=get_date_max(),
            priority=0,
        )
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=120))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/healthz/")
    assert response.status_code == 200
    assert 119 <= response.json()["tasks"]["oldest_waiting_seconds"] <= 130
    assert len(queries) == 2


@pytest.mark.django_db
def test_healthz_503_when_cache_fails(client, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["cache"] == "unavailable"


@pytest.mark.django_db
def test_detail_hidden_from_anonymous_and_wrong_token(client):
    assert client.get("/healthz/detail/").status_code == 404
    with override_settings(HEALTH_CHECK_TOKEN="s3cret-token"):
        bad = client.get("/healthz/detail/", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 404


@pytest.mark.django_db
def test_detail_with_token_lists_checks(client):
    with override_settings(HEALTH_CHECK_TOKEN="s3cret-token"):
        response = client.get(
            "/healthz/detail/?format=json", HTTP_AUTHORIZATION="Bearer s3cret-token"
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert any("TaskQueue" in name for name in body)
    assert any("Disk" in name for name in body)
    assert all(value == "OK" for value in body.values())


@pytest.mark.django_db
def test_detail_for_superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        email="root@x.kw", password="pw-long-enough"
    )
    client.force_login(user)
    assert client.get("/healthz/detail/?format=json").status_code == 200


@pytest.mark.django_db
def test_json_logs_carry_request_id_and_no_email_or_query(client):
    stream = io.StringIO()
    logging.config.dictConfig(logging_config("json", stream=stream))
    try:
        response = client.get(
            "/en/no-such-page/?email=a@b.kw", HTTP_X_REQUEST_ID="req-12345678"
        )
        logging.getLogger("accounts").warning(
            "Sign-in failed for %s", "someone@moi.gov.kw"
        )
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert response["X-Request-ID"] == "req-12345678"
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line]
    assert lines
    assert any(line["logger"] == "django.request" for line in lines)
    for line in lines:
        assert {"timestamp", "level", "logger", "message", "request_id"} <= set(line)
    text = stream.getvalue()
    assert "a@b.kw" not in text and "moi.gov.kw" not in text and "email=" not in text


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz/", HTTP_X_REQUEST_ID="bad id\nforged")
    assert response["X-Request-ID"] != "bad id\nforged"
    assert len(response["X-Request-ID"]) == 32


def test_probes_side_by_side_do_not_report_the_cache_down(monkeypatch):
    """Another probe writes between this one's write and read (as concurrent
    requests do): each still finds its own value."""
    from django.core.cache import cache

    from core import health

    real_set = cache.set
    nested = []

    def set_then_another_probe(*args, **kwargs):
        real_set(*args, **kwargs)
        if not nested:
            nested.append(None)
            nested[0] = health.check_cache()

    monkeypatch.setattr(cache, "set", set_then_another_probe)

    assert health.check_cache() == health.OK
    assert nested == [health.OK]
