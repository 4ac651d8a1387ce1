"""The server-rendered SVG bar chart (reporting/admin/charts.py) and the dashboard panel
that shows it: completion rate by ministry (national scope) or by course (a focal
point), with a table of the same numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts import roles
from accounts.access import Scope
from courses import services as course_services
from reporting import stats
from reporting.admin import charts
from tests.courses.conftest import lessons
from tests.factories import MinistryFactory, UserFactory, staff_user

# --- The chart -------------------------------------------------------------------


def chart(bars, **kwargs):
    options = {
        "chart_id": "test-chart",
        "title": "Completion rate by ministry",
        "description": "Completed as a share of enrolled.",
        "axis_label": "Completion rate (%)",
    }
    return BeautifulSoup(
        str(charts.percent_bar_chart(bars, **{**options, **kwargs})), "html.parser"
    )


def test_chart_draws_one_bar_per_entry_with_its_value():
    svg = chart(
        [
            charts.Bar("Ministry of Interior", Decimal("75.0")),
            charts.Bar("Ministry of Foreign Affairs", Decimal("33.3")),
        ]
    ).svg

    bars = svg.select("g.chart-bar")
    assert len(bars) == 2
    assert len(svg.select("g.chart-bar rect")) == 2
    texts = [g.get_text(" ", strip=True) for g in bars]
    assert "75 %" in texts[0] and "Ministry of Interior" in texts[0]
    assert "33.3 %" in texts[1]


def test_bar_length_is_proportional_to_the_percentage():
    svg = chart([charts.Bar("Full", 100), charts.Bar("Half", 50)]).svg

    full, half = (float(rect["width"]) for rect in svg.select("rect"))
    assert full == charts.PLOT_WIDTH
    assert half == charts.PLOT_WIDTH / 2


def test_chart_is_an_image_named_by_its_title_and_description():
    svg = chart([charts.Bar("Ministry of Interior", 75)]).svg

    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "test-chart-title test-chart-desc"
    assert svg.find("title", id="test-chart-title").text == (
        "Completion rate by ministry"
    )
    assert svg.find("desc", id="test-chart-desc").text == (
        "Completed as a share of enrolled."
    )


def test_axis_runs_from_0_to_100_percent():
    text = chart([charts.Bar("A", 10)]).svg.get_text(" ")

    for tick in ("0 %", "25 %", "50 %", "75 %", "100 %"):
        assert tick in text
    assert "Completion rate (%)" in text


def test_chart_escapes_names():
    markup = str(
        charts.percent_bar_chart(
            [charts.Bar("<script>alert(1)</script>", 50)],
            chart_id="c",
            title="<b>title</b>",
            description="a & b",
            axis_label="x",
        )
    )

    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<b>" not in markup
    assert "a &amp; b" in markup


def test_long_label_is_shortened_and_keeps_its_full_text_in_a_title():
    name = "Public Authority for Manpower, Department of Domestic Worker Affairs"
    label = chart([charts.Bar(name, 40)]).select_one("g.chart-bar text")

    lines = [tspan.text.strip("\u2068\u2069") for tspan in label.find_all("tspan")]
    assert len(lines) == charts.LABEL_LINES
    assert lines[-1].endswith("…")
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert label.find("title").text == name


def test_short_label_fits_on_one_line_without_a_title():
    label = chart([charts.Bar("MOI", 40)]).select_one("g.chart-bar text")

    assert [tspan.text for tspan in label.find_all("tspan")] == ["\u2068MOI\u2069"]
    assert label.find("title") is None


def test_zero_and_missing_values_draw_no_bar_but_say_so():
    svg = chart([charts.Bar("Nobody yet", 0), charts.Bar("No figure", None)]).svg

    assert svg.select("rect") == []
    texts = [g.get_text(" ", strip=True) for g in svg.select("g.chart-bar")]
    assert "0 %" in texts[0]
    assert "—" in texts[1]


def test_values_beyond_the_axis_are_kept_inside_it():
    svg = chart([charts.Bar("Odd", 130)]).svg

    assert float(svg.select_one("rect")["width"]) == charts.PLOT_WIDTH


def test_left_to_right_chart_has_labels_left_of_the_bars():
    svg = chart([charts.Bar("Ministry of Interior", 50)], rtl=False).svg

    label = svg.select_one("g.chart-bar text tspan")
    rect = svg.select_one("rect")
    value = svg.select("g.chart-bar > text")[-1]
    assert svg["direction"] == "ltr"
    assert float(label["x"]) <= float(rect["x"])
    assert float(value["x"]) > float(rect["x"]) + float(rect["width"])


def test_right_to_left_chart_is_mirrored_with_labels_right_of_the_bars():
    svg = chart([charts.Bar("وزارة الداخلية", 50)], rtl=True).svg

    label = svg.select_one("g.chart-bar text")
    rect = svg.select_one("rect")
    value = svg.select("g.chart-bar > text")[-1]
    assert svg["direction"] == "rtl"
    # The label's end (its left edge in RTL) is right of the bar's right edge.
    assert label["text-anchor"] == "end"
    bar_right = float(rect["x"]) + float(rect["width"])
    assert float(label.tspan["x"]) >= bar_right
    assert bar_right == charts.WIDTH - charts.PLOT_LEFT
    # The value is left of the bar and reads "50 %", not "% 50".
    assert value["direction"] == "ltr" and value["text-anchor"] == "end"
    assert float(value["x"]) < float(rect["x"])
    assert value.text == "50 %"


def test_right_to_left_axis_runs_from_0_on_the_right():
    svg = chart([charts.Bar("A", 10)], rtl=True).svg

    ticks = {t.text: float(t["x"]) for t in svg.select("svg > text") if "%" in t.text}
    assert ticks["0 %"] == charts.WIDTH - charts.PLOT_LEFT
    assert ticks["100 %"] < ticks["50 %"] < ticks["0 %"]


def test_chart_follows_the_direction_of_the_active_language():
    from django.utils import translation

    with translation.override("ar"):
        assert chart([charts.Bar("A", 10)]).svg["direction"] == "rtl"
    with translation.override("en"):
        assert chart([charts.Bar("A", 10)]).svg["direction"] == "ltr"


def test_english_label_in_the_arabic_chart_is_isolated():
    svg = chart([charts.Bar("ILO C29 (2014)", 10)], rtl=True).svg

    assert svg.select_one("g.chart-bar tspan").text == "\u2068ILO C29 (2014)\u2069"


def test_no_bars_draw_nothing():
    assert (
        str(
            charts.percent_bar_chart(
                [], chart_id="c", title="t", description="d", axis_label="x"
            )
        )
        == ""
    )


def test_chart_id_must_be_a_usable_html_id():
    with pytest.raises(ValueError, match="usable id"):
        charts.percent_bar_chart(
            [charts.Bar("A", 1)],
            chart_id='x" onload="alert(1)',
            title="t",
            description="d",
            axis_label="x",
        )


# --- The dashboard panel -------------------------------------------------------------


def enrol_and_finish(user, course, *, finish: bool):
    enrolment = course_services.enrol(user, course)
    if finish:
        for lesson in lessons(course):
            course_services.complete_lesson(enrolment, lesson)
    return enrolment


@pytest.fixture
def enrolments(moi, mofa, make_course):
    """MOI: two of three enrolments completed (two courses); MOFA: one of one."""
    victims = make_course("Identifying victims", lessons=1)
    labour = make_course("Labour rights", lessons=1)
    a, b = UserFactory(ministry=moi), UserFactory(ministry=moi)
    enrol_and_finish(a, victims, finish=True)
    enrol_and_finish(b, victims, finish=False)
    enrol_and_finish(a, labour, finish=True)
    enrol_and_finish(UserFactory(ministry=mofa), victims, finish=True)
    return victims, labour


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel(soup):
    return soup.find(id="training-completion-section")


def panel_table(soup) -> dict[str, list[str]]:
    rows = panel(soup).select("table tbody tr")
    return {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row("td")]
        for row in rows
    }


@pytest.mark.django_db
def test_committee_sees_completion_rate_by_ministry(client, enrolments):
    soup = home(client, staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    assert "Completion rate by ministry" in panel(soup).get_text()
    svg = panel(soup).find("svg", role="img")
    assert svg["role"] == "img"
    assert len(svg.select("g.chart-bar")) == 2
    expected = {
        row.ministry_name: row
        for row in stats.completion(Scope.national(), ("ministry",))
    }
    table = panel_table(soup)
    assert (
        set(table)
        == set(expected)
        == {
            "Ministry of Interior",
            "Ministry of Foreign Affairs",
        }
    )
    assert table["Ministry of Interior"] == ["3", "2", "66.7 %"]
    assert table["Ministry of Foreign Affairs"] == ["1", "1", "100 %"]
    assert expected["Ministry of Interior"].completion_rate == Decimal("66.7")


@pytest.mark.django_db
def test_focal_point_sees_completion_rate_by_course_of_its_ministry(
    client, moi, enrolments
):
    soup = home(client, staff_user(roles.FOCAL_POINTS, ministry=moi))

    assert "Completion rate by course" in panel(soup).get_text()
    assert len(panel(soup).select("svg g.chart-bar")) == 2
    # MOI only: MOFA's completion of the first course does not count here.
    assert panel_table(soup) == {
        "Identifying victims": ["2", "1", "50 %"],
        "Labour rights": ["1", "1", "100 %"],
    }


@pytest.mark.django_db
def test_trainer_sees_the_chart_by_ministry(client, enrolments):
    soup = home(client, staff_user(roles.TRAINERS, ministry=None))

    assert len(panel(soup).select("svg g.chart-bar")) == 2


@pytest.mark.django_db
def test_panel_links_to_the_completion_report(client, enrolments):
    soup = home(client, staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    assert panel(soup).find("a", href=reverse("training_reports:completion"))


@pytest.mark.django_db
def test_certificate_officer_has_no_chart(client, enrolments):
    soup = home(client, staff_user(roles.CERTIFICATE_OFFICERS, ministry=None))

    assert panel(soup) is None


@pytest.mark.django_db
def test_panel_without_enrolments_says_there_is_nothing_yet(client, home_page):
    soup = home(client, staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    assert panel(soup).find("svg", role="img") is None
    assert panel(soup).find("table") is None
    assert "No officer is enrolled in a course yet" in panel(soup).get_text()


@pytest.mark.django_db
def test_panel_escapes_a_ministry_name(client, make_course):
    hostile = MinistryFactory(code="XSS", name_en="<script>alert(1)</script>")
    UserFactory(ministry=hostile)
    course_services.enrol(UserFactory(ministry=hostile), make_course("Course", 1))
    client.force_login(staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.django_db
@pytest.mark.parametrize("ministries", [2, 12])
def test_panel_query_count_does_not_grow_with_ministries(
    client, make_course, ministries, django_assert_max_num_queries
):
    course = make_course("Course", lessons=1)
    for _n in range(ministries):
        enrol_and_finish(UserFactory(ministry=MinistryFactory()), course, finish=True)
    client.force_login(staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    with django_assert_max_num_queries(24):
        soup = BeautifulSoup(
            client.get(reverse("wagtailadmin_home")).content, "html.parser"
        )

    assert len(panel(soup).select("svg g.chart-bar")) == ministries
