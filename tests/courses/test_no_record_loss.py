"""Training records are never lost by a click: pages and questions that carry them
cannot be deleted in the admin, one at a time or in bulk; the admin says why and what
to do instead, and Wagtail's usage counts show the records."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.models import Page

from accounts import roles
from certificates import services as certificates
from courses import services
from courses.models import Enrolment, LessonCompletion, LessonPage, Topic
from courses.wagtail_hooks import keep_records_in_bulk_delete
from quizzes import services as quiz_services
from quizzes.models import Question, QuizAttempt, QuizQuestion
from tests.courses.conftest import lessons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BULK_REFUSAL_QUERIES = 22  # one GROUP BY per kind of record, whatever the pages
REFUSAL_QUERIES = 21  # counts are COUNTs: one query per kind of record


@pytest.fixture
def superuser_client(client, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))
    return client


@pytest.fixture
def trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS, email="trainer@moi.gov.kw")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def complete_first_lesson(course, officer) -> LessonPage:
    lesson = lessons(course)[0]
    services.complete_lesson(services.enrol(officer, course), lesson)
    return lesson


def delete_page_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def bulk_delete_pages_url(*pages) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    return (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?{ids}"
    )


# --- Pages -----------------------------------------------------------------------


def test_lesson_with_completions_is_not_deleted(superuser_client, course, officer):
    lesson = complete_first_lesson(course, officer)

    response = superuser_client.post(delete_page_url(lesson))

    assert response.status_code == 409
    assert "1 lesson completion" in response.content.decode()
    assert Page.objects.filter(pk=lesson.pk).exists()
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1


def test_delete_screen_of_lesson_with_completions_offers_unpublishing(
    superuser_client, course, officer
):
    lesson = complete_first_lesson(course, officer)

    response = superuser_client.get(delete_page_url(lesson))

    content = response.content.decode()
    assert response.status_code == 200
    assert "cannot be deleted" in content
    assert "Yes, delete it" not in content
    assert reverse("wagtailadmin_pages:unpublish", args=[lesson.pk]) in content


def test_course_whose_lesson_carries_completions_is_not_deleted(
    superuser_client, course, officer
):
    lesson = complete_first_lesson(course, officer)
    # The completion is on the lesson below: the course answers for its descendants.

    response = superuser_client.post(delete_page_url(course))

    assert response.status_code == 409
    assert "1 lesson completion" in response.content.decode()
    assert Page.objects.filter(pk__in=[course.pk, lesson.pk]).count() == 2


def test_quiz_with_attempts_is_refused_instead_of_failing(
    superuser_client, course, officer, make_quiz
):
    quiz = make_quiz(course)
    services.enrol(officer, course)
    quiz_services.start_attempt(officer, quiz)

    response = superuser_client.post(delete_page_url(quiz))

    assert response.status_code == 409
    assert "1 quiz attempt" in response.content.decode()
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_course_with_a_certificate_names_it_on_the_refusal(
    superuser_client, make_course, officer
):
    course = make_course(lessons=1)
    complete_first_lesson(course, officer)
    certificates.issue_certificate(Enrolment.objects.get(course=course, user=officer))

    response = superuser_client.post(delete_page_url(course))

    assert response.status_code == 409
    assert "1 certificate" in response.content.decode()


def test_trainer_cannot_delete_an_unpublished_lesson_with_completions(
    trainer_client, course, officer
):
    lesson = complete_first_lesson(course, officer)
    lesson.unpublish()  # a trainer may delete unpublished leaf pages

    response = trainer_client.post(delete_page_url(lesson))

    assert response.status_code == 409
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1


def test_trainer_still_deletes_an_unpublished_lesson_without_records(
    trainer_client, course
):
    lesson = lessons(course)[1]
    lesson.unpublish()

    response = trainer_client.post(delete_page_url(lesson))

    assert response.status_code == 302
    assert not Page.objects.filter(pk=lesson.pk).exists()


def test_page_without_records_is_still_deleted(superuser_client, course, officer):
    complete_first_lesson(course, officer)
    untouched = lessons(course)[1]

    response = superuser_client.post(delete_page_url(untouched))

    assert response.status_code == 302
    assert not Page.objects.filter(pk=untouched.pk).exists()


def test_bulk_delete_of_pages_deletes_nothing_when_one_carries_records(
    superuser_client, course, officer
):
    held = complete_first_lesson(course, officer)
    free = lessons(course)[1]

    response = superuser_client.post(bulk_delete_pages_url(held, free))

    content = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was deleted" in content
    assert held.title in content
    assert Page.objects.filter(pk__in=[held.pk, free.pk]).count() == 2


def test_bulk_delete_of_pages_without_records_still_works(
    superuser_client, course, officer
):
    complete_first_lesson(course, officer)
    first_free, second_free = lessons(course)[1], LessonPage(title="Extra")
    course.add_child(instance=second_free)

    response = superuser_client.post(bulk_delete_pages_url(first_free, second_free))

    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=[first_free.pk, second_free.pk]).exists()


def test_moving_a_lesson_with_completions_is_still_allowed(
    superuser_client, make_course, officer
):
    course = make_course()
    other = make_course(title="Labour rights")
    lesson = complete_first_lesson(course, officer)

    response = superuser_client.post(
        reverse("wagtailadmin_pages:move_confirm", args=[lesson.pk, other.pk])
    )

    assert response.status_code == 302
    assert Page.objects.get(pk=lesson.pk).get_parent().pk == other.pk


def test_database_refuses_to_cascade_a_lesson_into_its_completions(course, officer):
    lesson = complete_first_lesson(course, officer)

    with pytest.raises(ProtectedError):
        LessonPage.objects.filter(pk=lesson.pk).delete()


# --- Usage counts -------------------------------------------------------------------


def test_lesson_usage_counts_its_completions(superuser_client, make_course, officer):
    course = make_course()
    lesson = complete_first_lesson(course, officer)
    services.complete_lesson(
        services.enrol(UserFactory(ministry=officer.ministry), course), lesson
    )

    response = superuser_client.get(
        reverse("wagtailadmin_pages:usage", args=[lesson.pk])
    )

    assert response.status_code == 200
    assert response.content.decode().count("Lesson completion") == 2


def test_unpublish_screen_says_how_often_the_lesson_is_referenced(
    superuser_client, course, officer
):
    lesson = complete_first_lesson(course, officer)

    response = superuser_client.get(
        reverse("wagtailadmin_pages:unpublish", args=[lesson.pk])
    )

    assert "referenced 1 time" in response.content.decode()


def test_bulk_delete_screen_explains_instead_of_confirming(
    superuser_client, course, officer
):
    lesson = complete_first_lesson(course, officer)

    response = superuser_client.get(bulk_delete_pages_url(lesson))

    content = response.content.decode()
    assert response.status_code == 200
    assert "cannot be deleted" in content
    assert "Yes, delete" not in content


def test_course_usage_counts_enrolments_without_naming_certificates(
    trainer_client, make_course, officer
):
    course = make_course(lessons=1)
    complete_first_lesson(course, officer)
    certificate = certificates.issue_certificate(
        Enrolment.objects.get(course=course, user=officer)
    )

    response = trainer_client.get(reverse("wagtailadmin_pages:usage", args=[course.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Enrolment" in content
    # A code leads to the officer's name on the public verification page.
    assert certificate.code not in content


# --- Questions ----------------------------------------------------------------------


def asked_question(course, officer, make_quiz) -> Question:
    """A question asked in an attempt, then taken off its quiz."""
    quiz = make_quiz(course)
    services.enrol(officer, course)
    quiz_services.start_attempt(officer, quiz)
    question = Question.objects.filter(quiz_uses__quiz=quiz).first()
    QuizQuestion.objects.filter(question=question).delete()
    return question


def test_question_asked_in_attempts_is_not_deleted(
    superuser_client, course, officer, make_quiz
):
    question = asked_question(course, officer, make_quiz)

    response = superuser_client.post(
        reverse("wagtailsnippets_quizzes_question:delete", args=[question.pk])
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "1 answer in quiz attempts" in content
    assert (
        reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]) in content
    )
    assert Question.objects.filter(pk=question.pk).exists()


def test_question_listed_in_a_quiz_is_refused_instead_of_failing(
    superuser_client, course, make_quiz
):
    quiz = make_quiz(course)
    question = Question.objects.filter(quiz_uses__quiz=quiz).first()

    response = superuser_client.post(
        reverse("wagtailsnippets_quizzes_question:delete", args=[question.pk])
    )

    assert response.status_code == 409
    assert "listed in 1 quiz" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_unused_question_is_still_deleted(superuser_client):
    question = Question.objects.create(kind="essay", text="<p>Describe.</p>")

    response = superuser_client.post(
        reverse("wagtailsnippets_quizzes_question:delete", args=[question.pk])
    )

    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_trainer_may_not_delete_questions(trainer_client):
    question = Question.objects.create(kind="essay", text="<p>Describe.</p>")

    response = trainer_client.post(
        reverse("wagtailsnippets_quizzes_question:delete", args=[question.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Question.objects.filter(pk=question.pk).exists()


def test_question_usage_counts_the_attempts_it_was_asked_in(
    superuser_client, course, officer, make_quiz
):
    question = asked_question(course, officer, make_quiz)

    response = superuser_client.get(
        reverse("wagtailsnippets_quizzes_question:usage", args=[question.pk])
    )

    assert response.status_code == 200
    assert "Attempt question" in response.content.decode()


def test_enrolment_keeps_its_course_in_the_database(course, officer):
    services.enrol(officer, course)

    with pytest.raises(ProtectedError):
        Page.objects.filter(pk=course.pk).delete()
    assert Enrolment.objects.filter(course=course).exists()


# --- Snippets and any other bulk delete ----------------------------------------------


def test_topic_snippet_without_records_is_still_deleted(superuser_client, topic):
    response = superuser_client.post(
        reverse("wagtailsnippets_courses_topic:delete", args=[topic.pk])
    )

    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_any_bulk_delete_of_objects_with_records_is_refused(
    rf, course, officer, make_quiz
):
    question = asked_question(course, officer, make_quiz)
    request = rf.post("/admin/bulk/")
    request.user = UserFactory(ministry=officer.ministry, is_superuser=True)

    response = keep_records_in_bulk_delete(request, "delete", [question], None)

    assert response.status_code == 409
    assert Question.objects.filter(pk=question.pk).exists()


def test_refusal_screen_queries_do_not_grow_with_the_records(
    superuser_client, make_course, moi, django_assert_max_num_queries
):
    course = make_course(lessons=1)
    lesson = lessons(course)[0]
    for _ in range(5):
        services.complete_lesson(
            services.enrol(UserFactory(ministry=moi), course), lesson
        )

    with django_assert_max_num_queries(REFUSAL_QUERIES):
        response = superuser_client.get(delete_page_url(lesson))

    assert "5 lesson completions" in response.content.decode()


def test_bulk_refusal_queries_do_not_grow_with_the_pages(
    superuser_client, make_course, officer, django_assert_max_num_queries
):
    course = make_course(lessons=4)
    enrolment = services.enrol(officer, course)
    held = lessons(course)[:3]
    for lesson in held:
        services.complete_lesson(enrolment, lesson)

    with django_assert_max_num_queries(BULK_REFUSAL_QUERIES):
        response = superuser_client.post(bulk_delete_pages_url(*held))

    assert response.status_code == 409
    assert response.content.decode().count("1 lesson completion") == 3
