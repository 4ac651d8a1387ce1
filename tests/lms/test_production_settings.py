"""Production settings are secure by default and refuse to start half-configured.

Each test starts a fresh ``manage.py`` process, since settings are read once per
process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "tadreeb.example.gov.kw",
    "DATABASE_URL": "postgres://tadreeb@127.0.0.1:5432/tadreeb",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://tadreeb.example.gov.kw",
}


# Set by the end-to-end tests for their own process; never present in production.
TEST_ONLY_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}


def manage(*args, env_overrides=None, drop=()):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_ONLY_VARIABLES and key not in drop
    }
    env.update(PRODUCTION_ENV)
    env.update(env_overrides or {})
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", drop=("SECRET_KEY",))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", drop=("ALLOWED_HOSTS",))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = manage("check", drop=("WAGTAILADMIN_BASE_URL",))

    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_deploy_check_warns_when_staff_mfa_is_switched_off():
    result = manage(
        "check", "--deploy", env_overrides={"TADREEB_REQUIRE_STAFF_MFA": "0"}
    )

    assert "tadreeb.W002" in result.stderr + result.stdout


def test_deploy_check_warns_without_a_shared_redis():
    result = manage("check", "--deploy", drop=("REDIS_URL",))

    assert "tadreeb.W001" in result.stderr + result.stdout


def test_production_refuses_to_load_demo_data():
    result = manage(
        "load_demo",
        env_overrides={"DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'never.sqlite3'}"},
    )

    assert result.returncode != 0
    assert "Demo data, with its published password, is refused" in result.stderr


def test_demo_password_is_refused_by_production_validators():
    from django.core.exceptions import ValidationError

    from accounts.validators import DemoPasswordValidator

    with pytest.raises(ValidationError):
        DemoPasswordValidator().validate("tadreeb-demo")
