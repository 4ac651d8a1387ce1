"""An account that carries training records is never deleted in the admin: Settings
> Users (one at a time or in bulk) explains why and offers deactivation; People >
Officers never deletes; accounts without records are still deleted."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from accounts import roles
from accounts.models import User
from courses import services
from courses.models import Enrolment, LessonCompletion
from tests.courses.conftest import lessons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))
    return client


@pytest.fixture
def enrolled(course, moi):
    """An officer who completed a lesson and never attempted a quiz."""
    officer = UserFactory(ministry=moi, email="enrolled@moi.gov.kw")
    services.complete_lesson(services.enrol(officer, course), lessons(course)[0])
    return officer


def bulk_delete_users_url(*users) -> str:
    ids = "&".join(f"id={user.pk}" for user in users)
    return (
        reverse("wagtail_bulk_action", args=["accounts", "user", "delete"]) + f"?{ids}"
    )


def test_officer_with_an_enrolment_and_no_attempts_is_not_deleted(
    admin_client, enrolled
):
    response = admin_client.post(
        reverse("wagtailusers_users:delete", args=[enrolled.pk])
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "1 enrolment" in content
    assert "1 lesson completion" in content
    assert User.objects.filter(pk=enrolled.pk).exists()
    assert LessonCompletion.objects.filter(enrolment__user=enrolled).count() == 1


def test_delete_screen_of_officer_with_records_offers_deactivation(
    admin_client, enrolled
):
    response = admin_client.get(
        reverse("wagtailusers_users:delete", args=[enrolled.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Deactivate the account instead" in content
    assert reverse("wagtailusers_users:edit", args=[enrolled.pk]) in content
    assert "Yes, delete" not in content


def test_account_without_records_is_still_deleted(admin_client, moi):
    leaver = UserFactory(ministry=moi, email="leaver@moi.gov.kw")

    response = admin_client.post(reverse("wagtailusers_users:delete", args=[leaver.pk]))

    assert response.status_code == 302
    assert not User.objects.filter(pk=leaver.pk).exists()


def test_bulk_delete_of_users_deletes_nothing_when_one_carries_records(
    admin_client, enrolled, moi
):
    free = UserFactory(ministry=moi, email="free@moi.gov.kw")

    response = admin_client.post(bulk_delete_users_url(enrolled, free))

    content = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was deleted" in content
    assert enrolled.full_name_en in content
    assert User.objects.filter(pk__in=[enrolled.pk, free.pk]).count() == 2


def test_bulk_delete_screen_of_users_with_records_explains(admin_client, enrolled):
    response = admin_client.get(bulk_delete_users_url(enrolled))

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()


def test_bulk_delete_of_users_without_records_still_works(admin_client, moi):
    leavers = [UserFactory(ministry=moi) for _ in range(2)]

    response = admin_client.post(bulk_delete_users_url(*leavers))

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[u.pk for u in leavers]).exists()


def test_user_usage_counts_enrolments(admin_client, enrolled):
    response = admin_client.get(reverse("wagtailusers_users:usage", args=[enrolled.pk]))

    assert response.status_code == 200
    assert "Enrolment" in response.content.decode()


def test_officer_records_offer_no_delete(admin_client, enrolled):
    response = admin_client.post(reverse("officers:delete", args=[enrolled.pk]))

    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert response.url == reverse("wagtailadmin_home")
    assert User.objects.filter(pk=enrolled.pk).exists()


def test_focal_point_cannot_delete_officers(client, moi, enrolled):
    client.force_login(UserFactory(ministry=moi, role=roles.FOCAL_POINTS))

    client.post(reverse("wagtailusers_users:delete", args=[enrolled.pk]))

    assert User.objects.filter(pk=enrolled.pk).exists()


def test_database_refuses_to_cascade_an_account_into_its_enrolments(enrolled):
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=enrolled.pk).delete()
    assert Enrolment.objects.filter(user=enrolled).exists()
