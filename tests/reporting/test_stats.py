"""The numbers of reporting/stats.py against values computed by hand on the dataset
of conftest.py.

Officers (active, verified): MOI a, b, c, h (d is deactivated, e unverified); MOFA f, g.

ministry · course  enrolled     started completed  passed certified expired overdue
MOI · c1           4 (a b c d)  4       3 (a c d)  3      1 (d)     1 (a)   0
MOI · c2           2 (a b)      1       1 (b)      0      1 (b)     0       1 (a)
MOFA · c1          2 (f g)      1       1 (f)      1      0         1 (f)   0
MOFA · c2          1 (g)        1       1          0      1         0       0
(f is renewing: cycle 2 started, cycle 1 completed with a certificate that expired.)
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts import access, roles
from accounts.access import Scope
from certificates import services as certificate_services
from courses import services as course_services
from courses.models import Enrolment
from quizzes import services as quiz_services
from reporting import stats
from reporting.stats import StatsFilter
from tests.courses.conftest import lessons, right_answers
from tests.factories import UserFactory, staff_user
from tests.reporting.conftest import fact_columns

pytestmark = pytest.mark.django_db

COUNTS = (
    "enrolled",
    "started",
    "completed",
    "passed_quiz",
    "certified",
    "expired",
    "overdue",
)


def figures(row) -> tuple:
    return tuple(getattr(row, name) for name in COUNTS)


def by_key(rows, *fields):
    return {tuple(getattr(r, f) for f in fields): r for r in rows}


def test_national_ministry_by_course_table_matches_the_hand_count(
    dataset, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rows = stats.completion(Scope.national(), ("ministry", "course"))
    table = by_key(rows, "ministry_code", "course_title")
    assert figures(table["MOI", "Identifying victims"]) == (4, 4, 3, 3, 1, 1, 0)
    assert figures(table["MOI", "Labour rights"]) == (2, 1, 1, 0, 1, 0, 1)
    assert figures(table["MOFA", "Identifying victims"]) == (2, 1, 1, 1, 0, 1, 0)
    assert figures(table["MOFA", "Labour rights"]) == (1, 1, 1, 0, 1, 0, 0)
    assert len(rows) == 4


def test_completion_rate_and_coverage(dataset):
    table = by_key(
        stats.completion(Scope.national(), ("ministry", "course")),
        "ministry_code",
        "course_title",
    )
    moi_c1 = table["MOI", "Identifying victims"]
    assert moi_c1.officers == 4
    assert moi_c1.completion_rate == Decimal("75.0")
    # d holds the only valid certificate but is deactivated: not covered.
    assert moi_c1.coverage == Decimal("0.0")
    assert table["MOI", "Labour rights"].coverage == Decimal("25.0")
    assert table["MOFA", "Labour rights"].coverage == Decimal("50.0")
    assert table["MOFA", "Labour rights"].completion_rate == Decimal("100.0")


def test_totals_without_grouping(dataset):
    [total] = stats.completion(Scope.national(), ())
    assert figures(total) == (9, 7, 6, 4, 3, 2, 1)
    assert total.officers == 6
    assert total.coverage is None  # coverage needs a course


def test_focal_point_scope_holds_only_its_ministry(dataset):
    scope = access.scope_for_user(
        staff_user(roles.FOCAL_POINTS, ministry=dataset.moi, verified=False)
    )
    rows = stats.completion(scope, ("ministry", "course"))
    assert {r.ministry_code for r in rows} == {"MOI"}
    # Asking for the other ministry gives nothing, not its rows.
    assert (
        stats.completion(scope, ("course",), StatsFilter(ministry=dataset.mofa.pk))
        == []
    )


def test_officer_counts_follow_cadre_and_gender_groups(dataset):
    rows = stats.completion(
        Scope.ministry(dataset.moi.pk), ("course", "cadre", "gender")
    )
    table = by_key(rows, "course_title", "cadre", "gender")
    police_women = table["Identifying victims", "police", "female"]
    assert police_women.enrolled == 2  # a and d
    assert police_women.officers == 1  # a; d is deactivated
    assert table["Identifying victims", "labour_inspector", "male"].completed == 1


def test_grouping_by_year_uses_the_enrolment_year(dataset):
    rows = stats.completion(Scope.ministry(dataset.moi.pk), ("course", "year"))
    table = by_key(rows, "course_title", "year")
    assert table["Identifying victims", 2025].enrolled == 3
    assert table["Identifying victims", 2024].enrolled == 1
    assert table["Identifying victims", 2024].officers is None


def test_filters_by_course_and_cadre(dataset):
    rows = stats.completion(
        Scope.national(),
        ("ministry",),
        StatsFilter(course=dataset.c1.pk, cadre="police"),
    )
    [moi] = rows
    assert moi.ministry_code == "MOI"
    assert figures(moi) == (3, 3, 2, 2, 1, 1, 0)
    assert moi.officers == 2  # a and b


def test_date_range_on_completion_or_issue_date(dataset):
    in_2025 = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
    rows = by_key(
        stats.completion(
            Scope.national(), ("ministry", "course"), StatsFilter(**in_2025)
        ),
        "ministry_code",
        "course_title",
    )
    assert set(rows) == {("MOI", "Identifying victims"), ("MOI", "Labour rights")}
    assert rows["MOI", "Identifying victims"].completed == 2  # a and d
    issued = stats.completion(
        Scope.national(),
        (),
        StatsFilter(
            date_from=date(2024, 9, 9), date_to=date(2024, 9, 9), date_basis="issued"
        ),
    )
    assert [figures(r) for r in issued] == [(1, 1, 1, 0, 1, 0, 0)]  # g·c2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cadre": "astronaut"},
        {"gender": "x"},
        {"date_basis": "enrolled-ish"},
        {"date_from": date(2025, 2, 1), "date_to": date(2025, 1, 1)},
    ],
)
def test_bad_filters_are_refused(kwargs):
    with pytest.raises(ValueError):
        StatsFilter(**kwargs)


def test_unknown_group_is_refused_by_name():
    with pytest.raises(ValueError, match="planet"):
        stats.parse_group_by("ministry,planet")


def test_officials_trained_per_year(dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = stats.trained_per_year(Scope.national())
    table = by_key(rows, "year", "ministry_code")
    assert table[2025, "MOI"].officers == 3  # a, b, d (history counts)
    assert table[2025, "MOI"].female == 2
    assert table[2025, "MOI"].by_cadre == {"police": 3}
    assert table[2024, None].officers == 2  # c (MOI) and g (MOFA)
    assert table[2023, "MOFA"].officers == 1  # f's first cycle
    assert [r.year for r in rows] == sorted((r.year for r in rows), reverse=True)


def test_an_officer_with_two_courses_in_a_year_counts_once(dataset):
    enrolment = dataset.enrolments["E2"]
    Enrolment.objects.filter(pk=enrolment.pk).update(
        started_at=dataset.enrolments["E1"].completed_at,
        completed_at=dataset.enrolments["E1"].completed_at,
    )
    table = by_key(stats.trained_per_year(Scope.national()), "year", "ministry_code")
    assert table[2025, "MOI"].officers == 3


def test_ministry_scope_has_no_national_total_row(dataset):
    rows = stats.trained_per_year(Scope.ministry(dataset.mofa.pk))
    assert {r.ministry_code for r in rows} == {"MOFA"}


def test_officer_records_status_score_and_certificate(
    dataset, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        records = {
            r.pk: r for r in stats.officer_records(Scope.ministry(dataset.moi.pk))
        }
    e = dataset.enrolments
    assert len(records) == 6  # a·c1 a·c2 b·c1 b·c2 c·c1 d·c1
    assert records[e["E1"].pk].record_status == "completed"
    assert records[e["E1"].pk].certificate_state == "expired"
    assert records[e["E1"].pk].best_score == Decimal("75.00")
    assert records[e["E2"].pk].record_status == "overdue"
    assert records[e["E3"].pk].record_status == "in_progress"
    assert records[e["E3"].pk].best_score == Decimal("25.00")
    assert records[e["E5"].pk].certificate_state == "revoked"
    assert records[e["E5"].pk].certificate_code.startswith("TDRB-")
    assert records[e["E6"].pk].certificate_state == "valid"


def test_trainers_get_aggregates_but_no_records(dataset):
    scope = access.scope_for_user(staff_user(roles.TRAINERS))
    assert stats.completion(scope, ("ministry",))
    assert not stats.officer_records(scope).exists()


def test_plain_officers_and_certificate_officers_get_nothing(dataset):
    for user in (dataset.officers["a"], staff_user(roles.CERTIFICATE_OFFICERS)):
        scope = access.scope_for_user(user)
        assert stats.completion(scope) == []
        assert stats.trained_per_year(scope) == []


def test_assignment_compliance(dataset, django_assert_max_num_queries):
    a = dataset.assignments
    with django_assert_max_num_queries(1):
        rows = stats.assignment_compliance(Scope.national())
    assert (rows[a["A1"].pk].on_time, rows[a["A1"].pk].overdue) == (1, 1)
    assert rows[a["A2"].pk].late == 1
    assert (rows[a["A3"].pk].in_progress, rows[a["A3"].pk].not_started) == (1, 1)
    mofa_only = stats.assignment_compliance(Scope.ministry(dataset.mofa.pk))
    assert set(mofa_only) == {a["A2"].pk, a["A3"].pk}


# --- The reporting facts follow their sources -------------------------------------


def test_facts_kept_by_the_services_equal_a_fresh_recomputation(
    moi, mofa, make_course, make_quiz, django_capture_on_commit_callbacks
):
    """Take courses through the real services (quiz, certificate, revocation,
    re-issue, renewal, a move to another ministry); the facts they kept must be
    what a recomputation from the sources gives."""
    course = make_course(
        "Identifying victims", lessons=1, certificate_validity_months=12
    )
    make_quiz(course)
    officer = UserFactory(ministry=moi)
    colleague = UserFactory(ministry=moi)
    enrolment = course_services.enrol(officer, course)
    course_services.enrol(colleague, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(enrolment, lessons(course)[0])
        attempt = quiz_services.start_attempt(officer, quiz_services.quiz_of(course))
        quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))
    enrolment.refresh_from_db()
    assert enrolment.quiz_passed_at is not None
    certificate = enrolment.certificates.get()
    assert enrolment.certificate_issued_at == certificate.issued_at
    assert enrolment.certificate_expires_at == certificate.expires_at

    with django_capture_on_commit_callbacks(execute=True):
        replacement = certificate_services.reissue(certificate, None, "name fixed")
    enrolment.refresh_from_db()
    assert enrolment.certificate_issued_at == replacement.issued_at

    certificate_services.revoke(replacement, None, "error")
    enrolment.refresh_from_db()
    assert enrolment.certificate_issued_at is None

    officer.ministry = mofa
    officer.save()
    assert Enrolment.objects.get(pk=enrolment.pk).ministry_id == mofa.pk

    before = fact_columns()
    course_services.refresh_reporting_facts(Enrolment.objects.all())
    assert fact_columns() == before


def test_renewal_moves_the_officer_to_the_new_cycle(
    officer, make_course, django_capture_on_commit_callbacks
):
    course = make_course(
        "Identifying victims", lessons=1, certificate_validity_months=12
    )
    first = course_services.enrol(officer, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(first, lessons(course)[0])
    certificate = first.certificates.get()
    certificate.expires_at = certificate.issued_at
    certificate.save()
    course_services.refresh_reporting_facts(Enrolment.objects.filter(pk=first.pk))
    second = course_services.enrol(officer, course)
    assert second.cycle == 2
    first.refresh_from_db()
    assert not first.is_latest_cycle
    [row] = stats.completion(Scope.national(), ("course",))
    assert figures(row) == (1, 1, 1, 0, 0, 1, 0)

    before = fact_columns()
    course_services.refresh_reporting_facts(Enrolment.objects.all())
    assert fact_columns() == before


def test_enrolments_of_accounts_without_a_ministry_are_not_counted(dataset):
    """Staff without a ministry may try a course: they are not officers, and the
    national total of officials trained must not count them twice."""
    from accounts.models import User

    b = dataset.officers["b"]
    User.objects.filter(pk=b.pk).update(ministry=None)
    course_services.refresh_reporting_facts(Enrolment.objects.filter(user=b))

    table = by_key(stats.trained_per_year(Scope.national()), "year", "ministry_code")
    assert table[2025, None].officers == 2  # a and d; b has no ministry now
    assert None not in {r.ministry_id for r in stats.completion(Scope.national())}


def test_an_officer_who_moved_leaves_the_old_ministrys_assignment(dataset):
    b = dataset.officers["b"]
    b.ministry = dataset.mofa
    b.save()
    a1 = dataset.assignments["A1"].pk
    moi = Scope.ministry(dataset.moi.pk)
    assert stats.assignment_compliance(moi)[a1].assigned == 1  # a only
    assert [e.user_id for e in stats.assignment_officers(moi, a1)] == [
        dataset.officers["a"].pk
    ]


@pytest.mark.parametrize(
    "kwargs",
    [{"date_from": date(1, 1, 1)}, {"date_to": date(9999, 12, 31)}],
)
def test_dates_beyond_the_calendar_are_refused(kwargs):
    with pytest.raises(ValueError):
        StatsFilter(**kwargs)
