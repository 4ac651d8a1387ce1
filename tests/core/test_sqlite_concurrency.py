"""Several officers submit their quizzes at the same moment on the development
server's SQLite database: every submission succeeds and every attempt is closed.

The in-memory test database cannot show SQLite's file locking, so the officers
submit in a subprocess, through the real quiz view and the test client, from one
thread each, against a scratch SQLite *file* configured by the project's settings
(WAL journal, busy timeout, transactions that take the write lock when they begin).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
OFFICERS = 8

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's file locking is what this test stages",
)

SUBMIT_AT_ONCE = """
import json, threading
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from courses import services
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt
from tests.conftest import build_home_page
from tests.courses.conftest import build_catalogue, course_factory, quiz_factory
from tests.factories import UserFactory

OFFICERS = {officers}
home = build_home_page(None)
course = course_factory(build_catalogue(home))("Victim identification", lessons=1)
quiz = quiz_factory()(
    course,
    [
        ("single", [("Right", True), ("Wrong", False)], 1),
        ("essay", [], 2),
    ],
)
clients, forms = [], []
for number in range(OFFICERS):
    officer = UserFactory(email=f"officer{{number}}@example.org")
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    attempt = quiz_services.start_attempt(officer, quiz)
    data = {{"action": "submit", "questions": []}}
    for question in attempt.questions.prefetch_related("choices"):
        data["questions"].append(str(question.pk))
        if question.kind == "essay":
            data[f"essay-{{question.pk}}"] = "I would refer her to the shelter. " * 20
        else:
            data[f"q-{{question.pk}}"] = [
                str(c.pk) for c in question.choices.all() if c.is_correct
            ]
    client = Client()
    client.force_login(officer)
    clients.append(client)
    forms.append((reverse("quizzes:attempt_form", args=[attempt.pk]), data))
connections.close_all()

barrier = threading.Barrier(OFFICERS)
outcomes = [None] * OFFICERS

def submit(number):
    url, data = forms[number]
    try:
        barrier.wait()
        response = clients[number].post(url, data)
        outcomes[number] = response.status_code
    except Exception as exc:  # noqa: BLE001 - the outcome is what is reported
        outcomes[number] = f"{{type(exc).__name__}}: {{exc}}"
    finally:
        connections.close_all()

threads = [threading.Thread(target=submit, args=(n,)) for n in range(OFFICERS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=120)

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
attempts = QuizAttempt.objects.filter(quiz=quiz)
print("RESULT " + json.dumps({{
    "outcomes": outcomes,
    "journal_mode": journal,
    "open": attempts.filter(submitted_at__isnull=True).count(),
    "closed": attempts.filter(submitted_at__isnull=False).count(),
}}))
"""


def manage(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def submitted(tmp_path_factory) -> dict:
    """What happened when the officers submitted at once (see SUBMIT_AT_ONCE)."""
    folder = tmp_path_factory.mktemp("sqlite-concurrency")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"sqlite:///{folder / 'concurrency.sqlite3'}",
        "TADREEB_TEST_MEDIA_ROOT": str(folder / "media"),
        "TADREEB_TEST_CERTIFICATES_ROOT": str(folder / "private"),
    }
    manage(env, "migrate", "--no-input")
    output = manage(env, "shell", "-c", SUBMIT_AT_ONCE.format(officers=OFFICERS)).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_officers_submitting_at_once_all_reach_their_result_page(submitted):
    # 302: the view sends each officer on to the attempt's result page.
    assert submitted["outcomes"] == [302] * OFFICERS


def test_no_attempt_stays_open_after_simultaneous_submits(submitted):
    assert submitted["open"] == 0
    assert submitted["closed"] == OFFICERS


def test_the_sqlite_file_uses_the_write_ahead_log(submitted):
    # Readers (the pages officers browse meanwhile) never block the one writer.
    assert submitted["journal_mode"] == "wal"
