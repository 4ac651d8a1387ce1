"""Under the Content-Security-Policy, Chromium refuses nothing on the main pages: the
public pages an officer visits, the two-factor set-up, the API documentation and
the admin (dashboard and page editor with its preview)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses import services
from tests.e2e.test_course_flow import sign_in
from tests.factories import TEST_PASSWORD, UserFactory

# Set TADREEB_E2E_SCREENSHOTS to a folder to keep a screenshot of each page.
SCREENSHOTS = os.environ.get("TADREEB_E2E_SCREENSHOTS")


class ViolationLog:
    """Chromium's console reports of blocked content ("Refused to ...") and every
    securitypolicyviolation event the page fires."""

    def __init__(self, page):
        self.messages: list[str] = []
        page.on("console", self._console)
        # Playwright's init scripts are injected by the browser, outside the policy.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' "
            "+ e.blockedURI));"
        )

    def _console(self, message):
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:
            self.messages.append(text)
        elif text.startswith("CSP violation"):
            self.messages.append(text)


def visit(page, url, name):
    response = page.goto(url)
    assert response.status < 400, url
    page.wait_for_load_state("load")
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
    return response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_pages_run_under_the_policy_without_violations(
    page, officer, make_course, make_quiz
):
    course = make_course("Policy course", lessons=1)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    lesson = services.lessons_of(course)[0]
    services.complete_lesson(enrolment, lesson)
    log = ViolationLog(page)

    visit(page, "/accounts/login/", "login")
    sign_in(page, officer.email)
    response = visit(page, "/", "home")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    visit(page, course.get_parent().url, "catalogue")
    visit(page, course.url, "course")
    visit(page, lesson.url, "lesson")
    visit(page, quiz.url, "quiz-rules")
    page.get_by_role("button", name="Start attempt").click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    # quiz.js runs: choosing an answer saves the attempt in the background.
    page.locator(".choices input").first.check()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/quiz.png", full_page=True)
    visit(page, "/dashboard/", "dashboard")
    visit(page, "/verify/", "verify")

    assert log.messages == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_factor_qr_code_shows_under_the_policy(page, officer, home_page):
    log = ViolationLog(page)
    sign_in(page, officer.email)

    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    # The data URI image was allowed and decoded.
    assert qr_code.evaluate("img => img.naturalWidth") > 0
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/two-factor.png", full_page=True)

    assert log.messages == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_api_documentation_renders_under_the_policy(page):
    log = ViolationLog(page)

    visit(page, "/api/v1/docs/", "api-docs-loading")
    expect(page.get_by_role("heading", name="Tadreeb API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/api-docs.png", full_page=True)

    assert log.messages == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_and_page_editor_run_under_the_admin_policy(
    page, settings, live_server, course
):
    # The userbar and preview load Wagtail's files from WAGTAILADMIN_BASE_URL,
    # the public address in production: here, the live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    admin = UserFactory(is_staff=True, is_superuser=True, email="admin@moi.gov.kw")
    log = ViolationLog(page)
    sign_in(page, admin.email)

    response = visit(page, "/admin/", "admin-dashboard")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    # The sidebar is drawn by Wagtail's scripts: they ran.
    expect(page.get_by_role("button", name="Toggle sidebar")).to_be_visible()
    visit(page, f"/admin/pages/{course.pk}/edit/", "admin-editor")
    expect(page.get_by_role("textbox", name="Title*")).to_be_visible()
    page.get_by_role("button", name="Toggle preview").click()
    # Wagtail swaps in a second frame as the preview loads: the last one is shown.
    preview = page.frame_locator("iframe[title='Preview']").last
    expect(preview.get_by_role("heading", name=course.title)).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/admin-preview.png", full_page=True)
    # The public page with the staff userbar, under the public policy.
    visit(page, course.url, "course-with-userbar")
    expect(page.locator("wagtail-userbar")).to_be_attached()

    assert log.messages == []
