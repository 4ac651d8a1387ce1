"""An officer passes the quiz, finds the certificate on the dashboard, downloads it,
and its verification page says VALID."""

import pytest
from playwright.sync_api import expect

from courses import services
from tests.e2e.test_course_flow import sign_in
from tests.e2e.test_quiz_flow import answer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_gets_downloads_and_verifies_the_certificate(
    page, officer, make_course, make_quiz, tmp_path
):
    course = make_course("Certified course", lessons=1)
    make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    sign_in(page, officer.email)

    page.goto(course.url)
    page.get_by_role("link", name="Take the quiz").click()
    page.get_by_role("button", name="Start attempt").click()
    answer(page, right=True)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed: the pass mark is 60%.")).to_be_visible()

    page.get_by_role("link", name="My courses").click()
    certificates = page.locator("section", has_text="Certificates")
    expect(certificates.get_by_role("strong")).to_have_text("Certified course")
    with page.expect_download() as download_info:
        certificates.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    certificates.get_by_role("link", name="Verification page").click()
    expect(page.get_by_text("VALID", exact=True)).to_be_visible()
    expect(page.get_by_text(officer.full_name_en)).to_be_visible()
