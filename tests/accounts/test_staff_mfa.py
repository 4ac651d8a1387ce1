"""Staff must set up two-factor authentication before the admin opens."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts import roles
from tests.factories import UserFactory


@pytest.fixture
def trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.STAFF_GROUPS)
def test_staff_without_mfa_is_sent_to_mfa_setup_when_required(
    client, settings, moi, role
):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    client.force_login(UserFactory(ministry=moi, role=role))

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_superuser_without_mfa_is_sent_to_mfa_setup_when_required(
    client, settings, moi
):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    client.force_login(UserFactory(ministry=moi, is_superuser=True))

    response = client.get("/admin/pages/")

    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_mfa_setup_page_explains_why(client, settings, trainer):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    client.force_login(trainer)

    response = client.get(reverse("wagtailadmin_home"), follow=True)

    assert response.status_code == 200
    assert "Staff accounts must use two-factor authentication" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_staff_opens_the_admin_without_mfa_when_switch_is_off(
    client, settings, trainer
):
    settings.TADREEB_REQUIRE_STAFF_MFA = False
    client.force_login(trainer)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.django_db
def test_officer_is_not_asked_for_mfa_on_the_public_site(
    client, settings, officer, home_page
):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    client.force_login(officer)

    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_sign_in_of_staff_with_totp_asks_for_the_code(client, settings, trainer):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    TOTP.activate(trainer, generate_totp_secret())

    response = client.post(
        reverse("account_login"),
        {"login": trainer.email, "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wagtail_login_page_hands_over_to_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"
    )


@pytest.mark.django_db
def test_wagtail_login_page_without_next_returns_to_the_admin(client):
    response = client.get("/admin/login/")

    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
