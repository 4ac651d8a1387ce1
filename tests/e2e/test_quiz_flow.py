"""An officer takes the quiz, fails, is told when the next attempt opens, passes on
a later attempt, and the course shows as completed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import services
from quizzes.models import QuizAttempt
from tests.e2e.test_course_flow import sign_in


def answer(page, right: bool):
    """Tick the right (or a wrong) choice of every question, as read from the
    database: the page itself never says which choice is right."""
    attempt = QuizAttempt.objects.filter(status="open").get()
    for question in attempt.questions.prefetch_related("choices"):
        choices = [c for c in question.choices.all() if c.is_correct == right]
        for choice in (
            choices[:1] if question.kind != "multiple" or not right else choices
        ):
            page.locator(f"#c-{choice.pk}").check()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_fails_waits_then_passes_and_completes_the_course(
    page, officer, make_course, make_quiz
):
    course = make_course("Quiz course", lessons=1)
    quiz = make_quiz(course, cooldown_minutes=60, max_attempts=3)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    sign_in(page, officer.email)

    page.goto(course.url)
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Start attempt").click()
    answer(page, right=False)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Not passed: the pass mark is 60%.")).to_be_visible()
    expect(page.get_by_text("Your next attempt opens at").first).to_be_visible()
    expect(page.get_by_role("button", name="Start attempt")).to_have_count(0)

    # An hour passes.
    QuizAttempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    page.goto(quiz.url)
    page.get_by_role("button", name="Start attempt").click()
    answer(page, right=True)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Passed: the pass mark is 60%.")).to_be_visible()
    page.get_by_role("link", name="Back to the course").click()
    expect(page.get_by_text("You completed this course on")).to_be_visible()
    expect(page.get_by_text("Quiz: passed")).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_autosave_does_not_take_the_officer_away_from_the_result(
    page, officer, make_course, make_quiz
):
    """An officer ticks an answer and submits at once: the autosave of that tick
    answers after the submission (409, the attempt is closed). The officer still
    lands on the result, not on a reloaded quiz page."""
    course = make_course("Quiz course", lessons=1)
    make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    sign_in(page, officer.email)
    page.goto(course.url)
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Start attempt").click()

    held = []
    page.route("**/answers/", lambda route: held.append(route))
    answer(page, right=True)
    page.wait_for_timeout(200)
    assert held, "the ticks were autosaved"
    page.get_by_role("button", name="Submit answers").click(no_wait_after=True)
    for route in held:
        route.fulfill(
            status=409,
            content_type="application/json",
            body='{"error": "This attempt is already submitted."}',
        )

    expect(page.get_by_text("Passed: the pass mark is 60%.")).to_be_visible()
    assert "?attempt=1" in page.url
