"""Development settings: the public address follows where `make run` serves.

Each test evaluates ``lms.settings.dev`` in a fresh process, since settings are read
once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'base_url': settings.WAGTAILADMIN_BASE_URL, "
    "'allowed_hosts': settings.ALLOWED_HOSTS}))"
)
DEV_VARIABLES = (
    "WAGTAILADMIN_BASE_URL",
    "TADREEB_DEV_HOST",
    "TADREEB_DEV_PORT",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
)


def read_dev_settings(**variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in DEV_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="lms.settings.dev")
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def dev_settings(**variables) -> dict:
    result = read_dev_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_base_url_defaults_to_the_usual_development_address():
    assert dev_settings()["base_url"] == "http://127.0.0.1:8000"


def test_base_url_follows_the_port_make_run_serves_on():
    assert dev_settings(TADREEB_DEV_PORT="8101")["base_url"] == "http://127.0.0.1:8101"


def test_base_url_follows_the_host_make_run_serves_on():
    found = dev_settings(TADREEB_DEV_HOST="192.168.1.20", TADREEB_DEV_PORT="8101")

    assert found["base_url"] == "http://192.168.1.20:8101"
    assert "192.168.1.20" in found["allowed_hosts"]


def test_serving_on_every_address_prints_the_loopback_address():
    found = dev_settings(TADREEB_DEV_HOST="0.0.0.0", TADREEB_DEV_PORT="8101")  # noqa: S104

    assert found["base_url"] == "http://127.0.0.1:8101"


def test_an_ipv6_host_is_written_in_brackets():
    found = dev_settings(TADREEB_DEV_HOST="::1", TADREEB_DEV_PORT="8101")

    assert found["base_url"] == "http://[::1]:8101"


def test_explicit_base_url_wins_over_host_and_port():
    found = dev_settings(
        WAGTAILADMIN_BASE_URL="https://tadreeb.test",
        TADREEB_DEV_HOST="127.0.0.1",
        TADREEB_DEV_PORT="8101",
    )

    assert found["base_url"] == "https://tadreeb.test"


def test_a_port_that_is_not_a_number_is_refused_with_its_name():
    result = read_dev_settings(TADREEB_DEV_PORT="eighty")

    assert result.returncode != 0
    assert "TADREEB_DEV_PORT must be a whole number" in result.stderr
