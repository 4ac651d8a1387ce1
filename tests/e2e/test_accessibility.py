"""axe-core in Chromium finds no serious or critical accessibility violation on the
pages every officer meets, in English and in Arabic: home, catalogue, a course, a
lesson, the quiz (an attempt open), the dashboard, the verification page and
sign-in. axe-core comes from the npm registry (package.json; `make install`)."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from courses import services
from tests.courses.conftest import translate, translate_course
from tests.e2e.test_course_flow import sign_in

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def violations(page) -> list[str]:
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact,"
        " where: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [
        f"{v['id']} ({v['impact']}) at {v['where']}"
        for v in found
        if v["impact"] in SERIOUS
    ]


@pytest.fixture
def axe_page(page):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install` installs it (npm ci).")
    # An init script runs outside the page's Content-Security-Policy.
    page.add_init_script(path=str(AXE))
    return page


def check(page, url, name, problems):
    response = page.goto(url)
    assert response.status < 400, url
    page.wait_for_load_state("load")
    problems.extend(f"{name}: {v}" for v in violations(page))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_officer_pages_have_no_serious_violations(
    axe_page, officer, make_course, make_quiz, language
):
    page = axe_page
    source = make_course("Accessible course", lessons=1)
    source_quiz = make_quiz(source)
    course, quiz = source, source_quiz
    if language == "ar":
        course = translate_course(source)
        quiz = translate(source_quiz, "ar", title="اختبار")
    enrolment = services.enrol(officer, source)
    lesson = services.lessons_of(course)[0]
    problems: list[str] = []

    check(page, f"/{language}/accounts/login/", "sign-in", problems)
    check(page, f"/{language}/verify/", "verification", problems)
    sign_in(page, officer.email)
    check(page, f"/{language}/", "home", problems)
    check(page, course.get_parent().url, "catalogue", problems)
    check(page, course.url, "course", problems)
    check(page, lesson.url, "lesson", problems)
    services.complete_lesson(enrolment, services.lessons_of(source)[0])
    check(page, quiz.url, "quiz rules", problems)
    start = page.locator("main form button[type=submit]").first
    start.click()
    expect(page.locator(".choices input").first).to_be_visible()
    problems.extend(f"quiz attempt: {v}" for v in violations(page))
    check(page, f"/{language}/dashboard/", "dashboard", problems)

    assert problems == []
