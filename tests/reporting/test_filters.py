"""The statistics filters, declared once (``reporting.filters.StatsFilterSet``) and
read by the admin's Training reports and the REST API alike."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import roles
from accounts.access import Scope
from accounts.models import Cadre, Gender
from reporting import filters
from reporting.stats import DateBasis, StatsFilter
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

API_COMPLETION = "/api/v1/stats/completion/"
REPORT_COMPLETION = "training_reports:completion"


def test_every_filter_is_read_into_one_stats_filter(dataset):
    query = filters.RecordsQueryFilterSet(
        {
            "ministry": "mofa",
            "course": str(dataset.c1.pk),
            "cadre": Cadre.POLICE,
            "gender": Gender.FEMALE,
            "from": "2025-01-01",
            "to": "2025-12-31",
            "date_basis": DateBasis.ISSUED,
        },
        scope=Scope.national(),
    )

    assert query.stats_filter() == StatsFilter(
        ministry=dataset.mofa.pk,
        course=dataset.c1.pk,
        cadre=Cadre.POLICE,
        gender=Gender.FEMALE,
        date_from=date(2025, 1, 1),
        date_to=date(2025, 12, 31),
        date_basis=DateBasis.ISSUED,
    )


def test_a_tokens_own_ministry_is_resolved_without_a_query(
    dataset, django_assert_num_queries
):
    query = filters.StatsFilterSet(
        {"ministry": "MOI"},
        scope=Scope.ministry(dataset.moi.pk),
        token_ministry=dataset.moi,
    )

    with django_assert_num_queries(0):
        assert query.stats_filter() == StatsFilter(ministry=dataset.moi.pk)


def test_ministry_and_course_are_resolved_in_one_query(
    dataset, django_assert_num_queries
):
    query = filters.StatsFilterSet(
        {"ministry": str(dataset.mofa.pk), "course": str(dataset.c2.pk)},
        scope=Scope.national(),
    )

    with django_assert_num_queries(1):
        assert query.stats_filter() == StatsFilter(
            ministry=dataset.mofa.pk, course=dataset.c2.pk
        )


def test_a_ministry_outside_the_scope_is_refused(dataset):
    query = filters.StatsFilterSet(
        {"ministry": "MOFA"}, scope=Scope.ministry(dataset.moi.pk)
    )

    with pytest.raises(filters.MinistryOutOfScope):
        query.stats_filter()


def test_errors_are_named_by_the_parameters_of_the_request(db):
    query = filters.StatsFilterSet(
        {"from": "2025-13-01", "to": "soon", "cadre": "pilot"}, scope=Scope.national()
    )

    assert query.stats_filter() is None
    errors = query.errors_by_parameter()
    assert set(errors) == {"from", "to", "cadre"}
    assert errors["to"] == [
        "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
    ]


def test_the_date_rule_names_the_end_of_the_range_at_fault(db):
    query = filters.StatsFilterSet({"to": "9999-12-31"}, scope=Scope.national())

    assert query.stats_filter() is None
    assert query.errors_by_parameter() == {
        "to": ["Give dates between 1900-01-01 and 2999-12-31."]
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "cadre",
            "pilot",
            "Unknown cadre 'pilot'. Choose from diplomat, police, shelter_staff, "
            "labour_inspector, prosecutor, other.",
        ),
        (
            "gender",
            "x",
            "Unknown gender 'x'. Choose from female, male, undisclosed.",
        ),
    ],
)
def test_one_vocabulary_and_message_for_the_report_and_the_api(
    client, db, name, value, message
):
    """Decided: the cadre and gender filters are declared once; an unknown value
    gets the same message on the admin report (400) and the API (400, naming the
    parameter). The report used to answer Django's "Select a valid choice"."""
    client.force_login(staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    page = client.get(reverse(REPORT_COMPLETION), {name: value})
    answer = client.get(API_COMPLETION, {name: value})

    assert page.status_code == 400
    assert message.replace("'", "&#x27;") in page.content.decode()
    assert answer.status_code == 400
    assert answer.json() == {name: [message]}


def test_the_admin_reports_offer_their_filters_in_their_order(db):
    completion = filters.CompletionFilterSet(scope=Scope.national())
    per_year = filters.TrainedPerYearFilterSet(scope=Scope.ministry(1))

    assert list(completion.form.fields) == [
        "course",
        "ministry",
        "date",
        "date_basis",
        "cadre",
        "gender",
        "breakdown",
    ]
    # No course on the yearly report; no ministry for a ministry's scope.
    assert list(per_year.form.fields) == ["date", "cadre", "gender"]


@pytest.mark.parametrize("name", ["course", "ministry"])
@pytest.mark.parametrize("value", ["9" * 30, str(filters.MAX_ID + 1), "0", "²"])
def test_the_reports_refuse_what_cannot_be_an_id_as_an_unknown_choice(
    client, db, name, value
):
    """The bounds on ids hold for the admin's lists too (a course id beyond the
    database's integers was a server error)."""
    client.force_login(staff_user(roles.NATIONAL_COMMITTEE, ministry=None))

    response = client.get(reverse(REPORT_COMPLETION), {name: value})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("filterset_class", "names"),
    [
        (
            filters.CompletionQueryFilterSet,
            {"ministry", "course", "cadre", "gender", "from", "to", "date_basis"}
            | {"group_by"},
        ),
        (
            filters.TrainedPerYearQueryFilterSet,
            {"ministry", "course", "cadre", "gender", "from", "to"},
        ),
        (
            filters.RecordsQueryFilterSet,
            {"ministry", "course", "cadre", "gender", "from", "to", "date_basis"}
            | {"page", "page_size"},
        ),
    ],
)
def test_the_schema_documents_every_parameter_the_filter_sets_read(
    filterset_class, names
):
    from reporting.api import filter_parameters

    assert {p.name for p in filter_parameters(filterset_class)} == names
