"""What the result page tells the officer: an attempt awaiting marking is not a
failure (no "attempts left"), a failed one counts the attempts left, a pass that
completes the course hands over the certificate."""

from dataclasses import replace

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses import services
from quizzes import services as quiz_services
from tests.courses.conftest import lessons, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def submit(client, attempt, answers):
    """Submit ``answers`` through the attempt form, as the browser does."""
    data = {"action": "submit", "questions": [a.attempt_question_id for a in answers]}
    for answer in answers:
        data[f"q-{answer.attempt_question_id}"] = list(answer.choice_ids)
        if answer.essay is not None:
            data[f"essay-{answer.attempt_question_id}"] = answer.essay
    return client.post(reverse("quizzes:attempt_form", args=[attempt.pk]), data)


def result_page(client, response):
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_an_attempt_awaiting_marking_says_so_and_offers_no_retry(
    client, officer, course, make_quiz
):
    quiz = make_quiz(
        course,
        [("single", [("Yes", True), ("No", False)], 1), ("essay", [], 3)],
        max_attempts=3,
    )
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    client.force_login(officer)

    body = result_page(client, submit(client, attempt, right_answers(attempt)))

    result = body[body.index('id="result-heading"') :]
    assert "Awaiting marking" in result
    assert "waiting to be marked by a trainer" in result
    assert "attempts left" not in body and "attempt left" not in body
    assert "Not passed" not in result
    assert "Start attempt" not in body


def test_a_failed_attempt_counts_the_attempts_left(client, officer, course, make_quiz):
    quiz = make_quiz(course, max_attempts=3)
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    client.force_login(officer)

    body = result_page(client, submit(client, attempt, wrong_answers(attempt)))

    assert "Not passed: the pass mark is 60%." in body
    assert "2 attempts left." in body
    assert "Your certificate" not in body


def test_passing_the_quiz_that_completes_the_course_links_the_certificate(
    client, officer, make_course, make_quiz, django_capture_on_commit_callbacks
):
    course = make_course("Quiz course", lessons=1)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, lessons(course)[0])
    attempt = quiz_services.start_attempt(officer, quiz)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, attempt, right_answers(attempt))
    body = result_page(client, response)

    certificate = Certificate.objects.get(enrolment=enrolment)
    assert "Passed: the pass mark is 60%." in body
    assert "Your certificate has been issued." in body
    assert reverse("certificates:download", args=[certificate.code]) in body
    assert reverse("certificates:verify_code", args=[certificate.code]) in body


def test_passing_before_the_lessons_are_done_says_what_remains(
    client, officer, course, make_quiz
):
    quiz = make_quiz(course)
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    client.force_login(officer)

    body = result_page(client, submit(client, attempt, right_answers(attempt)))

    assert "Passed: the pass mark is 60%." in body
    assert "Complete the remaining lessons of the course" in body
    assert "Your certificate has been issued." not in body


def test_without_the_script_unanswered_questions_submit_at_once(
    client, officer, course, make_quiz
):
    """The question is asked by a script; the form and the server are unchanged,
    so a browser without it submits as before."""
    quiz = make_quiz(course)
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    client.force_login(officer)

    page = client.get(quiz.url).content.decode()
    # One of three answered; the others are sent empty, as the form sends them.
    first, *others = right_answers(attempt)
    answers = [first, *(replace(a, choice_ids=()) for a in others)]
    body = result_page(client, submit(client, attempt, answers))

    assert "js/quiz-unanswered.js" in page
    assert "data-unanswered" in page and " hidden>" in page
    assert "Submit anyway" in page
    assert "Result of attempt 1" in body
