"""LOGGING for every environment: plain lines (dev, tests) or one JSON object a
line (production, LOG_FORMAT=json). Every line carries the request id; query
strings and e-mail addresses are masked before any handler writes (core.logs)."""

LOG_FORMATS = ("plain", "json")


def logging_config(log_format: str, level: str = "INFO", stream=None) -> dict:
    if log_format not in LOG_FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
        )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": log_format,
        "filters": ["request_id", "redact"],
    }
    if stream is not None:
        handler["stream"] = stream
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
            "redact": {"()": "core.logs.RedactFilter"},
        },
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] "
                "%(message)s"
            },
            "json": {"()": "core.logs.JsonFormatter"},
        },
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (console when DEBUG, mail_admins) are replaced
            # by ours, so that every line passes the filters above.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.security": {"level": "WARNING"},
            "django.db.backends": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
