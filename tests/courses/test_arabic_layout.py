"""The officer's pages in Arabic: dates in words with the Hijri day beside them,
the site's digits, titles isolated from the Arabic around them, and the forward
and back marks that the right-to-left stylesheet mirrors."""

import datetime

import pytest
from bs4 import BeautifulSoup

from core.models import ArabicDigits, SiteSettings
from courses import services
from tests.conftest import in_language
from tests.courses.conftest import lessons, translate

pytestmark = pytest.mark.django_db

DUE = datetime.date(2020, 1, 15)  # 20 Jumada al-Ula 1441


def get(client, url, language="ar"):
    response = client.get(in_language(url, language), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def enrolled(officer, make_course):
    course = make_course("ILO C29 (2014)", lessons=3)
    # Its Arabic translation, titles unchanged: the Arabic pages are served from
    # it (an untranslated page is sent to its English address).
    translate(course)
    for child in course.get_children().specific():
        translate(child)
    enrolment = services.enrol(officer, course)
    enrolment.due_date = DUE
    enrolment.save()
    return course


@pytest.fixture
def arabic_indic_digits():
    settings = SiteSettings.load()
    settings.arabic_digits = ArabicDigits.ARABIC_INDIC
    settings.save()


def test_arabic_dashboard_shows_the_due_date_in_words_with_the_hijri_day(
    client, officer, enrolled
):
    client.force_login(officer)

    due = get(client, "/dashboard/").select_one(".due").get_text(" ", strip=True)

    assert "15 يناير 2020" in due
    assert "(20 جمادى الأولى 1441 هـ)" in due


def test_english_dashboard_shows_both_dates_in_english(client, officer, enrolled):
    client.force_login(officer)

    due = get(client, "/dashboard/", "en").select_one(".due").get_text(" ", strip=True)

    assert "15 January 2020" in due and "(20 Jumada al-Ula 1441 AH)" in due


def test_course_page_gives_the_due_date(client, officer, enrolled):
    client.force_login(officer)

    due = get(client, enrolled.url).select_one(".course__action .due")

    assert "15 يناير 2020" in due.get_text()
    assert due.time["datetime"] == "2020-01-15"


def test_arabic_indic_digits_in_progress_and_dates_when_the_site_asks(
    client, officer, enrolled, arabic_indic_digits
):
    client.force_login(officer)

    page = get(client, "/dashboard/")

    progress = page.select_one(".progress__label").get_text()
    assert "٠" in progress and "٣" in progress
    assert not any(ch.isascii() and ch.isdigit() for ch in progress)
    assert "١٥ يناير ٢٠٢٠" in page.select_one(".due").get_text()
    # Ids and links keep their digits.
    assert page.select_one(".progress progress")["aria-labelledby"].startswith(
        "progress-label-"
    )


def test_western_digits_by_default_on_the_arabic_dashboard(client, officer, enrolled):
    client.force_login(officer)

    progress = get(client, "/dashboard/").select_one(".progress__label").get_text()

    assert "0" in progress and "3" in progress


def test_english_pages_keep_western_digits_with_the_arabic_setting(
    client, officer, enrolled, arabic_indic_digits
):
    client.force_login(officer)

    progress = get(client, "/dashboard/", "en").select_one(".progress__label")

    assert "0 of 3 lessons completed" in progress.get_text()


def test_course_title_is_isolated_on_the_dashboard_and_course_page(
    client, officer, enrolled
):
    client.force_login(officer)

    heading = get(client, "/dashboard/").select_one(".dashboard-item h3")
    assert heading["dir"] == "auto"
    assert heading.get_text(strip=True) == "ILO C29 (2014)"
    course_page = get(client, enrolled.url)
    assert course_page.h1["dir"] == "auto"
    lesson_titles = course_page.select(".lesson-list bdi")
    assert [t.get_text() for t in lesson_titles] == [
        lesson.title for lesson in lessons(enrolled)
    ]


def test_lesson_page_breadcrumb_and_pager_marks(client, officer, enrolled):
    client.force_login(officer)
    first, second, _third = lessons(enrolled)

    page = get(client, second.url)

    crumbs = page.select(".breadcrumb ol > li")
    assert [li.get_text(strip=True) for li in crumbs][-1] == "ILO C29 (2014)"
    assert crumbs[-1].bdi is not None
    previous = page.select_one("a.pager__previous")
    assert "icon-back" in previous["class"]
    assert previous.bdi.get_text() == first.title
    page = get(client, first.url)
    assert "icon-forward" in page.select_one("a.pager__next")["class"]


def test_arabic_dashboard_with_arabic_digits_keeps_the_query_budget(
    client,
    officer,
    enrolled,
    make_course,
    arabic_indic_digits,
    django_assert_max_num_queries,
):
    for n in range(4):
        services.enrol(officer, make_course(f"Extra {n}", lessons=3))
    client.force_login(officer)
    get(client, "/dashboard/")

    with django_assert_max_num_queries(15):
        get(client, "/dashboard/")
