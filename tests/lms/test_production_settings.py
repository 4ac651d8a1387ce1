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


PRINT_CACHE = (
    "from django.conf import settings; cache = settings.CACHES['default']; "
    "print(cache['BACKEND'], cache['LOCATION'])"
)


def test_production_without_redis_keeps_rate_limits_in_the_shared_database():
    result = manage("shell", "--no-imports", "-c", PRINT_CACHE, drop=("REDIS_URL",))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "tadreeb_cache",
    ]


def test_production_with_redis_keeps_rate_limits_in_redis():
    result = manage("shell", "--no-imports", "-c", PRINT_CACHE)

    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/0",
    ]


def test_deploy_check_without_redis_passes_and_says_the_database_is_used():
    result = manage("check", "--deploy", "--fail-level", "WARNING", drop=("REDIS_URL",))

    assert result.returncode == 0, result.stderr
    assert "tadreeb.I001" in result.stderr + result.stdout
    assert "tadreeb.W001" not in result.stderr + result.stdout


@pytest.mark.django_db
def test_migrations_make_the_database_cache_table_shared_by_app_servers():
    from django.core.cache.backends.db import DatabaseCache

    # Two app servers, each with its own cache object on the one table.
    first = DatabaseCache("tadreeb_cache", {})
    second = DatabaseCache("tadreeb_cache", {})
    first.add("failed-sign-ins", 0)
    first.incr("failed-sign-ins")
    second.incr("failed-sign-ins")

    assert first.get("failed-sign-ins") == 2


def test_deploy_check_warns_about_a_cache_each_worker_keeps_to_itself(settings):
    from core.checks import check_shared_cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }

    assert [message.id for message in check_shared_cache(None)] == ["tadreeb.W001"]


def test_production_refuses_to_load_demo_data():
    result = manage(
        "load_demo",
        env_overrides={"DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'never.sqlite3'}"},
    )

    # The demo app is not installed in production (docs/decisions/0005): the
    # command does not exist there. Under development settings with DEBUG off it
    # still refuses with its own message (test below).
    assert result.returncode != 0
    assert "Unknown command: 'load_demo'" in result.stderr


def test_demo_password_is_refused_by_production_validators():
    from django.core.exceptions import ValidationError

    from accounts.validators import DemoPasswordValidator

    with pytest.raises(ValidationError):
        DemoPasswordValidator().validate("tadreeb-demo")


def test_production_has_no_demo_tooling():
    """The demo app (demo passwords, generators, load_demo) is installed in
    development and tests only: under production settings loading every URL imports
    nothing of it."""
    probe = manage(
        "shell",
        "-c",
        "import sys, django.urls;"
        "django.urls.get_resolver().url_patterns;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'demo'))",
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip().splitlines()[-1] == "[]"
