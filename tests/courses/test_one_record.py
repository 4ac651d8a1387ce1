"""A course and its Arabic translation are one course: whatever language the officer
reads it in, the enrolment, the lessons done, the completion, the certificate and the
statistics are the source course's (issue 13, "one record")."""

import re

import pytest
from django.urls import reverse

from accounts.access import Scope
from certificates.models import Certificate
from courses.models import Enrolment, LessonCompletion
from reporting import filters, stats
from reporting.filters import StatsFilter
from tests.conftest import in_language
from tests.courses.conftest import lessons

pytestmark = pytest.mark.django_db

AR = {"HTTP_ACCEPT_LANGUAGE": "ar"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def done_titles(response) -> list[str]:
    """The titles of the lessons the course page marks as completed."""
    html = response.content.decode()
    return re.findall(r'<li class="is-done">\s*<a href="[^"]*">(?:<bdi>)?([^<]+)', html)


@pytest.fixture
def started(client, officer, arabic_course):
    """The officer enrolled from the Arabic course page."""
    source, arabic = arabic_course
    client.force_login(officer)
    response = client.post(arabic.url, **AR)
    assert response.status_code == 302
    return source, arabic


def test_enrolling_from_the_arabic_page_enrols_in_the_source_course(officer, started):
    source, arabic = started
    assert list(Enrolment.objects.filter(user=officer).values_list("course_id")) == [
        (source.pk,)
    ]


def test_lessons_done_in_either_language_count_for_one_course(client, officer, started):
    source, arabic = started
    arabic_lessons, english_lessons = lessons(arabic), lessons(source)
    assert client.post(arabic_lessons[0].url, **AR).status_code == 302
    assert client.post(english_lessons[1].url, **EN).status_code == 302

    assert set(
        LessonCompletion.objects.filter(enrolment__user=officer).values_list(
            "lesson_id", flat=True
        )
    ) == {english_lessons[0].pk, english_lessons[1].pk}

    in_arabic = client.get(in_language(arabic.url, "ar"), **AR)
    progress = in_arabic.context["overview"].progress
    assert (progress.lessons_done, progress.lessons_total) == (2, 4)
    # The Arabic page lists the Arabic lessons, the first two marked done, linked
    # to the Arabic lessons.
    assert done_titles(in_arabic) == [x.title for x in arabic_lessons[:2]]
    assert in_arabic.context["overview"].resume_lesson == arabic_lessons[2]

    in_english = client.get(in_language(source.url, "en"), **EN)
    progress = in_english.context["overview"].progress
    assert (progress.lessons_done, progress.lessons_total) == (2, 4)
    assert done_titles(in_english) == [x.title for x in english_lessons[:2]]


def test_the_dashboard_shows_the_same_progress_in_each_language(client, started):
    source, arabic = started
    client.post(lessons(arabic)[0].url, **AR)
    client.post(lessons(source)[1].url, **EN)

    for headers, course in ((AR, arabic), (EN, source)):
        response = client.get(
            in_language(reverse("courses:dashboard"), headers["HTTP_ACCEPT_LANGUAGE"]),
            **headers,
        )
        [row] = response.context["dashboard"].in_progress
        assert (row.progress.lessons_done, row.progress.lessons_total) == (2, 4)
        assert row.course == course
        assert row.resume_lesson == lessons(course)[2]
        assert course.title in response.content.decode()


def test_the_arabic_lesson_page_numbers_and_links_in_arabic(client, started):
    source, arabic = started
    arabic_lessons = lessons(arabic)
    client.post(lessons(source)[0].url, **EN)

    response = client.get(in_language(arabic_lessons[1].url, "ar"), **AR)
    view = response.context["lesson_view"]
    assert (view.number, view.total) == (2, 4)
    assert view.previous == arabic_lessons[0]
    assert view.next == arabic_lessons[2]
    assert view.course == arabic
    assert view.progress.lessons_done == 1
    # "Continue where you left off" points at the source course's lesson.
    enrolment = Enrolment.objects.get(course=source)
    assert enrolment.last_lesson_id == lessons(source)[1].pk


def test_completing_in_both_languages_gives_one_completion_certificate_and_count(
    client, officer, started, django_capture_on_commit_callbacks
):
    source, arabic = started
    arabic_lessons, english_lessons = lessons(arabic), lessons(source)
    client.post(arabic_lessons[0].url, **AR)
    client.post(english_lessons[1].url, **EN)
    client.post(arabic_lessons[2].url, **AR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(english_lessons[3].url, **EN)

    [enrolment] = Enrolment.objects.filter(user=officer)
    assert enrolment.course_id == source.pk
    assert enrolment.completed_at is not None
    assert Certificate.objects.filter(enrolment__user=officer).count() == 1

    for course in (source, arabic):
        # Whichever page's id the statistics are asked about (the API, the admin's
        # reports), they count the course once.
        query = filters.StatsFilterSet(
            {"course": str(course.pk)}, scope=Scope.national()
        )
        assert query.stats_filter() == StatsFilter(course=source.pk)
        [row] = stats.completion(Scope.national(), ("course",), query.stats_filter())
        assert row.course_id == source.pk
        assert (row.officers, row.enrolled, row.completed) == (1, 1, 1)
    [total] = stats.completion(Scope.national(), ())
    assert (total.enrolled, total.completed) == (1, 1)


# The quiz part (an attempt on the Arabic quiz page counts for the course) belongs
# with the question bank: tests/quizzes/test_one_record_quiz.py (quizbank helper).
