"""The demo as a ministry would see it: officer@moi.gov.kw signs in with the demo
password, walks the first demo course from the start, answers the quiz from the
answer key kept beside the content (fixtures/courses/.../quiz.yaml), passes, and
downloads the certificate."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from accounts.validators import DEMO_PASSWORD
from demo.courses import read_course_content


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_walks_the_first_demo_course_and_downloads_the_certificate(page):
    call_command("load_demo", "--no-officers", verbosity=0)
    # The demo officer reads in Arabic (tests/e2e/test_arabic_flow.py walks that);
    # here the English course, as an officer who chose English.
    User.objects.filter(email="officer@moi.gov.kw").update(language="en")
    spec = read_course_content().courses[0]
    key = {_plain(q.text): q.correct_choices for q in spec.quiz.questions}

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("officer@moi.gov.kw")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name=spec.values["title"]).first.click()
    page.get_by_role("button", name="Start course").click()

    total = len(spec.lessons)
    for number, lesson in enumerate(spec.lessons, start=1):
        expect(page.get_by_text(f"Lesson {number} of {total}")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        expect(
            page.get_by_role("heading", name="Demonstration material")
        ).to_be_visible()
        expect(page.get_by_role("heading", name="Sources")).to_be_visible()
        if number < total:
            page.get_by_role("button", name="Mark as complete and continue").click()
        else:
            page.get_by_role(
                "button", name="Mark as complete and go to the quiz"
            ).click()

    page.get_by_role("button", name="Start attempt").click()
    questions = page.locator("li.quiz-question")
    expect(questions).to_have_count(spec.quiz.values["draw_count"])
    for n in range(questions.count()):
        question = questions.nth(n)
        text = _plain(question.locator(".quiz-question__text").inner_text())
        for choice in key[text]:
            question.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed: the pass mark is 75%.")).to_be_visible()

    page.get_by_role("link", name="My courses").click()
    certificates = page.locator("section", has_text="Certificates")
    expect(certificates.get_by_role("strong")).to_have_text(spec.values["title"])
    href = certificates.get_by_role("link", name="Download the PDF").get_attribute(
        "href"
    )
    assert re.fullmatch(r"/(ar|en)/certificates/TDRB-[A-Z0-9-]+\.pdf", href)
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
