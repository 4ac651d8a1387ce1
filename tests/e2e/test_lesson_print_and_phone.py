"""A lesson in Chromium: printed as a handout (no site navigation or buttons, model
answers and FAQ answers open) and read on a 390px phone (the diagrams' text stays
readable, and the full-size diagram is a tap away).

A lesson with a diagram, a case scenario and questions is read by an enrolled
officer through a live server.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from courses import services
from courses.models import LessonPage
from demo.courses import load_image
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DIAGRAM = (
    Path(settings.BASE_DIR) / "fixtures" / "media" / "trafficking-vs-smuggling.svg"
)
PHONE = {"width": 390, "height": 844}
# The smallest text that is comfortably read on a phone, in CSS pixels.
READABLE_PX = 11


def smallest_font_size(svg: Path) -> float:
    return min(
        float(size) for size in re.findall(r'font-size="([\d.]+)"', svg.read_text())
    )


def lesson_body(image) -> list[dict]:
    return [
        {
            "type": "callout",
            "value": {"kind": "warning", "title": "Demonstration", "text": "<p>A.</p>"},
        },
        {"type": "heading", "value": {"text": "Two crimes", "level": "h2"}},
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "Table comparing smuggling with trafficking.",
                "caption": "Five differences.",
                "long_description": "Smuggling: the migrant agrees. Trafficking: no "
                "valid consent.",
            },
        },
        {
            "type": "case_scenario",
            "value": {
                "title": "The cleaner who cannot leave",
                "setting": "",
                "situation": "<p>Her supervisor keeps her passport.</p>",
                "question": "What do you do next?",
                "model_answer": "<p>Speak to her alone.</p>",
            },
        },
        {
            "type": "faq",
            "value": {
                "title": "Questions officers ask",
                "items": [
                    {"question": "Must she cooperate?", "answer": "<p>No.</p>"},
                    {"question": "She agreed. A victim?", "answer": "<p>Yes.</p>"},
                ],
            },
        },
    ]


@pytest.fixture
def lesson_url(make_course, live_server):
    course = make_course(title="Identifying victims", lessons=1)
    lesson = LessonPage.objects.child_of(course).get()
    lesson.body = lesson_body(load_image(DIAGRAM))
    lesson.save_revision().publish()
    officer = UserFactory(language="en")
    services.enrol(officer, course)
    client = Client()
    client.force_login(officer)
    return lesson.get_url(), client.cookies[settings.SESSION_COOKIE_NAME].value


def open_lesson(browser, live_server, lesson_url, **context_options):  # noqa: F811
    url, session = lesson_url
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", **context_options
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return context, page


def is_displayed(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector, "element => getComputedStyle(element).display !== 'none'"
    )


def open_states(page) -> list[bool]:
    return page.eval_on_selector_all(
        ".lesson__body details", "all => all.map(details => details.open)"
    )


def test_printing_a_lesson_opens_the_answers_and_leaves_out_the_navigation(
    browser,  # noqa: F811
    live_server,
    lesson_url,
):
    context, page = open_lesson(browser, live_server, lesson_url)
    # Model answer, two FAQ answers and the diagram's description, all closed.
    assert open_states(page) == [False, False, False, False]

    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")

    assert open_states(page) == [True, True, True, True]
    for selector in (".site-header", ".site-footer", ".skip-link", ".pager"):
        assert not is_displayed(page, selector), selector
    assert not is_displayed(page, ".lesson__complete button")
    assert is_displayed(page, ".lesson__body")
    expect(page.get_by_text("Speak to her alone.")).to_be_visible()
    handout = page.pdf()
    assert handout.startswith(b"%PDF")

    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")

    # The page is left as the officer had it.
    assert open_states(page) == [False, False, False, False]
    assert is_displayed(page, ".site-header")
    context.close()


def test_a_details_the_officer_opened_stays_open_after_printing(
    browser,  # noqa: F811
    live_server,
    lesson_url,
):
    context, page = open_lesson(browser, live_server, lesson_url)
    page.get_by_text("Show a model answer").click()

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")

    assert open_states(page) == [False, True, False, False]
    context.close()


def test_diagram_text_is_readable_on_a_390px_phone(
    browser,  # noqa: F811
    live_server,
    lesson_url,
):
    context, page = open_lesson(browser, live_server, lesson_url, viewport=PHONE)
    image = page.locator(".lesson-figure img")
    expect(image).to_be_visible()

    rendered_width = image.evaluate("img => img.getBoundingClientRect().width")
    natural_width = image.evaluate("img => img.naturalWidth")
    smallest = smallest_font_size(DIAGRAM) * rendered_width / natural_width
    assert smallest >= READABLE_PX, f"smallest text {smallest:.1f}px"

    # The diagram's frame scrolls sideways; the page itself does not.
    frame = page.locator(".lesson-figure__frame")
    assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert frame.get_attribute("tabindex") == "0"
    full_size = page.get_by_role("link", name="Open the diagram at full size")
    assert full_size.get_attribute("href").endswith(".svg")
    context.close()
