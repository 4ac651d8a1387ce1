"""Two requests at once on the same attempt: the database decides, once.

Needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there and
writers are serialised by a file lock), so the race cannot be staged on it. CI runs
the suite on PostgreSQL too, where these tests run.
"""

import threading

import pytest
from django.db import connection, connections

from courses import services
from courses.signals import enrolment_completed
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt
from tests.courses.conftest import lessons, right_answers

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locking can only be raced on PostgreSQL (CI runs it there)",
    ),
]


def race(target, count=2):
    """Run ``target`` in ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", target()))
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            outcomes.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_simultaneous_submits_score_the_attempt_once(officer, course, make_quiz):
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    for lesson in lessons(course):
        services.complete_lesson(enrolment, lesson)
    attempt = quiz_services.start_attempt(officer, quiz)
    answers = right_answers(attempt)
    announced = []
    enrolment_completed.connect(
        lambda sender, enrolment, **kw: announced.append(enrolment.pk),
        weak=False,
        dispatch_uid="race-test",
    )
    try:
        outcomes = race(
            lambda: quiz_services.submit_attempt(attempt.pk, officer, answers)
        )
    finally:
        enrolment_completed.disconnect(dispatch_uid="race-test")

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, quiz_services.AttemptClosed)
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert QuizAttempt.objects.filter(user=officer, quiz=quiz).count() == 1
    assert announced == [enrolment.pk]


def test_two_simultaneous_starts_open_one_attempt(officer, course, make_quiz):
    quiz = make_quiz(course)
    services.enrol(officer, course)

    outcomes = race(lambda: quiz_services.start_attempt(officer, quiz).pk)

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert outcomes[0][1] == outcomes[1][1]
    assert QuizAttempt.objects.filter(user=officer, quiz=quiz).count() == 1
