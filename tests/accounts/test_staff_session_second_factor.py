"""The second factor belongs to the session: when staff MFA is required, a staff
session that did not pass the authenticator step sees no staff data anywhere."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from accounts import roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    """The authenticator app's current code."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.TADREEB_REQUIRE_STAFF_MFA = True


@pytest.fixture
def focal(moi):
    user = UserFactory(ministry=moi, email="focal@moi.gov.kw", role=roles.FOCAL_POINTS)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


STAFF_ROUTES = [
    "/admin/",
    "/admin/officers/",
    "/admin/officers/?export=csv",
    "/admin/training-reports/completion/",
]


@pytest.mark.parametrize("route", STAFF_ROUTES)
def test_a_session_without_the_code_is_sent_to_enter_it(client, focal, route):
    client.force_login(focal)  # a session made without the authenticator step

    response = client.get(route)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=" in response["Location"]


def test_the_api_refuses_a_session_without_the_code(client, focal):
    client.force_login(focal)

    response = client.get("/api/v1/records/")

    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_other_peoples_certificates_are_not_handed_to_such_a_session(
    client, focal, moi
):
    client.force_login(focal)

    response = client.get("/certificates/TDRB-ANYCODE.pdf")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_sign_in_with_password_and_code_opens_the_admin(client, focal):
    response = client.post(
        reverse("account_login"), {"login": focal.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")

    client.post(reverse("mfa_authenticate"), {"code": _code(focal.totp_secret)})

    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/records/").status_code == 200


def test_entering_the_code_when_asked_opens_the_page_asked_for(client, focal):
    client.force_login(focal)
    asked = client.get("/admin/officers/")["Location"]

    response = client.post(asked, {"code": _code(focal.totp_secret)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/officers/"
    assert client.get("/admin/officers/").status_code == 200


def test_a_wrong_code_keeps_the_session_out(client, focal):
    client.force_login(focal)
    asked = client.get("/admin/")["Location"]

    client.post(asked, {"code": "000000"})

    assert client.get("/admin/").status_code == 302


# allauth announces a new authenticator once its transaction commits, as it does
# in a real request (autocommit), so this test runs outside a test transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_the_authenticator_counts_as_the_sessions_second_factor(client, moi):
    trainer = UserFactory(ministry=moi, role=roles.TRAINERS)
    client.post(
        reverse("account_login"), {"login": trainer.email, "password": TEST_PASSWORD}
    )
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})

    assert client.get("/admin/").status_code == 200


def test_officers_are_not_asked_for_a_code(client, officer, home_page):
    client.force_login(officer)

    assert client.get("/").status_code == 200
    assert client.get(reverse("courses:dashboard")).status_code == 200


def test_a_session_owing_the_code_can_still_sign_out(client, focal):
    client.force_login(focal)

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_without_the_requirement_staff_sessions_open_the_admin(client, settings, focal):
    settings.TADREEB_REQUIRE_STAFF_MFA = False
    client.force_login(focal)

    assert client.get("/admin/").status_code == 200
