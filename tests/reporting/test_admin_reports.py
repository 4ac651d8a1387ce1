"""The "Training reports" of the Wagtail admin: completion by ministry and course,
officials trained per year and officer records, with their filters, exports, menu
entries, scoping and query budgets.

The small dataset below is built through the services (enrol, complete lessons,
issue and revoke certificates); the figures on the pages must be the ones
``reporting.stats`` computes for the same scope and filters.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from accounts.access import Scope
from accounts.models import Cadre, Gender
from certificates import services as certificate_services
from certificates.models import RevocationReason
from courses import services as course_services
from reporting import stats
from reporting.stats import StatsFilter
from tests import blocks
from tests.blocks import shareable, shared_fixture
from tests.courses.conftest import course_factory, lessons
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db

COMPLETION = "training_reports:completion"
COMPLETION_RESULTS = "training_reports:completion_results"
PER_YEAR = "training_reports:trained_per_year"
RECORDS = "training_reports:officer_records"

# Whole-request budgets: session, user, permissions, the admin menu, the filters'
# choices and the report's own queries (at most six: the completion table takes four
# and its totals line two). Measured at 19, 14 and 15, with two to spare for the
# other entries of the Training reports menu; they must not grow with the data.
COMPLETION_QUERIES = 21
PER_YEAR_QUERIES = 16
RECORDS_QUERIES = 17


# --- The dataset -------------------------------------------------------------------


def finish(enrolment, course):
    """Complete every lesson of ``course`` and issue the certificate (the signal
    that issues it runs on commit, which a test transaction never reaches)."""
    for lesson in lessons(course):
        course_services.complete_lesson(enrolment, lesson)
    return certificate_services.issue_certificate(enrolment)


@shareable("admin_reports.courses", "catalogue")
def build_courses(catalogue):
    make_course = course_factory(catalogue)
    return (
        make_course("Identifying victims", lessons=2),
        make_course("Labour rights of domestic workers", lessons=1),
    )


@pytest.fixture
@shared_fixture("admin_reports.courses")
def courses(request, catalogue):
    return blocks.value(
        request, "admin_reports.courses", lambda: build_courses(catalogue)
    )


@pytest.fixture
@shared_fixture("admin_reports.people")
def people(request, moi, mofa, courses):
    return blocks.value(
        request, "admin_reports.people", lambda: build_people(moi, mofa, courses)
    )


@shareable("admin_reports.people", "moi", "mofa", "admin_reports.courses")
def build_people(moi, mofa, courses):
    """MOI: Amal (police, woman) completed both courses; Badr (police, man) started
    the first; Dana (labour inspector, woman) enrolled in the first only.
    MOFA: Faris (diplomat, man) completed the first, his certificate revoked."""
    victims, labour = courses
    amal = UserFactory(
        ministry=moi,
        email="amal@moi.gov.kw",
        full_name_en="Amal Al-Sabah",
        employee_number="MOI-001",
        cadre=Cadre.POLICE,
        gender=Gender.FEMALE,
    )
    badr = UserFactory(
        ministry=moi,
        email="badr@moi.gov.kw",
        full_name_en="Badr Al-Mutairi",
        cadre=Cadre.POLICE,
        gender=Gender.MALE,
    )
    dana = UserFactory(
        ministry=moi,
        email="dana@moi.gov.kw",
        full_name_en="Dana Al-Rashid",
        cadre=Cadre.LABOUR_INSPECTOR,
        gender=Gender.FEMALE,
    )
    faris = UserFactory(
        ministry=mofa,
        email="faris@mofa.gov.kw",
        full_name_en="Faris Al-Enezi",
        cadre=Cadre.DIPLOMAT,
        gender=Gender.MALE,
    )
    amal_certificate = finish(course_services.enrol(amal, victims), victims)
    finish(course_services.enrol(amal, labour), labour)
    course_services.complete_lesson(
        course_services.enrol(badr, victims), lessons(victims)[0]
    )
    course_services.enrol(dana, victims)
    faris_certificate = finish(course_services.enrol(faris, victims), victims)
    certificate_services.revoke(faris_certificate, None, RevocationReason.ERROR)
    return {
        "amal": amal,
        "badr": badr,
        "dana": dana,
        "faris": faris,
        "amal_certificate": amal_certificate,
    }


@pytest.fixture
def committee(db):
    return staff_user(roles.NATIONAL_COMMITTEE, ministry=None)


@pytest.fixture
def focal_point(moi):
    return staff_user(roles.FOCAL_POINTS, ministry=moi, email="focal@moi.gov.kw")


@pytest.fixture
def trainer(db):
    return staff_user(roles.TRAINERS, ministry=None)


def signed_in(client, user):
    client.force_login(user)
    return client


def page(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def table_rows(soup) -> list[list[str]]:
    """The cells of the results table, one list per body row."""
    table = soup.select_one("#listing-results table")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        for row in table.select("tbody tr")
    ]


def headings(soup) -> list[str]:
    table = soup.select_one("#listing-results table")
    return [th.get_text(" ", strip=True) for th in table.select("thead th")]


def row_for(rows, *texts):
    matches = [row for row in rows if all(text in row for text in texts)]
    assert len(matches) == 1, (texts, rows)
    return matches[0]


def figures(row: stats.CompletionRow) -> list[str]:
    def percent(value):
        if value is None:
            return "—"
        text = f"{value.normalize():f}" if value == value.to_integral() else str(value)
        return f"{text} %"

    return [
        "—" if row.officers is None else str(row.officers),
        str(row.enrolled),
        str(row.started),
        str(row.completed),
        str(row.passed_quiz),
        str(row.certified),
        str(row.expired),
        str(row.overdue),
        percent(row.completion_rate),
        percent(row.coverage),
    ]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


# --- Completion by ministry and course ------------------------------------------------


def test_completion_report_shows_the_figures_stats_computes(
    client, committee, people, moi, mofa
):
    soup = page(signed_in(client, committee), COMPLETION)

    assert soup.find("h1").get_text(strip=True) == "Completion by ministry and course"
    rows = table_rows(soup)
    expected = stats.completion(Scope.national(), ("ministry", "course"))
    assert len(rows) == len(expected) == 3
    for row in expected:
        shown = row_for(rows, row.ministry_name, row.course_title)
        assert shown[2:] == figures(row)
    # Spot check against the story of the dataset: MOI in the first course.
    moi_victims = row_for(rows, "Ministry of Interior", "Identifying victims")
    assert moi_victims[2:6] == ["3", "3", "2", "1"]  # officers, enrolled, started, done


def test_completion_report_has_a_column_for_each_figure(client, committee, people):
    soup = page(signed_in(client, committee), COMPLETION)

    assert headings(soup) == [
        "Ministry",
        "Course",
        "Officers",
        "Enrolled",
        "Started",
        "Completed",
        "Passed quiz",
        "Certified",
        "Expired",
        "Overdue",
        "Completion rate",
        "Coverage",
    ]


def test_completion_totals_line_is_counted_by_stats(client, committee, people):
    soup = page(signed_in(client, committee), COMPLETION)

    [total] = stats.completion(Scope.national(), ())
    line = soup.select_one("[data-totals]").get_text(" ", strip=True)
    assert f"{total.officers} officers" in line
    assert f"{total.enrolled} enrolled" in line
    assert f"{total.completed} completed" in line
    # Four officers, five enrolments: officers are not summed over rows.
    assert (total.officers, total.enrolled) == (4, 5)


def test_completion_report_filters_by_course(client, committee, people, courses):
    victims, labour = courses

    rows = table_rows(page(signed_in(client, committee), COMPLETION, course=labour.pk))

    assert [row[:2] for row in rows] == [
        ["Ministry of Interior", "Labour rights of domestic workers"]
    ]


def test_completion_report_filters_by_gender_and_cadre(client, committee, people):
    rows = table_rows(
        page(
            signed_in(client, committee),
            COMPLETION,
            gender=Gender.FEMALE,
            cadre=Cadre.POLICE,
        )
    )

    expected = stats.completion(
        Scope.national(),
        ("ministry", "course"),
        StatsFilter(gender=Gender.FEMALE, cadre=Cadre.POLICE),
    )
    assert len(rows) == len(expected) == 2  # Amal's two courses
    for row in expected:
        assert row_for(rows, row.ministry_name, row.course_title)[2:] == figures(row)


def test_completion_date_range_on_issue_date_keeps_certificates_issued_in_it(
    client, committee, people
):
    issued = timezone.localdate(people["amal_certificate"].issued_at)

    rows = table_rows(
        page(
            signed_in(client, committee),
            COMPLETION,
            date_from=issued.isoformat(),
            date_to=issued.isoformat(),
            date_basis="issued",
        )
    )

    # Faris's certificate was revoked: only Amal's two courses remain.
    assert {(row[0], row[1]) for row in rows} == {
        ("Ministry of Interior", "Identifying victims"),
        ("Ministry of Interior", "Labour rights of domestic workers"),
    }


def test_completion_breakdown_by_gender_adds_a_gender_column(client, committee, people):
    soup = page(signed_in(client, committee), COMPLETION, breakdown="gender")

    assert headings(soup)[:3] == ["Ministry", "Course", "Gender"]
    rows = table_rows(soup)
    expected = stats.completion(Scope.national(), ("ministry", "course", "gender"))
    assert len(rows) == len(expected) == 4
    women = row_for(rows, "Ministry of Interior", "Identifying victims", "Female")
    assert women[3:] == figures(
        next(
            r
            for r in expected
            if r.ministry_code == "MOI"
            and r.course_title == "Identifying victims"
            and r.gender == Gender.FEMALE
        )
    )


def test_completion_xlsx_export_has_headings_and_numbers(client, committee, people):
    response = signed_in(client, committee).get(reverse(COMPLETION), {"export": "xlsx"})

    heading, *rows = workbook_rows(response)
    assert heading == (
        "Ministry code",
        "Ministry",
        "Course",
        "Officers",
        "Enrolled",
        "Started",
        "Completed",
        "Passed quiz",
        "Certified",
        "Expired",
        "Overdue",
        "Completion rate (%)",
        "Coverage (%)",
    )
    by_key = {(row[0], row[2]): row for row in rows}
    moi_victims = by_key["MOI", "Identifying victims"]
    assert moi_victims[3:7] == (3, 3, 2, 1)
    assert isinstance(moi_victims[11], (int, float))  # a number, not text
    assert moi_victims[11] == pytest.approx(33.3)
    assert len(rows) == 3


def test_completion_csv_export_follows_the_filters(client, committee, people, courses):
    victims, _labour = courses

    rows = csv_rows(
        signed_in(client, committee).get(
            reverse(COMPLETION), {"export": "csv", "course": victims.pk}
        )
    )

    assert [(row["Ministry code"], row["Course"]) for row in rows] == [
        ("MOFA", "Identifying victims"),
        ("MOI", "Identifying victims"),
    ]
    mofa = next(row for row in rows if row["Ministry code"] == "MOFA")
    assert (mofa["Enrolled"], mofa["Completed"], mofa["Certified"]) == ("1", "1", "0")
    assert mofa["Completion rate (%)"] == "100.0"


def test_export_link_of_the_live_filtered_results_exports_those_results(
    client, committee, people, courses
):
    # After live filtering, the admin points the export links at the results URL.
    _victims, labour = courses

    rows = csv_rows(
        signed_in(client, committee).get(
            reverse(COMPLETION_RESULTS), {"course": labour.pk, "export": "csv"}
        )
    )

    assert [row["Course"] for row in rows] == ["Labour rights of domestic workers"]


def test_start_date_after_end_date_is_refused_with_a_message(client, committee, people):
    response = signed_in(client, committee).get(
        reverse(COMPLETION), {"date_from": "2025-06-01", "date_to": "2025-01-01"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "The start date is after the end date." in body
    assert "Identifying victims" not in body.split('id="listing-results"')[1]


def test_unknown_course_is_refused_with_a_message(client, committee, people):
    response = signed_in(client, committee).get(reverse(COMPLETION), {"course": "abc"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_export_with_invalid_filters_is_a_400_naming_the_problem(client, committee):
    response = signed_in(client, committee).get(
        reverse(COMPLETION),
        {"export": "xlsx", "date_from": "2025-06-01", "date_to": "2025-01-01"},
    )

    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()


def test_live_filtering_fragment_holds_the_rows(client, committee, people, courses):
    _victims, labour = courses

    response = signed_in(client, committee).get(
        reverse(COMPLETION_RESULTS), {"course": labour.pk}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Labour rights of domestic workers" in body
    assert "Faris" not in body


# --- Scoping -------------------------------------------------------------------------


def test_focal_point_sees_only_its_own_ministry(client, focal_point, people):
    rows = table_rows(page(signed_in(client, focal_point), COMPLETION))

    assert {row[0] for row in rows} == {"Ministry of Interior"}
    expected = stats.completion(Scope.ministry(focal_point.ministry_id))
    assert len(rows) == len(expected) == 2


def test_focal_point_asking_for_another_ministry_still_sees_only_its_own(
    client, focal_point, people, mofa
):
    client = signed_in(client, focal_point)

    rows = table_rows(page(client, COMPLETION, ministry=mofa.pk))
    exported = csv_rows(
        client.get(reverse(COMPLETION), {"export": "csv", "ministry": mofa.pk})
    )

    assert rows and {row[0] for row in rows} == {"Ministry of Interior"}
    assert {row["Ministry code"] for row in exported} == {"MOI"}


def test_focal_point_is_not_offered_a_ministry_filter(client, focal_point, committee):
    focal_form = page(signed_in(client, focal_point), COMPLETION)
    committee_form = page(signed_in(client, committee), COMPLETION)

    assert focal_form.find(attrs={"name": "ministry"}) is None
    assert committee_form.find(attrs={"name": "ministry"}) is not None


def test_committee_filters_by_ministry(client, committee, people, mofa):
    rows = table_rows(page(signed_in(client, committee), COMPLETION, ministry=mofa.pk))

    assert [row[:2] for row in rows] == [
        ["Ministry of Foreign Affairs", "Identifying victims"]
    ]


def test_trainer_sees_the_aggregates_of_every_ministry(client, trainer, people):
    rows = table_rows(page(signed_in(client, trainer), COMPLETION))

    assert {row[0] for row in rows} == {
        "Ministry of Interior",
        "Ministry of Foreign Affairs",
    }


def test_trainer_cannot_open_officer_records(client, trainer, people):
    response = signed_in(client, trainer).get(reverse(RECORDS), follow=True)

    assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302)
    body = response.content.decode()
    assert "Sorry, you do not have permission to access this area." in body
    assert "amal@moi.gov.kw" not in body


def test_trainer_cannot_export_officer_records(client, trainer, people):
    response = signed_in(client, trainer).get(reverse(RECORDS), {"export": "csv"})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", [COMPLETION, PER_YEAR, RECORDS])
def test_certificate_officer_cannot_open_the_reports(client, people, name):
    certificate_officer = staff_user(roles.CERTIFICATE_OFFICERS, ministry=None)

    response = signed_in(client, certificate_officer).get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", [COMPLETION, PER_YEAR, RECORDS])
def test_officer_cannot_open_the_reports(client, people, name):
    response = signed_in(client, people["amal"]).get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse(COMPLETION))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Menu ----------------------------------------------------------------------------


def menu_labels(client) -> str:
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_committee_menu_lists_the_three_reports(client, committee):
    body = menu_labels(signed_in(client, committee))

    assert reverse(COMPLETION) in body
    assert reverse(PER_YEAR) in body
    assert reverse(RECORDS) in body


def test_trainer_menu_has_no_officer_records(client, trainer):
    body = menu_labels(signed_in(client, trainer))

    assert reverse(COMPLETION) in body
    assert reverse(PER_YEAR) in body
    assert reverse(RECORDS) not in body


def test_certificate_officer_menu_has_no_training_reports(client):
    body = menu_labels(
        signed_in(client, staff_user(roles.CERTIFICATE_OFFICERS, ministry=None))
    )

    assert reverse(COMPLETION) not in body
    assert reverse(RECORDS) not in body


# --- Officials trained per year ------------------------------------------------------


def test_trained_per_year_shows_the_figures_stats_computes(client, committee, people):
    soup = page(signed_in(client, committee), PER_YEAR)

    assert soup.find("h1").get_text(strip=True) == "Officials trained per year"
    rows = table_rows(soup)
    expected = stats.trained_per_year(Scope.national())
    assert len(rows) == len(expected) == 3  # all ministries, MOI, MOFA
    year = str(expected[0].year)
    all_ministries = row_for(rows, year, "All ministries")
    # Officials, women, men, undisclosed: Amal and Faris.
    assert all_ministries[2:6] == ["2", "1", "1", "0"]
    moi = row_for(rows, year, "Ministry of Interior")
    assert moi[2:6] == ["1", "1", "0", "0"]
    police = headings(soup).index("Police officer")
    assert moi[police] == "1"


def test_trained_per_year_for_a_focal_point_has_no_national_row(
    client, focal_point, people
):
    rows = table_rows(page(signed_in(client, focal_point), PER_YEAR))

    assert [row[1] for row in rows] == ["Ministry of Interior"]


def test_trained_per_year_xlsx_has_a_column_per_cadre(client, committee, people):
    response = signed_in(client, committee).get(reverse(PER_YEAR), {"export": "xlsx"})

    heading, *rows = workbook_rows(response)
    assert heading[:7] == (
        "Year",
        "Ministry code",
        "Ministry",
        "Officials trained",
        "Women",
        "Men",
        "Gender undisclosed",
    )
    assert set(heading[7:]) == {str(label) for label in Cadre.labels}
    national = next(row for row in rows if row[2] == "All ministries")
    assert national[3] == 2
    assert national[heading.index("Diplomat or consular officer")] == 1


# --- Officer records -----------------------------------------------------------------


def test_officer_records_list_the_focal_points_officers(client, focal_point, people):
    soup = page(signed_in(client, focal_point), RECORDS)

    rows = table_rows(soup)
    records = stats.officer_records(Scope.ministry(focal_point.ministry_id))
    assert len(rows) == records.count()
    assert len(rows) == 4
    body = soup.get_text(" ")
    assert "faris@mofa.gov.kw" not in body
    amal = row_for(rows, "amal@moi.gov.kw", "Identifying victims")
    assert "Amal Al-Sabah" in amal
    assert "MOI-001" in amal
    assert "Completed" in amal
    assert people["amal_certificate"].code in amal
    assert "Valid" in amal
    badr = row_for(rows, "badr@moi.gov.kw")
    assert "In progress" in badr


def test_officer_records_filter_by_status(client, focal_point, people):
    rows = table_rows(page(signed_in(client, focal_point), RECORDS, status="completed"))

    assert {row[1] for row in rows} == {"amal@moi.gov.kw"}
    assert len(rows) == 2


def test_committee_sees_revoked_certificates_in_records(client, committee, people):
    rows = table_rows(page(signed_in(client, committee), RECORDS))

    faris = row_for(rows, "faris@mofa.gov.kw")
    assert "Revoked" in faris
    assert len(rows) == 5


def test_focal_point_cannot_list_another_ministrys_records(
    client, focal_point, people, mofa
):
    client = signed_in(client, focal_point)

    rows = table_rows(page(client, RECORDS, ministry=mofa.pk))
    exported = csv_rows(
        client.get(reverse(RECORDS), {"export": "csv", "ministry": mofa.pk})
    )

    assert rows and all("faris@mofa.gov.kw" not in row for row in rows)
    assert {row["Ministry code"] for row in exported} == {"MOI"}


def test_officer_records_csv_has_labels_and_local_dates(client, focal_point, people):
    rows = csv_rows(
        signed_in(client, focal_point).get(reverse(RECORDS), {"export": "csv"})
    )

    amal = next(
        row
        for row in rows
        if row["E-mail"] == "amal@moi.gov.kw" and row["Course"] == "Identifying victims"
    )
    assert amal["Status"] == "Completed"
    assert amal["Certificate state"] == "Valid"
    assert amal["Certificate code"] == people["amal_certificate"].code
    assert amal["Employee number"] == "MOI-001"
    issued = people["amal_certificate"].issued_at
    assert amal["Completed"] == timezone.localdate(issued).isoformat()
    dana = next(row for row in rows if row["E-mail"] == "dana@moi.gov.kw")
    assert (dana["Status"], dana["Started"], dana["Certificate state"]) == (
        "Not started",
        "",
        "",
    )


def test_officer_records_xlsx_opens_with_the_headings(client, committee, people):
    response = signed_in(client, committee).get(reverse(RECORDS), {"export": "xlsx"})

    heading, *rows = workbook_rows(response)
    assert heading == (
        "Name (English)",
        "Name (Arabic)",
        "E-mail",
        "Employee number",
        "Ministry code",
        "Ministry",
        "Course",
        "Status",
        "Enrolled",
        "Started",
        "Completed",
        "Due date",
        "Best score (%)",
        "Certificate code",
        "Certificate state",
    )
    assert len(rows) == 5


# --- Query budgets -------------------------------------------------------------------


def add_officers(ministry, course, count):
    for _n in range(count):
        officer = UserFactory(ministry=ministry)
        finish(course_services.enrol(officer, course), course)


@pytest.mark.parametrize("officers", [2, 30])
def test_completion_report_query_count_does_not_grow(
    client, committee, moi, mofa, courses, officers, django_assert_max_num_queries
):
    add_officers(moi, courses[0], officers)
    add_officers(mofa, courses[1], officers)
    client = signed_in(client, committee)

    with django_assert_max_num_queries(COMPLETION_QUERIES):
        response = client.get(reverse(COMPLETION))
    assert response.status_code == 200
    with django_assert_max_num_queries(COMPLETION_QUERIES):
        response = client.get(reverse(COMPLETION), {"export": "xlsx"})
    assert response.status_code == 200


@pytest.mark.parametrize("officers", [2, 30])
def test_trained_per_year_query_count_does_not_grow(
    client, committee, moi, mofa, courses, officers, django_assert_max_num_queries
):
    add_officers(moi, courses[0], officers)
    add_officers(mofa, courses[1], officers)
    client = signed_in(client, committee)

    with django_assert_max_num_queries(PER_YEAR_QUERIES):
        response = client.get(reverse(PER_YEAR))
    assert response.status_code == 200


@pytest.mark.parametrize("officers", [2, 30])
def test_officer_records_query_count_does_not_grow(
    client, focal_point, moi, courses, officers, django_assert_max_num_queries
):
    add_officers(moi, courses[0], officers)
    client = signed_in(client, focal_point)

    with django_assert_max_num_queries(RECORDS_QUERIES):
        response = client.get(reverse(RECORDS))
    assert response.status_code == 200
    with django_assert_max_num_queries(RECORDS_QUERIES):
        response = client.get(reverse(RECORDS), {"export": "csv"})
        csv_rows(response)


def test_completion_report_data_takes_at_most_six_queries(
    rf, committee, people, django_assert_max_num_queries
):
    from reporting.admin.reports import CompletionReportView

    request = rf.get(reverse(COMPLETION), {"breakdown": "cadre"})
    request.user = committee
    view = CompletionReportView()
    view.setup(request)
    assert view.scope.is_national  # who the caller is: asked before the data

    with django_assert_max_num_queries(6):
        rows = view.get_filtered_queryset()
        totals = view.totals

    assert rows and totals.enrolled == sum(row.enrolled for row in rows)


def test_csv_export_does_not_let_a_name_run_as_a_formula(client, focal_point, people):
    from accounts.models import User

    User.objects.filter(email="amal@moi.gov.kw").update(
        full_name_en='=HYPERLINK("http://example.org","x")'
    )
    rows = csv_rows(
        signed_in(client, focal_point).get(reverse(RECORDS), {"export": "csv"})
    )

    amal = next(row for row in rows if row["E-mail"] == "amal@moi.gov.kw")
    assert amal["Name (English)"] == '\'=HYPERLINK("http://example.org","x")'


@pytest.mark.parametrize(
    ("report", "api", "message"),
    [
        (
            {"date_from": "2025-06-01", "date_to": "2025-01-01"},
            {"from": "2025-06-01", "to": "2025-01-01"},
            "The start date is after the end date.",
        ),
        (
            {"date_from": "1800-01-01"},
            {"from": "1800-01-01"},
            "Give dates between 1900-01-01 and 2999-12-31.",
        ),
    ],
)
def test_one_date_range_rule_and_message_for_the_report_and_the_api(
    client, committee, report, api, message
):
    """Decided: one date-range rule (``stats.check_date_range``) and one message,
    on the admin report (400) and the REST API (400, naming the parameter)."""
    signed_in(client, committee)

    page = client.get(reverse(COMPLETION), report)
    answer = client.get("/api/v1/stats/completion/", api)

    assert page.status_code == 400
    assert message in html.unescape(page.content.decode())
    assert answer.status_code == 400
    assert answer.json() == {"from": [message]}
    with pytest.raises(ValueError, match=re.escape(message)):
        StatsFilter(
            date_from=date.fromisoformat(api["from"]),
            date_to=date.fromisoformat(api["to"]) if "to" in api else None,
        )


# --- Exports that open in Excel in Arabic ----------------------------------------


def in_arabic_admin(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    return user


def test_csv_export_starts_with_a_byte_order_mark_for_excel(
    client, focal_point, people
):
    from accounts.models import User

    User.objects.filter(email="amal@moi.gov.kw").update(full_name_ar="أمل الصباح")
    response = signed_in(client, focal_point).get(reverse(RECORDS), {"export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    amal = next(
        row
        for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        if row["E-mail"] == "amal@moi.gov.kw"
    )
    assert amal["Name (Arabic)"] == "أمل الصباح"


def test_xlsx_from_the_arabic_admin_is_right_to_left(client, committee, people):
    from django.utils import translation

    signed_in(client, in_arabic_admin(committee))
    response = client.get(reverse(COMPLETION), {"export": "xlsx"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.sheet_view.rightToLeft is True
    heading = next(workbook.active.iter_rows(values_only=True))
    with translation.override("ar"):
        assert heading[:3] == tuple(
            translation.gettext(text)
            for text in ("Ministry code", "Ministry", "Course")
        )


def test_xlsx_from_the_english_admin_is_left_to_right(client, committee, people):
    response = signed_in(client, committee).get(reverse(COMPLETION), {"export": "xlsx"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert not workbook.active.sheet_view.rightToLeft
