"""allauth's limits answer 429 with allauth's message, and count each client by the
address core.client_ip gives (TRUSTED_PROXY_COUNT)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts import roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Two failed sign-ins a minute per address, so that a test needs three requests.
TWO_FAILURES_PER_ADDRESS = {"login_failed": "2/m/ip"}


def wrong_sign_in(client, officer, **headers):
    return client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "wrong-guess"},
        **headers,
    )


@pytest.fixture
def two_failures_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = TWO_FAILURES_PER_ADDRESS


def test_failed_sign_ins_beyond_the_address_limit_get_the_429_page(
    client, officer, two_failures_per_address
):
    for _ in range(2):
        assert wrong_sign_in(client, officer).status_code == 200

    response = wrong_sign_in(client, officer)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed login attempts. Try again later." in page
    assert "Too many attempts" in page  # the site's 429 page


def test_sign_in_limit_counts_two_clients_behind_one_proxy_apart(
    client, officer, settings, two_failures_per_address
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        wrong_sign_in(client, officer, **proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")

    response = wrong_sign_in(client, officer, **proxy, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_sign_in_limit_ignores_a_forged_forwarded_for_without_proxies(
    client, officer, two_failures_per_address
):
    statuses = [
        wrong_sign_in(client, officer, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_sign_in_with_a_garbled_forwarded_for_behind_a_proxy_is_counted(
    client, officer, settings, two_failures_per_address
):
    settings.TRUSTED_PROXY_COUNT = 2
    statuses = [
        wrong_sign_in(client, officer, HTTP_X_FORWARDED_FOR="junk, ,").status_code
        for _ in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_wrong_two_factor_codes_beyond_the_limit_get_the_429_page(client, moi):
    trainer = UserFactory(ministry=moi, role=roles.TRAINERS)
    TOTP.activate(trainer, generate_totp_secret())
    client.post(
        reverse("account_login"), {"login": trainer.email, "password": TEST_PASSWORD}
    )
    for _ in range(5):  # login_failed: 5 per 300 s per account
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
