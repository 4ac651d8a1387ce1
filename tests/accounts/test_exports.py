"""CSV and XLSX exports of People > Officers and Settings > Users: complete at any
size, for accounts without a ministry, with formulas written as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from accounts.models import Cadre, Gender, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFICERS = "officers:index"
USERS = "wagtailusers_users:index"
MANY = 3_000
FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "@SUM(1)", "+1+1", "-2+3"]


@pytest.fixture
def committee(moi):
    return UserFactory(
        ministry=moi, full_name_en="Committee Member", role=roles.NATIONAL_COMMITTEE
    )


@pytest.fixture
def superuser():
    # Made as ``createsuperuser`` makes it: no ministry.
    return UserFactory(
        ministry=None, email="admin@tadreeb.example", full_name_en="Admin"
    )


@pytest.fixture
def admin_client(client, superuser):
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    return client


def bulk_officers(count, ministry, *, every_nth_without_ministry=7):
    """``count`` accounts in one INSERT; every n-th has no ministry."""
    User.objects.bulk_create(
        User(
            email=f"bulk{n:05d}@moi.gov.kw",
            full_name_en=f"Bulk Officer {n:05d}",
            full_name_ar="ضابط",
            ministry=None if n % every_nth_without_ministry == 0 else ministry,
            cadre=Cadre.POLICE,
            gender=Gender.MALE,
            password="!",  # noqa: S106 - an unusable password
        )
        for n in range(count)
    )


def csv_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def xlsx_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


# People > Officers


def test_officer_csv_lists_an_officer_without_a_ministry(client, committee):
    UserFactory(ministry=None, email="someone@ngo.org", full_name_en="Ahmad NGO")
    client.force_login(committee)

    rows = csv_rows(client.get(reverse(OFFICERS), {"export": "csv"}))

    ngo = next(row for row in rows if row["E-mail"] == "someone@ngo.org")
    assert (ngo["Name (English)"], ngo["Ministry code"], ngo["Ministry"]) == (
        "Ahmad NGO",
        "",
        "",
    )
    assert len(rows) == 2


def test_officer_csv_of_thousands_of_officers_is_complete(
    client, committee, moi, django_assert_max_num_queries
):
    bulk_officers(MANY, moi)
    client.force_login(committee)

    with django_assert_max_num_queries(15):
        response = client.get(reverse(OFFICERS), {"export": "csv"})
        rows = csv_rows(response)

    assert len(rows) == MANY + 1
    assert f"bulk{MANY - 1:05d}@moi.gov.kw" in {row["E-mail"] for row in rows}
    assert sum(1 for row in rows if row["Ministry code"] == "") == len(
        range(0, MANY, 7)
    )


def test_officer_xlsx_lists_an_account_without_a_ministry(client, committee):
    UserFactory(ministry=None, email="someone@ngo.org", full_name_en="Ahmad NGO")
    client.force_login(committee)

    rows = xlsx_rows(client.get(reverse(OFFICERS), {"export": "xlsx"}))

    ngo = next(row for row in rows if row["E-mail"] == "someone@ngo.org")
    assert ngo["Ministry code"] is None
    assert len(rows) == 2


def test_officer_xlsx_of_thousands_of_officers_is_complete(
    client, committee, moi, django_assert_max_num_queries
):
    bulk_officers(MANY, moi)
    client.force_login(committee)

    with django_assert_max_num_queries(15):
        rows = xlsx_rows(client.get(reverse(OFFICERS), {"export": "xlsx"}))

    assert len(rows) == MANY + 1


def test_officer_xlsx_drops_control_characters_it_cannot_store(client, committee):
    UserFactory(ministry=committee.ministry, job_title="Chief\x1b\x07 inspector")
    client.force_login(committee)

    rows = xlsx_rows(client.get(reverse(OFFICERS), {"export": "xlsx"}))

    assert "Chief inspector" in {row["Job title"] for row in rows}


# Settings > Users


def test_users_xlsx_export_answers_for_accounts_without_a_ministry(
    admin_client, superuser
):
    rows = xlsx_rows(admin_client.get(reverse(USERS), {"export": "xlsx"}))

    assert [row["E-mail"] for row in rows] == [superuser.email]


def test_users_csv_of_thousands_of_accounts_is_complete(
    admin_client, moi, django_assert_max_num_queries
):
    bulk_officers(MANY, moi)

    with django_assert_max_num_queries(15):
        rows = csv_rows(admin_client.get(reverse(USERS), {"export": "csv"}))

    assert len(rows) == MANY + 1


def test_users_xlsx_of_thousands_of_accounts_is_complete(
    admin_client, moi, django_assert_max_num_queries
):
    bulk_officers(MANY, moi)

    with django_assert_max_num_queries(15):
        rows = xlsx_rows(admin_client.get(reverse(USERS), {"export": "xlsx"}))

    assert len(rows) == MANY + 1


@pytest.mark.parametrize("formula", FORMULAS)
def test_users_csv_writes_a_formula_as_text(admin_client, moi, formula):
    UserFactory(ministry=moi, email="mallory@moi.gov.kw", full_name_en=formula)

    rows = csv_rows(admin_client.get(reverse(USERS), {"export": "csv"}))

    mallory = next(row for row in rows if row["E-mail"] == "mallory@moi.gov.kw")
    assert mallory["Name (English)"] == "'" + formula


@pytest.mark.parametrize("formula", FORMULAS)
def test_users_xlsx_writes_a_formula_as_text(admin_client, moi, formula):
    UserFactory(ministry=moi, email="mallory@moi.gov.kw", full_name_en=formula)

    response = admin_client.get(reverse(USERS), {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("Name (English)")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    mallory = next(cell for cell in cells if formula in str(cell.value))
    assert mallory.data_type == "s"
