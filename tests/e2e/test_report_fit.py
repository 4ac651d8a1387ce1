"""The training reports fit a 1280 px screen: every column of every report can be
brought into view (the table scrolls sideways in its own box, which takes the
keyboard focus), in English and in the mirrored Arabic admin, and the "Break down
by" box fits its drawer. Chromium, as a ministry focal point and the committee."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from accounts.models import Cadre, Gender
from courses import services
from tests.e2e.test_course_flow import sign_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTH = 1280

# For each heading of the listing: bring it into view the way a reader can (the
# table's own scrollbar), then check that it lies inside the window and that
# nothing (the sticky first column) covers it.
UNREACHABLE_HEADINGS = r"""() => {
    const table = document.querySelector("table.listing");
    const width = document.documentElement.clientWidth;
    const unreachable = [];
    for (const th of table.querySelectorAll("thead th")) {
        th.scrollIntoView({block: "nearest", inline: "nearest"});
        const box = th.getBoundingClientRect();
        const top = document.elementFromPoint(
            (box.left + box.right) / 2, (box.top + box.bottom) / 2
        );
        const inside = box.left >= -1 && box.right <= width + 1;
        if (!inside || !top || !th.contains(top)) {
            unreachable.push(th.innerText.trim());
        }
    }
    return unreachable;
}"""


@pytest.fixture
def reports_data(moi, mofa, make_course):
    """Officers of every cadre, with completions (trained per year) and a record
    in each status, so that every report has rows."""
    course = make_course("Identifying victims of trafficking in persons", lessons=1)
    for number, cadre in enumerate(Cadre.values):
        officer = UserFactory(
            ministry=moi,
            cadre=cadre,
            gender=Gender.FEMALE if number % 2 else Gender.MALE,
            full_name_en=f"Officer with a rather long name {number}",
        )
        enrolment = services.enrol(officer, course)
        if number % 2 == 0:
            services.complete_lesson(enrolment, services.lessons_of(course)[0])
    return course


def _report_urls():
    return [
        reverse("training_reports:completion"),
        reverse("training_reports:completion") + "?breakdown=cadre",
        reverse("training_reports:trained_per_year"),
        reverse("training_reports:officer_records"),
    ]


def _open_at_width(page, who):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, who.email)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_column_of_every_report_is_reachable_at_1280_px(
    page, moi, reports_data, language
):
    focal = UserFactory(
        role=roles.FOCAL_POINTS, ministry=moi, cadre=Cadre.OTHER, language=language
    )
    _open_at_width(page, focal)

    for url in _report_urls():
        page.goto(url)
        expect(page.locator("html")).to_have_attribute(
            "dir", "rtl" if language == "ar" else "ltr"
        )
        table = page.locator("table.listing")
        expect(table.locator("tbody tr").first).to_be_visible()
        assert table.locator("thead th").count() >= 12, url
        assert page.evaluate(UNREACHABLE_HEADINGS) == [], url


def test_the_report_table_scrolls_with_the_keyboard(page, moi, reports_data):
    focal = UserFactory(role=roles.FOCAL_POINTS, ministry=moi, language="en")
    _open_at_width(page, focal)
    page.goto(reverse("training_reports:officer_records"))

    region = page.get_by_role("region", name="Officer records")
    expect(region).to_be_visible()
    wide = region.evaluate("box => box.scrollWidth > box.clientWidth")
    assert wide, "the officer records fit at 1280 px: nothing to scroll"
    region.focus()
    page.keyboard.press("End")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    assert region.evaluate("box => box.scrollLeft") > 0
    # Scrolled to the end: the last columns are on screen.
    last = page.locator("table.listing thead th").last
    expect(last).to_be_in_viewport()
    expect(last).to_have_text("Certificate state")


# Wagtail's "Show filters" and our "Break down by", as the admin names them.
BUTTONS = {
    "en": ("Show filters", "Break down by"),
    "ar": ("إظهار الفلاتر", "التوزيع حسب"),
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_break_down_by_box_fits_its_drawer(page, moi, reports_data, language):
    committee = UserFactory(
        role=roles.NATIONAL_COMMITTEE, ministry=moi, language=language
    )
    _open_at_width(page, committee)
    page.goto(reverse("training_reports:completion"))

    show_filters, break_down_by = BUTTONS[language]
    page.get_by_role("button", name=show_filters).click()
    page.get_by_role("button", name=break_down_by).click()
    select = page.locator("select[name=breakdown]")
    expect(select).to_be_visible()
    drawer = page.locator(".w-dropdown--drilldown .tippy-box")
    inner, outer = select.bounding_box(), drawer.bounding_box()
    assert outer["x"] <= inner["x"]
    assert inner["x"] + inner["width"] <= outer["x"] + outer["width"]
