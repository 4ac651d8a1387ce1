"""The verification page (django-ratelimit) and the certificate API (a DRF throttle)
count each client by the address core.client_ip gives (TRUSTED_PROXY_COUNT)."""

import time
import types

import django_ratelimit.core
import pytest

pytestmark = pytest.mark.django_db

PAGE = "/en/verify/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/"
API = "/api/v1/certificates/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/"
RATE = 60  # a minute, for both (CERTIFICATES_VERIFY_RATE, certificate_verify)
PROXY = {"REMOTE_ADDR": "10.0.0.2"}


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """django-ratelimit counts in windows aligned to the clock: a test whose requests
    straddled a minute boundary would see the count start again (seen on a loaded
    machine). Its clock stands still here, so every request falls in one window."""
    now = time.time()
    monkeypatch.setattr(
        django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now)
    )


def use_up_the_rate(client, url, **headers):
    statuses = [client.get(url, **headers).status_code for _ in range(RATE + 1)]
    assert statuses[-1] == 429


@pytest.mark.parametrize("url", [PAGE, API])
def test_two_clients_behind_one_proxy_are_counted_apart(client, settings, url):
    settings.TRUSTED_PROXY_COUNT = 1
    use_up_the_rate(client, url, **PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1")

    response = client.get(url, **PROXY, HTTP_X_FORWARDED_FOR="192.0.2.2")

    assert response.status_code == 404  # answered, not throttled


def test_verification_page_ignores_a_forged_forwarded_for_without_proxies(client):
    statuses = [
        client.get(PAGE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(RATE + 1)
    ]

    assert statuses[-1] == 429


@pytest.mark.parametrize("forwarded_for", ["", "junk", "192.0.2.1, 198.51.100.7"])
def test_verification_page_answers_whatever_the_forwarded_for_header_says(
    client, settings, forwarded_for
):
    settings.TRUSTED_PROXY_COUNT = 3

    response = client.get(PAGE, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert response.status_code == 404
