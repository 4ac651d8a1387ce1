"""Submitting a quiz with questions left unanswered asks once: an inline message
with the count and "Submit anyway", reached with the keyboard alone; the second
submit goes through. Everything answered submits at once."""

import re

import pytest
from playwright.sync_api import expect

from courses import services
from quizzes.models import QuizAttempt
from tests.e2e.test_course_flow import sign_in
from tests.e2e.test_quiz_flow import answer


def open_attempt(page, officer, make_course, make_quiz):
    course = make_course("Quiz course", lessons=1)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    sign_in(page, officer.email)
    page.goto(quiz.url)
    page.get_by_role("button", name="Start attempt").click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unanswered_questions_are_counted_and_submit_anyway_goes_through(
    page, officer, make_course, make_quiz
):
    open_attempt(page, officer, make_course, make_quiz)
    attempt = QuizAttempt.objects.get(status="open")
    first = attempt.questions.order_by("position").first()
    right = next(c for c in first.choices.all() if c.is_correct)
    page.locator(f"#c-{right.pk}").check()

    page.get_by_role("button", name="Submit answers").click()

    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("Questions not answered: 2.")
    expect(page.get_by_text("Result of attempt 1")).to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.status == "open"

    # The keyboard alone: "Submit anyway" has the focus; Enter submits.
    anyway = page.get_by_role("button", name="Submit anyway")
    expect(anyway).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Result of attempt 1")).to_be_visible()
    assert re.search(r"\?attempt=1$", page.url)
    attempt.refresh_from_db()
    assert attempt.status != "open"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keep_answering_returns_to_the_first_unanswered_question(
    page, officer, make_course, make_quiz
):
    open_attempt(page, officer, make_course, make_quiz)

    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Questions not answered: 3.")
    page.keyboard.press("Tab")  # from "Submit anyway" to "Keep answering"
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_be_hidden()
    first_question = page.locator("li.quiz-question").first
    expect(first_question.locator("input[type=radio]").first).to_be_focused()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_everything_answered_submits_without_asking(
    page, officer, make_course, make_quiz
):
    open_attempt(page, officer, make_course, make_quiz)
    answer(page, right=True)

    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Passed: the pass mark is 60%.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit anyway")).to_have_count(0)
