"""The Officers listing in the admin: scoped, searchable, filterable, exportable."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from accounts.models import Cadre
from tests.factories import UserFactory

INDEX = "officers:index"


@pytest.fixture
def people(moi, mofa):
    """Two MOI officers, two MOFA officers, an MOI focal point, a committee member."""
    return {
        "moi_officers": [
            UserFactory(ministry=moi, full_name_en="Ahmad MOI", cadre=Cadre.POLICE),
            UserFactory(ministry=moi, full_name_en="Bader MOI", cadre=Cadre.OTHER),
        ],
        "mofa_officers": [
            UserFactory(ministry=mofa, full_name_en="Dana MOFA", cadre=Cadre.DIPLOMAT),
            UserFactory(ministry=mofa, full_name_en="Eman MOFA", cadre=Cadre.DIPLOMAT),
        ],
        "focal": UserFactory(
            ministry=moi, full_name_en="Focal MOI", role=roles.FOCAL_POINTS
        ),
        "committee": UserFactory(
            ministry=mofa,
            full_name_en="Committee Member",
            role=roles.NATIONAL_COMMITTEE,
        ),
    }


def export_csv(client, **params):
    response = client.get(reverse(INDEX), {"export": "csv", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.django_db
def test_focal_point_sees_only_own_ministry_officers(client, people):
    client.force_login(people["focal"])

    response = client.get(reverse(INDEX))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ahmad MOI" in body and "Bader MOI" in body
    assert "Dana MOFA" not in body and "Eman MOFA" not in body


@pytest.mark.django_db
def test_focal_point_csv_export_holds_only_own_ministry(client, people):
    client.force_login(people["focal"])

    rows = export_csv(client)

    assert {row["Ministry code"] for row in rows} == {"MOI"}
    assert {row["Name (English)"] for row in rows} == {
        "Ahmad MOI",
        "Bader MOI",
        "Focal MOI",
    }


@pytest.mark.django_db
def test_focal_point_xlsx_export_holds_only_own_ministry(client, people):
    client.force_login(people["focal"])

    response = client.get(reverse(INDEX), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    ministry_column = rows[0].index("Ministry code")

    assert {row[ministry_column] for row in rows[1:]} == {"MOI"}


@pytest.mark.django_db
def test_focal_point_filtering_by_another_ministry_reveals_nothing(
    client, people, mofa
):
    client.force_login(people["focal"])

    rows = export_csv(client, ministry=mofa.pk)

    assert rows == []


@pytest.mark.django_db
def test_focal_point_cannot_open_another_ministrys_officer(client, people):
    client.force_login(people["focal"])
    other = people["mofa_officers"][0]

    response = client.get(reverse("officers:inspect", args=[other.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_focal_point_can_open_own_ministrys_officer(client, people):
    client.force_login(people["focal"])
    own = people["moi_officers"][0]

    response = client.get(reverse("officers:inspect", args=[own.pk]))

    assert response.status_code == 200
    assert own.email in response.content.decode()


@pytest.mark.django_db
def test_focal_point_without_ministry_sees_nobody(client, people):
    focal = UserFactory(ministry=None, email="focal@ngo.org", role=roles.FOCAL_POINTS)
    client.force_login(focal)

    assert export_csv(client) == []


@pytest.mark.django_db
def test_committee_sees_every_ministry(client, people):
    client.force_login(people["committee"])

    rows = export_csv(client)

    assert {row["Ministry code"] for row in rows} == {"MOI", "MOFA"}
    assert len(rows) == 6


@pytest.mark.django_db
def test_listing_filters_by_cadre_and_searches_by_name(client, people):
    client.force_login(people["committee"])

    by_cadre = export_csv(client, cadre=Cadre.DIPLOMAT)
    by_search = export_csv(client, q="Bader")

    assert {row["Name (English)"] for row in by_cadre} == {"Dana MOFA", "Eman MOFA"}
    assert [row["Name (English)"] for row in by_search] == ["Bader MOI"]


@pytest.mark.django_db
def test_trainer_cannot_see_officer_records(client, people, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    response = client.get(reverse(INDEX))

    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert "Ahmad MOI" not in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_nobody_can_create_or_edit_through_officer_records(client, people, moi):
    admin = UserFactory(ministry=moi, is_superuser=True)
    client.force_login(admin)

    add = client.get(reverse("officers:add"))
    edit = client.get(reverse("officers:edit", args=[people["moi_officers"][0].pk]))

    assert add.status_code == 302
    assert edit.status_code == 302


@pytest.mark.django_db
def test_officer_listing_queries_do_not_grow_with_officers(
    client, people, moi, django_assert_max_num_queries
):
    UserFactory.create_batch(30, ministry=moi)
    client.force_login(people["committee"])

    with django_assert_max_num_queries(12):
        response = client.get(reverse(INDEX))

    assert response.status_code == 200
