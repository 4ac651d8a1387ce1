"""Small readers for configuration taken from environment variables.

Every setting that differs between machines comes from the environment, so that the
same code runs on a laptop, in CI and on several production app servers.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for these settings."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


HTTPS_ORIGIN = re.compile(r"https://[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?")


def env_https_origins(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of https origins (scheme, host, optional port), for a
    security policy: anything else, a wildcard or a keyword, is refused."""
    origins = env_list(name, default)
    for origin in origins:
        if not HTTPS_ORIGIN.fullmatch(origin):
            raise ImproperlyConfigured(
                f"{name} takes https origins such as https://www.youtube.com, "
                f"not {origin!r}."
            )
    return origins
