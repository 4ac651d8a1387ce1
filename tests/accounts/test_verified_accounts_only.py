"""Only accounts with a confirmed address act, even with a session made some other
way than allauth's sign-in (which lets no unverified account in)."""

import json

import pytest
from allauth.account.models import EmailAddress

from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrolment
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(moi):
    return UserFactory(ministry=moi, email="newcomer@moi.gov.kw", verified=False)


def test_an_unverified_account_cannot_start_a_course(client, unverified, course):
    client.force_login(unverified)

    response = client.post(course.url)

    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.content.decode()
    assert not Enrolment.objects.filter(user=unverified).exists()


def test_an_unverified_account_cannot_complete_a_lesson(client, unverified, course):
    enrolment = course_services.enrol(unverified, course)
    lesson = course_services.lessons_of(course)[0]
    client.force_login(unverified)

    response = client.post(lesson.url)

    assert response.status_code == 403
    assert not enrolment.lesson_completions.exists()


def test_an_unverified_account_cannot_start_a_quiz_attempt(
    client, unverified, course, make_quiz
):
    quiz = make_quiz(course)
    course_services.enrol(unverified, course)
    client.force_login(unverified)

    response = client.post(quiz.url, {"action": "start"})

    assert response.status_code == 403
    assert not QuizAttempt.objects.filter(user=unverified).exists()


def test_an_unverified_account_cannot_save_or_submit_answers(
    client, moi, course, make_quiz
):
    officer = UserFactory(ministry=moi, email="changed@moi.gov.kw")
    quiz = make_quiz(course)
    course_services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    EmailAddress.objects.filter(user=officer).update(verified=False)
    client.force_login(officer)

    saved = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/",
        json.dumps({"answers": []}),
        content_type="application/json",
    )
    submitted = client.post(f"/quiz-attempts/{attempt.pk}/", {"action": "submit"})

    assert saved.status_code == 403
    assert "Confirm your e-mail address" in saved.json()["error"]
    assert submitted.status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_an_unverified_account_cannot_download_its_certificate(
    client, moi, make_course, django_capture_on_commit_callbacks
):
    officer = UserFactory(ministry=moi, email="holder@moi.gov.kw")
    course = make_course("One lesson", lessons=1)
    enrolment = course_services.enrol(officer, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    certificate = Certificate.objects.get(enrolment=enrolment)
    EmailAddress.objects.filter(user=officer).update(verified=False)
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_a_verified_account_starts_a_course(client, officer, course):
    client.force_login(officer)

    response = client.post(course.url)

    assert response.status_code == 302
    assert Enrolment.objects.filter(user=officer).exists()
