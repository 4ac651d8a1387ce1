"""The course pages as officers and trainers see them: trees, access, budgets."""

import re
from urllib.parse import unquote

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from core.models import HomePage
from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonCompletion, LessonPage
from quizzes.models import QuizPage
from tests.courses.conftest import lessons, require
from tests.factories import UserFactory


class PageTreeTests(WagtailPageTestCase, TestCase):
    def test_catalogue_lives_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})

    def test_catalogue_holds_courses_only(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_courses_hold_lessons_and_a_quiz(self):
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})
        self.assertCanNotCreateAt(HomePage, CoursePage)

    def test_lessons_hold_nothing_and_live_in_courses(self):
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})


pytestmark = pytest.mark.django_db


def test_catalogue_and_course_page_are_public(client, course):
    assert client.get("/courses/").status_code == 200
    response = client.get(course.url)
    assert response.status_code == 200
    assert "Sign in to start" in response.content.decode()


def test_anonymous_reader_is_sent_from_a_lesson_to_the_course(client, course):
    lesson = lessons(course)[0]

    response = client.get(lesson.url, follow=True)

    assert response.redirect_chain[-1][0] == course.url
    body = response.content.decode()
    assert "Sign in to take this lesson." in body
    # The sign-in link brings the reader back to this very lesson.
    link = re.search(r'href="([^"]*/accounts/login/\?next=[^"]*)"', body)
    assert link, "a sign-in link"
    assert unquote(link[1].split("next=")[1]).endswith(lesson.url.lstrip("/"))


def test_signed_in_officer_not_enrolled_is_sent_to_the_course(client, officer, course):
    client.force_login(officer)

    response = client.get(lessons(course)[0].url, follow=True)

    assert response.redirect_chain[-1][0] == course.url
    assert "Start the course to read its lessons." in response.content.decode()


def test_start_course_enrols_and_opens_the_first_lesson(client, officer, course):
    client.force_login(officer)

    response = client.post(course.url)

    assert response.status_code == 302
    assert response["Location"] == lessons(course)[0].url
    assert services.get_enrolment(officer, course) is not None


def test_start_course_with_missing_prerequisite_names_and_links_it(
    client, officer, make_course
):
    basics = make_course("Basics")
    advanced = make_course("Advanced")
    require(advanced, basics)
    client.force_login(officer)

    response = client.post(advanced.url, follow=True)

    body = response.content.decode()
    assert "Complete these courses before starting this one: Basics." in body
    assert f'href="{basics.url}"' in body
    assert services.get_enrolment(officer, advanced) is None


def test_anonymous_start_course_goes_to_sign_in(client, course):
    response = client.post(course.url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_lesson_page_shows_position_and_neighbours(client, officer, make_course):
    course = make_course("Five", lessons=5)
    services.enrol(officer, course)
    client.force_login(officer)
    second = lessons(course)[1]

    body = client.get(second.url).content.decode()

    assert "Lesson 2 of 5" in body
    assert "Previous: <bdi>Five: lesson 1</bdi>" in body
    assert "Next: <bdi>Five: lesson 3</bdi>" in body
    assert "Text of lesson 2 of Five." in body


def test_mark_complete_twice_records_one_completion_and_moves_on(
    client, officer, course
):
    enrolment = services.enrol(officer, course)
    client.force_login(officer)
    first, second = lessons(course)

    one = client.post(first.url)
    two = client.post(first.url)

    assert one["Location"] == two["Location"] == second.url
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_completing_the_last_lesson_completes_the_course(client, officer, course):
    services.enrol(officer, course)
    client.force_login(officer)
    for lesson in lessons(course):
        response = client.post(lesson.url)

    assert response["Location"] == course.url
    page = client.get(course.url).content.decode()
    assert "You completed this course on" in page
    assert "2 of 2 lessons completed" in page


def test_course_page_offers_to_continue_where_the_officer_left_off(
    client, officer, course
):
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, lessons(course)[0])
    client.force_login(officer)

    body = client.get(course.url).content.decode()

    assert "1 of 2 lessons completed" in body
    assert "Continue where you left off" in body
    assert f'href="{lessons(course)[1].url}"' in body


def test_catalogue_puts_courses_for_the_officers_cadre_first(client, make_course, moi):
    make_course("General course")
    make_course("Police course", audiences=["police"])
    client.force_login(UserFactory(ministry=moi, cadre="police"))

    body = client.get("/courses/").content.decode()

    assert body.index("Police course") < body.index("General course")
    assert "Recommended for you" in body


def test_catalogue_filters_by_audience_topic_and_words(client, make_course, topic):
    make_course("Labour inspection", audiences=["labour_inspector"], topics=[topic])
    make_course("Consular work", audiences=["diplomat"])

    by_audience = client.get("/courses/", {"audience": "diplomat"}).content.decode()
    by_topic = client.get("/courses/", {"topic": topic.slug}).content.decode()
    by_words = client.get("/courses/", {"q": "inspection"}).content.decode()

    assert "Consular work" in by_audience and "Labour inspection" not in by_audience
    assert "Labour inspection" in by_topic and "Consular work" not in by_topic
    assert "Labour inspection" in by_words and "Consular work" not in by_words


def test_catalogue_finds_the_beginning_of_a_word(client, make_course, topic):
    """An officer who types part of a word ("inspect", "consul") finds the course."""
    make_course("Labour inspection", audiences=["labour_inspector"], topics=[topic])
    make_course("Consular work", audiences=["diplomat"])

    by_part = client.get("/courses/", {"q": "inspect"}).content.decode()
    by_topic_part = client.get("/courses/", {"q": topic.name[:4]}).content.decode()

    assert "Labour inspection" in by_part and "Consular work" not in by_part
    assert "Labour inspection" in by_topic_part


def test_catalogue_ignores_an_unknown_audience(client, course):
    response = client.get("/courses/", {"audience": "astronaut"})

    assert response.status_code == 200
    assert course.title in response.content.decode()


def test_dashboard_needs_sign_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_progress_and_due_date(client, officer, course):
    import datetime

    enrolment = services.enrol(officer, course)
    enrolment.due_date = datetime.date(2020, 1, 15)
    enrolment.save()
    client.force_login(officer)

    body = client.get("/dashboard/").content.decode()

    assert course.title in body
    assert "0 of 2 lessons completed" in body
    assert "Overdue" in body and "15 January 2020" in body


def test_home_page_features_published_courses(client, course):
    assert course.title in client.get("/").content.decode()


# Query budgets: independent of the number of lessons and enrolments.


@pytest.fixture
def busy_course(make_course, officer, moi):
    course = make_course("Busy", lessons=8)
    for other in UserFactory.create_batch(5, ministry=moi):
        services.enrol(other, course)
    enrolment = services.enrol(officer, course)
    for lesson in lessons(course)[:3]:
        services.complete_lesson(enrolment, lesson)
    return course


def test_course_page_query_budget(
    client, officer, busy_course, django_assert_max_num_queries
):
    client.force_login(officer)
    client.get(busy_course.url)

    # 13: Wagtail's routing looks up the active locale (``root_page.localized``,
    # one query) since WAGTAIL_I18N_ENABLED.
    # +1 since the Arabic site: the language switch looks up the page's translations.
    with django_assert_max_num_queries(14):
        assert client.get(busy_course.url).status_code == 200


def test_lesson_page_query_budget(
    client, officer, busy_course, django_assert_max_num_queries
):
    client.force_login(officer)
    lesson = lessons(busy_course)[4]
    client.get(lesson.url)

    # +1 since the Arabic site: the language switch looks up the page's translations.
    with django_assert_max_num_queries(13):
        assert client.get(lesson.url).status_code == 200


def test_dashboard_query_budget(
    client, officer, busy_course, make_course, django_assert_max_num_queries
):
    for n in range(4):
        services.enrol(officer, make_course(f"Extra {n}", lessons=3))
    client.force_login(officer)
    client.get("/dashboard/")

    with django_assert_max_num_queries(15):
        assert client.get("/dashboard/").status_code == 200


def test_catalogue_query_budget(
    client, officer, busy_course, make_course, topic, django_assert_max_num_queries
):
    for n in range(5):
        make_course(f"Extra {n}", lessons=1, topics=[topic])
    client.force_login(officer)
    client.get("/en/courses/")

    with django_assert_max_num_queries(12):
        assert client.get("/en/courses/").status_code == 200
