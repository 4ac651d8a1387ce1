"""axe-core in Chromium finds no serious or critical accessibility violation on the
pages every officer meets, in English and in Arabic: home, catalogue, a course, a
lesson, the quiz (an attempt open), the dashboard, the verification page and
sign-in. The quiz is also taken with the keyboard alone. axe-core comes from the npm
registry (package.json; `make install`)."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from courses import services
from quizzes.models import QuizAttempt
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


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el) return null;
    const fieldset = el.closest("fieldset");
    const fieldsets = [...document.querySelectorAll("main fieldset")];
    return {
        tag: el.tagName, type: el.type || "", text: (el.textContent || "").trim(),
        checked: !!el.checked,
        question: fieldset ? fieldsets.indexOf(fieldset) : -1,
    };
}"""


def tab_until(page, wanted, limit=120):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and wanted(focused):
            return focused
    raise AssertionError("The keyboard never reached the element.")


def test_the_quiz_is_taken_with_the_keyboard_alone(
    axe_page, officer, make_course, make_quiz
):
    """Start, answer every question and submit with Tab, Space and Enter only."""
    page = axe_page
    course = make_course("Keyboard course", lessons=1)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    sign_in(page, officer.email)
    page.goto(quiz.url)

    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Start attempt")
    page.keyboard.press("Enter")
    expect(page.locator(".choices input").first).to_be_visible()
    questions = page.locator("main fieldset").count()
    answered = set()
    while len(answered) < questions:
        focused = tab_until(
            page, lambda f: f["tag"] == "INPUT" and f["question"] not in answered
        )
        page.keyboard.press("Space")
        answered.add(focused["question"])
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Submit answers")
    page.keyboard.press("Enter")

    page.wait_for_url("**?attempt=*")
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    assert attempt.submitted_at is not None
    # Every question carries the choice the officer chose with Space.
    assert [
        q.choices.filter(selected=True).count() for q in attempt.questions.all()
    ] == [1] * questions
