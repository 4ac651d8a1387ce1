"""The REST API v1 on the known dataset of conftest.py (see test_stats.py for the
hand-computed table): scoping by token and by role, parameters, CSV, pagination,
authentication failures, throttling, query budgets and the OpenAPI schema."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts import roles
from accounts import services as account_services
from accounts.models import ApiToken
from courses.models import Enrolment
from courses.services import refresh_reporting_facts
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db

COMPLETION = "/api/v1/stats/completion/"
TRAINED = "/api/v1/stats/trained-per-year/"
RECORDS = "/api/v1/records/"
COURSES = "/api/v1/courses/"
MINISTRIES = "/api/v1/ministries/"
FIGURES = (
    "enrolled",
    "started",
    "completed",
    "passed_quiz",
    "certified",
    "expired",
    "overdue",
)


def bearer(ministry=None, **kwargs) -> dict:
    issued = account_services.create_api_token(
        name="HR system", ministry=ministry, created_by=None, **kwargs
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}


@pytest.fixture
def moi_token(dataset):
    return bearer(dataset.moi)


@pytest.fixture
def national_token(dataset):
    return bearer(None)


def figures(row) -> tuple:
    return tuple(row[name] for name in FIGURES)


def ministries_of(rows) -> set:
    return {row["ministry_code"] for row in rows}


# --- Scoping --------------------------------------------------------------------------


def test_ministry_token_gets_only_its_own_ministry_rows(client, moi_token):
    response = client.get(COMPLETION, **moi_token)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert ministries_of(rows) == {"MOI"}
    table = {row["course_title"]: figures(row) for row in rows}
    assert table == {
        "Identifying victims": (4, 4, 3, 3, 1, 1, 0),
        "Labour rights": (2, 1, 1, 0, 1, 0, 1),
    }


def test_ministry_token_asking_for_another_ministry_is_refused(
    client, dataset, moi_token
):
    response = client.get(COMPLETION, {"ministry": "MOFA"}, **moi_token)
    assert response.status_code == 403
    assert "ministry" in response.json()
    assert "MOFA" not in response.content.decode()


def test_ministry_token_may_name_its_own_ministry_by_code_or_id(
    client, dataset, moi_token
):
    by_code = client.get(COMPLETION, {"ministry": "moi"}, **moi_token).json()
    by_id = client.get(COMPLETION, {"ministry": dataset.moi.pk}, **moi_token).json()
    assert by_code["results"] == by_id["results"]
    assert ministries_of(by_code["results"]) == {"MOI"}


def test_national_token_sees_every_ministry(client, national_token):
    rows = client.get(COMPLETION, **national_token).json()["results"]
    assert ministries_of(rows) == {"MOI", "MOFA"}
    assert len(rows) == 4


def test_national_token_filters_one_ministry(client, national_token):
    rows = client.get(COMPLETION, {"ministry": "MOFA"}, **national_token).json()
    assert ministries_of(rows["results"]) == {"MOFA"}


def test_completion_rows_carry_rates_and_names(client, dataset, national_token):
    response = client.get(
        COMPLETION,
        {"group_by": "ministry,course", "course": dataset.c1.pk},
        **national_token,
    )
    row = next(r for r in response.json()["results"] if r["ministry_code"] == "MOI")
    assert row["ministry_id"] == dataset.moi.pk
    assert row["ministry_name"] == "Ministry of Interior"
    assert row["course_id"] == dataset.c1.pk
    assert row["completion_rate"] == 75.0  # 3 of 4
    assert row["officers"] == 4  # a, b, c, h
    assert row["coverage"] == 0.0  # d holds the only valid certificate, inactive


def test_group_by_cadre_and_gender(client, national_token):
    body = client.get(
        COMPLETION, {"group_by": "gender,cadre", "ministry": "MOI"}, **national_token
    ).json()
    assert body["group_by"] == ["cadre", "gender"]
    keys = {(r["cadre"], r["gender"]) for r in body["results"]}
    assert ("police", "female") in keys
    assert all(r["ministry_id"] is None for r in body["results"])


def test_trained_per_year_is_scoped_to_the_tokens_ministry(client, moi_token):
    rows = client.get(TRAINED, **moi_token).json()["results"]
    assert {row["ministry_code"] for row in rows} == {"MOI"}
    by_year = {row["year"]: row for row in rows}
    # MOI completions: a and d in 2025, b in 2025, c in 2024.
    assert by_year[2025]["officers"] == 3
    assert by_year[2025]["by_cadre"]["police"] == 3
    assert by_year[2024]["male"] == 1


def test_trained_per_year_of_a_national_token_has_the_yearly_total(
    client, national_token
):
    rows = client.get(TRAINED, {"from": "2024-01-01"}, **national_token).json()
    totals = [r for r in rows["results"] if r["ministry_id"] is None]
    assert {r["year"] for r in totals} == {2024, 2025}


def test_records_of_a_ministry_token_list_only_its_officers(client, moi_token):
    body = client.get(RECORDS, **moi_token).json()
    assert body["count"] == 6  # E1 to E6
    assert {r["ministry_code"] for r in body["results"]} == {"MOI"}
    assert not any(r["officer_email"].endswith("mofa.gov.kw") for r in body["results"])


def test_records_show_status_score_and_certificate(client, dataset, national_token):
    body = client.get(
        RECORDS, {"ministry": "MOI", "course": dataset.c1.pk}, **national_token
    ).json()
    record = next(r for r in body["results"] if r["officer_email"] == "c@moi.gov.kw")
    assert record["status"] == "completed"
    assert record["best_score"] == 100.0
    assert record["certificate_state"] == "revoked"
    assert record["certificate_code"]
    assert record["full_name_en"] == "Officer C"
    assert record["course_title"] == "Identifying victims"


def test_records_are_paginated(client, national_token):
    first = client.get(RECORDS, {"page_size": 4}, **national_token).json()
    assert first["count"] == 9
    assert len(first["results"]) == 4
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(RECORDS, {"page_size": 4, "page": 3}, **national_token).json()
    assert len(last["results"]) == 1
    assert last["next"] is None


def test_ministries_lists_only_the_callers_ministries(client, moi_token):
    rows = client.get(MINISTRIES, **moi_token).json()
    assert [row["code"] for row in rows] == ["MOI"]
    assert rows[0]["name_en"] == "Ministry of Interior"


def test_courses_lists_live_courses_with_their_ids(client, dataset, moi_token):
    rows = client.get(COURSES, **moi_token).json()
    by_title = {row["title"]: row for row in rows}
    assert by_title["Identifying victims"]["id"] == dataset.c1.pk
    assert by_title["Identifying victims"]["certificate_validity_months"] == 12
    assert by_title["Labour rights"]["url"].endswith("/labour-rights/")


# --- Sessions and roles ---------------------------------------------------------------


def test_focal_point_session_sees_only_its_ministry(client, dataset):
    client.force_login(staff_user(roles.FOCAL_POINTS, ministry=dataset.mofa))
    rows = client.get(COMPLETION).json()["results"]
    assert ministries_of(rows) == {"MOFA"}
    assert client.get(COMPLETION, {"ministry": "MOI"}).status_code == 403
    records = client.get(RECORDS).json()["results"]
    assert {r["ministry_code"] for r in records} == {"MOFA"}


def test_trainer_session_gets_statistics_but_not_records(client, dataset):
    client.force_login(staff_user(roles.TRAINERS, ministry=dataset.moi))
    assert client.get(COMPLETION).status_code == 200
    assert client.get(TRAINED).status_code == 200
    response = client.get(RECORDS)
    assert response.status_code == 403
    assert "officer records" in response.json()["detail"]


def test_committee_session_sees_records_of_every_ministry(client, dataset):
    client.force_login(staff_user(roles.NATIONAL_COMMITTEE, ministry=dataset.moi))
    assert client.get(RECORDS).json()["count"] == 9


def test_officer_without_a_staff_role_is_refused(client, dataset):
    client.force_login(dataset.officers["a"])
    assert client.get(COMPLETION).status_code == 403
    assert client.get(MINISTRIES).status_code == 403


def test_anonymous_caller_is_asked_for_a_token(client, dataset):
    response = client.get(COMPLETION)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Tokens ---------------------------------------------------------------------------


def test_expired_token_is_refused(client, dataset):
    headers = bearer(dataset.moi)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(COMPLETION, **headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_revoked_token_is_refused(client, dataset, moi_token):
    account_services.revoke_api_token(ApiToken.objects.get(), by=None)
    response = client.get(COMPLETION, **moi_token)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer tdrb_abcdefgh_wrongsecret",
        "Bearer",
        "Bearer a b",
    ],
)
def test_bad_token_is_refused(client, dataset, moi_token, header):
    response = client.get(COMPLETION, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_with_a_wrong_secret_for_a_real_prefix_is_refused(
    client, dataset, moi_token
):
    real = moi_token["HTTP_AUTHORIZATION"]
    forged = real[: real.rindex("_") + 1] + "x" * 43
    response = client.get(COMPLETION, HTTP_AUTHORIZATION=forged)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid API token."


def test_use_of_a_token_is_recorded(client, moi_token):
    assert ApiToken.objects.get().last_used_at is None
    client.get(MINISTRIES, **moi_token)
    assert ApiToken.objects.get().last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(
    client, moi_token, django_assert_num_queries
):
    client.get(MINISTRIES, **moi_token)
    first = ApiToken.objects.get().last_used_at
    # Token, ministries: no UPDATE within the minute.
    with django_assert_num_queries(2):
        client.get(MINISTRIES, **moi_token)
    assert ApiToken.objects.get().last_used_at == first


# --- Parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "parameter", "says"),
    [
        (COMPLETION, {"group_by": "ministry,x"}, "group_by", "Unknown group 'x'"),
        (COMPLETION, {"cadre": "pilot"}, "cadre", "Unknown cadre 'pilot'"),
        (COMPLETION, {"gender": "x"}, "gender", "Unknown gender 'x'"),
        (COMPLETION, {"from": "2025-13-01"}, "from", "YYYY-MM-DD"),
        (COMPLETION, {"to": "yesterday"}, "to", "YYYY-MM-DD"),
        (
            COMPLETION,
            {"from": "2025-02-01", "to": "2025-01-01"},
            "from",
            "after the end date",
        ),
        (COMPLETION, {"ministry": "NOPE"}, "ministry", "Unknown ministry 'NOPE'"),
        (COMPLETION, {"course": "999999"}, "course", "Unknown course 999999"),
        (COMPLETION, {"course": "abc"}, "course", "valid integer"),
        (COMPLETION, {"course": "9" * 30}, "course", "less than or equal"),
        (COMPLETION, {"ministry": "9" * 30}, "ministry", "Unknown ministry"),
        (COMPLETION, {"ministry": "M" * 101}, "ministry", "100 characters"),
        (COMPLETION, {"date_basis": "x"}, "date_basis", "Unknown date basis"),
        (TRAINED, {"cadre": "pilot"}, "cadre", "Unknown cadre"),
        (TRAINED, {"ministry": "0"}, "ministry", "Unknown ministry"),
        (RECORDS, {"page_size": "1001"}, "page_size", "1000"),
        (RECORDS, {"page_size": "0"}, "page_size", "1"),
        (RECORDS, {"from": "2025-1-1x"}, "from", "YYYY-MM-DD"),
    ],
)
def test_bad_parameter_gets_400_naming_it(
    client, national_token, url, params, parameter, says
):
    response = client.get(url, params, **national_token)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [parameter]
    assert says in " ".join(body[parameter])


def test_unknown_group_message_lists_the_choices(client, national_token):
    body = client.get(COMPLETION, {"group_by": "x"}, **national_token).json()
    assert body == {
        "group_by": [
            "Unknown group 'x'. Choose from ministry, course, cadre, gender, year."
        ]
    }


# --- CSV ------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_completion_as_csv_has_a_header_and_one_line_per_row(client, moi_token):
    response = client.get(COMPLETION, {"format": "csv"}, **moi_token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert ".csv" in response["Content-Disposition"]
    lines = read_csv(response)
    assert lines[0][:3] == ["ministry_id", "ministry_code", "ministry_name"]
    assert "completion_rate" in lines[0]
    assert len(lines) == 3
    assert {line[1] for line in lines[1:]} == {"MOI"}


def test_trained_per_year_as_csv_spreads_the_cadres_over_columns(client, moi_token):
    lines = read_csv(client.get(TRAINED, {"format": "csv"}, **moi_token))
    assert "by_cadre.police" in lines[0]
    assert "female" in lines[0]
    assert len(lines) == 3  # 2025 and 2024


def test_empty_csv_still_has_its_header(client, dataset, moi_token):
    lines = read_csv(
        client.get(COMPLETION, {"format": "csv", "from": "2030-01-01"}, **moi_token)
    )
    assert len(lines) == 1
    assert lines[0][0] == "ministry_id"


def test_records_as_csv(client, moi_token):
    lines = read_csv(client.get(RECORDS, {"format": "csv"}, **moi_token))
    assert lines[0][0] == "officer_email"
    assert len(lines) == 7


def test_csv_neutralises_a_name_that_looks_like_a_formula(client, dataset, moi_token):
    officer = dataset.officers["a"]
    officer.full_name_en = "=HYPERLINK(1)"
    officer.save()
    lines = read_csv(client.get(RECORDS, {"format": "csv"}, **moi_token))
    assert "'=HYPERLINK(1)" in [cell for line in lines for cell in line]


def test_bad_parameter_in_csv_is_still_a_400(client, moi_token):
    response = client.get(COMPLETION, {"format": "csv", "cadre": "x"}, **moi_token)
    assert response.status_code == 400
    assert "cadre" in response.content.decode()


# --- Throttling -----------------------------------------------------------------------


def test_requests_beyond_the_rate_are_throttled(client, moi_token):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] | {"stats_api": "2/min"}
    with override_settings(
        REST_FRAMEWORK=settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": rates}
    ):
        assert client.get(MINISTRIES, **moi_token).status_code == 200
        assert client.get(COURSES, **moi_token).status_code == 200
        response = client.get(COMPLETION, **moi_token)
    assert response.status_code == 429
    assert "Retry-After" in response


def test_each_token_has_its_own_allowance(client, dataset, moi_token):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] | {"stats_api": "1/min"}
    other = bearer(dataset.moi)
    with override_settings(
        REST_FRAMEWORK=settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": rates}
    ):
        assert client.get(MINISTRIES, **moi_token).status_code == 200
        assert client.get(MINISTRIES, **other).status_code == 200
        assert client.get(MINISTRIES, **moi_token).status_code == 429


# --- Query budgets --------------------------------------------------------------------


def add_officers(dataset, count: int) -> None:
    for _number in range(count):
        officer = UserFactory(ministry=dataset.moi)
        Enrolment.objects.create(user=officer, course=dataset.c1)
    refresh_reporting_facts(Enrolment.objects.filter(user__ministry=dataset.moi))


BUDGET_REQUESTS = [
    (COMPLETION, {}),
    (COMPLETION, {"group_by": "ministry,course,cadre,gender", "ministry": "MOI"}),
    (COMPLETION, {"group_by": "year,course", "cadre": "police"}),
    (COMPLETION, {"format": "csv"}),
    (TRAINED, {"ministry": "MOI", "from": "2020-01-01"}),
    (RECORDS, {}),
    (RECORDS, {"format": "csv", "page_size": 1000}),
    (COURSES, {}),
    (MINISTRIES, {}),
]


@pytest.mark.parametrize("extra_officers", [1, 20])
@pytest.mark.parametrize(("url", "params"), BUDGET_REQUESTS)
def test_every_endpoint_keeps_its_query_budget_with_a_token(
    client, dataset, django_assert_max_num_queries, extra_officers, url, params
):
    add_officers(dataset, extra_officers)
    headers = bearer(dataset.moi)
    # The first request of a token also records its use: still within budget.
    with django_assert_max_num_queries(6):
        response = client.get(url, params, **headers)
    assert response.status_code == 200


@pytest.mark.parametrize("extra_officers", [1, 20])
def test_national_token_filtering_a_course_keeps_the_budget(
    client, dataset, django_assert_max_num_queries, national_token, extra_officers
):
    add_officers(dataset, extra_officers)
    client.get(MINISTRIES, **national_token)  # last use recorded
    with django_assert_max_num_queries(6):
        response = client.get(
            COMPLETION, {"course": dataset.c1.pk, "ministry": "MOI"}, **national_token
        )
    assert response.status_code == 200


@pytest.mark.parametrize("extra_officers", [1, 20])
@pytest.mark.parametrize("url", [RECORDS, COMPLETION, TRAINED, COURSES, MINISTRIES])
def test_every_endpoint_keeps_the_budget_in_a_staff_session(
    client, dataset, django_assert_max_num_queries, extra_officers, url
):
    add_officers(dataset, extra_officers)
    client.force_login(staff_user(roles.FOCAL_POINTS, ministry=dataset.moi))
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200


# --- Schema and documentation ---------------------------------------------------------


def test_openapi_schema_is_valid_and_describes_the_endpoints(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in (COMPLETION, TRAINED, RECORDS, COURSES, MINISTRIES):
        assert f"  {path}:" in schema
    assert "name: group_by" in schema
    assert "scheme: bearer" in schema


def test_swagger_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()


def test_empty_parameters_count_as_not_given(client, national_token):
    response = client.get(
        COMPLETION,
        {"group_by": "", "ministry": "", "course": "", "cadre": "", "from": ""},
        **national_token,
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4


def test_staff_without_mfa_is_refused_when_mfa_is_required(client, dataset):
    client.force_login(staff_user(roles.FOCAL_POINTS, ministry=dataset.moi))
    with override_settings(TADREEB_REQUIRE_STAFF_MFA=True):
        assert client.get(COMPLETION).status_code == 403
    assert client.get(COMPLETION).status_code == 200


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"from": "0001-01-01"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"ministry": "²"}, "ministry"),
    ],
)
def test_extreme_dates_and_odd_digits_are_a_400_naming_the_parameter(
    client, dataset, params, name
):
    response = client.get(COMPLETION, params, **bearer(dataset.moi))
    assert response.status_code == 400
    assert name in response.json()


def test_schema_does_not_check_basic_auth_passwords(client, dataset):
    import base64

    focal = staff_user(roles.FOCAL_POINTS, ministry=dataset.moi)
    credentials = base64.b64encode(f"{focal.email}:wrong".encode()).decode()
    response = client.get("/api/v1/schema/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    # Basic credentials are ignored: no password is tried, the schema is public.
    assert response.status_code == 200


WRONG_TOKEN = {"HTTP_AUTHORIZATION": "Bearer tdrb_abcdefgh_" + "x" * 43}


@pytest.fixture
def three_refusals_a_minute(monkeypatch):
    from reporting import authentication

    monkeypatch.setattr(authentication, "FAILED_TOKENS_PER_MINUTE", 3)


def test_a_client_trying_tokens_is_slowed_down(client, three_refusals_a_minute):
    statuses = [client.get(COMPLETION, **WRONG_TOKEN).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_a_valid_token_is_served_from_an_address_that_presented_refused_tokens(
    client, dataset, three_refusals_a_minute
):
    # One misconfigured system behind a ministry's NAT must not lock out the others.
    for _ in range(4):
        client.get(COMPLETION, **WRONG_TOKEN)

    assert client.get(COMPLETION, **bearer(dataset.moi)).status_code == 200
    assert client.get(COMPLETION, **WRONG_TOKEN).status_code == 429


def test_a_throttled_address_costs_one_indexed_lookup_per_guess_at_most(
    client, dataset, three_refusals_a_minute, django_assert_max_num_queries
):
    for _ in range(4):
        client.get(COMPLETION, **WRONG_TOKEN)

    with django_assert_max_num_queries(1):
        assert client.get(COMPLETION, **WRONG_TOKEN).status_code == 429
    with django_assert_max_num_queries(0):
        malformed = {"HTTP_AUTHORIZATION": "Bearer tdrb_short"}
        assert client.get(COMPLETION, **malformed).status_code == 429


def test_refused_tokens_of_two_clients_behind_one_proxy_are_counted_apart(
    client, dataset, settings, three_refusals_a_minute
):
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(4):
        client.get(
            COMPLETION, **WRONG_TOKEN, **behind_proxy, HTTP_X_FORWARDED_FOR="192.0.2.1"
        )

    other = client.get(
        COMPLETION, **WRONG_TOKEN, **behind_proxy, HTTP_X_FORWARDED_FOR="192.0.2.2"
    )

    assert other.status_code == 401


def test_refused_tokens_with_a_forged_forwarded_for_are_counted_by_connection(
    client, dataset, three_refusals_a_minute
):
    statuses = [
        client.get(
            COMPLETION, **WRONG_TOKEN, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(4)
    ]

    assert statuses[-1] == 429
