"""An officer finds a course, enrols, reads lessons while the progress bar advances,
leaves, and resumes from the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Officers land on the site, staff on their admin page: either way, signed in.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_takes_a_course_and_resumes_from_the_dashboard(
    page, officer, make_course
):
    course = make_course("Recognising victims", lessons=3, audiences=["police"])
    sign_in(page, officer.email)

    page.get_by_role("link", name="Courses", exact=True).click()
    card = page.locator("article", has_text="Recognising victims")
    expect(card.get_by_text("Recommended for you")).to_be_visible()
    card.get_by_role("link", name="Recognising victims").click()

    page.get_by_role("button", name="Start course").click()
    expect(page.get_by_text("Lesson 1 of 3")).to_be_visible()
    expect(page.get_by_text("0 of 3 lessons completed")).to_be_visible()
    expect(page.get_by_text("Text of lesson 1 of Recognising victims.")).to_be_visible()

    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_text("Lesson 2 of 3")).to_be_visible()
    expect(page.get_by_text("1 of 3 lessons completed")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "1")

    page.get_by_role("link", name="Home", exact=True).click()  # leave the course
    page.get_by_role("link", name="My courses").click()
    in_progress = page.locator("section", has_text="In progress")
    expect(in_progress.get_by_text("1 of 3 lessons completed")).to_be_visible()
    in_progress.get_by_role(
        "link", name=re.compile("Continue where you left off")
    ).click()

    expect(page.get_by_text("Lesson 2 of 3")).to_be_visible()
    page.get_by_role("button", name="Mark as complete and continue").click()
    page.get_by_role("button", name="Mark as complete and finish").click()

    expect(page).to_have_url(re.compile(re.escape(course.url) + "$"))
    expect(page.get_by_text("You have completed Recognising victims.")).to_be_visible()
    expect(page.get_by_text("3 of 3 lessons completed")).to_be_visible()
