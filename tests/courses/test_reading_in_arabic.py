"""Courses read in the reader's language: the catalogue, its search, the home page's
list and the dashboard show a course's Arabic translation to an Arabic reader (the
English page where none is live), with a fixed number of queries."""

import pytest
from django.urls import reverse

from courses import services
from courses.models import CoursePage
from tests.conftest import in_language
from tests.courses.conftest import translate, translate_course

pytestmark = pytest.mark.django_db

AR = {"HTTP_ACCEPT_LANGUAGE": "ar"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def two_courses(make_course):
    """One course translated into Arabic, one in English only."""
    translated = make_course("Identifying victims", lessons=2)
    arabic = translate(
        translated,
        "ar",
        title="التعرّف على ضحايا الاتجار بالأشخاص",
        summary="مؤشرات الاتجار بالأشخاص وإحالة الضحايا.",
    )
    english_only = make_course("Labour inspection", lessons=1)
    return translated, arabic, english_only


def titles(response, key="catalogue"):
    return [entry.course.title for entry in response.context[key].entries]


def test_the_arabic_catalogue_shows_the_arabic_course_and_the_english_one(
    client, two_courses
):
    translated, arabic, english_only = two_courses

    response = client.get(in_language(reverse_catalogue(translated), "ar"), **AR)

    assert titles(response) == [arabic.title, english_only.title]
    body = response.content.decode()
    assert arabic.title in body and arabic.url in body
    assert translated.title not in body


def test_the_english_catalogue_shows_the_source_courses(client, two_courses):
    translated, _arabic, english_only = two_courses

    response = client.get(in_language(reverse_catalogue(translated), "en"), **EN)

    assert titles(response) == [translated.title, english_only.title]


def test_an_arabic_word_finds_the_arabic_course(client, two_courses):
    translated, arabic, _english_only = two_courses

    response = client.get(
        in_language(reverse_catalogue(translated), "ar"), {"q": "ضحايا"}, **AR
    )

    assert titles(response) == [arabic.title]


def test_an_english_word_still_finds_an_untranslated_course_in_arabic(
    client, two_courses
):
    translated, _arabic, english_only = two_courses

    response = client.get(
        in_language(reverse_catalogue(translated), "ar"), {"q": "inspection"}, **AR
    )

    assert titles(response) == [english_only.title]


def test_the_home_page_lists_the_courses_in_the_readers_language(client, two_courses):
    translated, arabic, english_only = two_courses

    body = client.get(in_language("/", "ar"), **AR).content.decode()

    assert arabic.title in body and english_only.title in body
    assert translated.title not in body


def test_published_courses_stay_the_source_courses(two_courses):
    translated, _arabic, english_only = two_courses

    assert set(CoursePage.objects.published()) == {translated, english_only}


def test_versions_in_arabic_cost_one_query(two_courses, django_assert_num_queries):
    translated, arabic, english_only = two_courses
    services.locale_ids()  # cached once for every request

    with django_assert_num_queries(1):
        assert services.versions_in([translated, english_only], "ar") == [
            arabic,
            english_only,
        ]
    with django_assert_num_queries(0):
        assert services.versions_in([translated, english_only], "en") == [
            translated,
            english_only,
        ]


def test_arabic_catalogue_and_dashboard_budgets_do_not_grow_with_courses(
    client, officer, make_course, django_assert_max_num_queries
):
    for n in range(3):
        course = make_course(f"Course {n}", lessons=2)
        translate_course(course)
        services.enrol(officer, course)
    client.force_login(officer)
    catalogue_url = reverse_catalogue(course)
    client.get(in_language(catalogue_url, "ar"), **AR)
    client.get(in_language(reverse("courses:dashboard"), "ar"), **AR)

    # As in English (tests/courses/test_pages.py), plus the Arabic versions of the
    # courses and their topics (catalogue), of the courses and lessons (dashboard).
    with django_assert_max_num_queries(14):
        assert client.get(in_language(catalogue_url, "ar"), **AR).status_code == 200
    with django_assert_max_num_queries(17):
        response = client.get(in_language(reverse("courses:dashboard"), "ar"), **AR)
    assert [row.course.title for row in response.context["dashboard"].in_progress]
    assert all(
        "(عربي)" in row.course.title
        for row in response.context["dashboard"].in_progress
    )


def reverse_catalogue(course) -> str:
    return course.get_parent().url
