"""Administrators manage accounts under Settings > Users with our fields."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))
    return client


@pytest.mark.django_db
def test_admin_creates_an_officer_with_names_ministry_and_cadre(admin_client, moi):
    form_page = admin_client.get(reverse("wagtailusers_users:add"))
    assert form_page.status_code == 200
    assert "Full name (Arabic)" in form_page.content.decode()

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.officer@moi.gov.kw",
            "full_name_en": "New Officer",
            "full_name_ar": "ضابط جديد",
            "ministry": moi.pk,
            "cadre": "police",
            "gender": "male",
            "job_title": "Patrol officer",
            "employee_number": "",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.officer@moi.gov.kw")
    assert (user.ministry, user.full_name_ar, user.cadre) == (
        moi,
        "ضابط جديد",
        "police",
    )


@pytest.mark.django_db
def test_admin_user_listing_and_edit_form_open(admin_client, officer):
    assert admin_client.get(reverse("wagtailusers_users:index")).status_code == 200
    edit = admin_client.get(reverse("wagtailusers_users:edit", args=[officer.pk]))
    assert edit.status_code == 200
    assert officer.full_name_en in edit.content.decode()


@pytest.mark.django_db
def test_focal_point_cannot_manage_accounts(client, moi):
    from accounts import roles

    client.force_login(UserFactory(ministry=moi, role=roles.FOCAL_POINTS))

    assert client.get(reverse("wagtailusers_users:index")).status_code == 302


@pytest.mark.django_db
def test_account_with_quiz_attempts_is_kept_with_a_message(
    admin_client, course, make_quiz
):
    from courses import services
    from quizzes import services as quiz_services

    officer = UserFactory(ministry=None, email="leaver@ngo.org")
    quiz = make_quiz(course)
    services.enrol(officer, course)
    quiz_services.start_attempt(officer, quiz)

    response = admin_client.post(
        reverse("wagtailusers_users:delete", args=[officer.pk]), follow=True
    )

    assert response.status_code == 409
    assert "Deactivate the account instead" in response.content.decode()
    assert User.objects.filter(pk=officer.pk).exists()
