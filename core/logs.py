"""Logging without personal data: request ids, JSON lines, redaction.

* ``RequestIDMiddleware``: django-log-request-id's middleware, taking the id from
  ``X-Request-ID`` (nginx sets it) only when it is a short safe token; anything
  else is replaced by a fresh id. The id is echoed in the response header.
* ``RedactFilter``: strips query strings and masks e-mail-like strings in every
  record's message and arguments (Django's request and server loggers print the
  full path, with whatever a visitor typed after the ``?``).
"""

import logging
import re

from log_request_id.middleware import RequestIDMiddleware as _RequestIDMiddleware

# Letters, digits and - _ . : (uuid, hex, nginx's $request_id), 8 to 64 characters.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")

EMAIL = re.compile(r"[^\s@/?&=\"'<>]+@[^\s@/?&=\"'<>]+")
# A query string inside a path or URL: from "?" up to the next space or quote.
QUERY = re.compile(r"\?[^\s\"']*")
EMAIL_MASK = "[email]"
QUERY_MASK = "?[query]"


def redact(text: str) -> str:
    """``text`` without query strings and without e-mail-like strings."""
    return EMAIL.sub(EMAIL_MASK, QUERY.sub(QUERY_MASK, text))


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    # Anything else (a request, a path object, ...) becomes its redacted text.
    return redact(str(value))


class RedactFilter(logging.Filter):
    """Masks query strings and e-mail addresses in a record before any handler
    formats it. Attach it to the handlers, so that every logger's records pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        else:
            record.msg = redact(str(record.msg))
        if isinstance(record.args, dict):
            record.args = {k: _redact_value(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(_redact_value(arg) for arg in record.args)
        # django.request attaches the request itself: never formatted by our
        # formatters, but a JSON formatter would print it; keep only its path.
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = redact(getattr(request, "path", "") or "")
        return True


class RequestIDMiddleware(_RequestIDMiddleware):
    """The request id from ``X-Request-ID`` when it is a safe token, else a new one."""

    def _get_request_id(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        if SAFE_REQUEST_ID.fullmatch(incoming):
            return incoming
        return self._generate_id()


class JsonFormatter:
    """Factory for logging's dictConfig: python-json-logger's formatter with the
    fields every line carries (timestamp, level, logger, message, request_id)."""

    def __new__(cls, **kwargs):
        from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

        return _JsonFormatter(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
            json_ensure_ascii=False,
            **kwargs,
        )


def _gunicorn_access_fields(record: logging.LogRecord) -> dict:
    atoms = record.args if isinstance(record.args, dict) else {}
    return {
        "method": atoms.get("m"),
        # The path only (%(U)s): never the query string.
        "path": redact(str(atoms.get("U", ""))),
        "status": atoms.get("s"),
        "bytes": atoms.get("B"),
        "duration_ms": round(int(atoms.get("D", 0) or 0) / 1000, 1),
        "remote_addr": atoms.get("h"),
        # Django echoes the id it used in the response; nginx's if it sent one.
        "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i"),
    }


class GunicornAccessFilter(logging.Filter):
    """For gunicorn.access: one JSON object per request, from gunicorn's atoms,
    with the path but not the query string, and no user agent or referrer."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _gunicorn_access_fields(record)
        for name, value in fields.items():
            setattr(record, name, value)
        record.msg = "%s %s %s"
        record.args = (fields["method"], fields["path"], fields["status"])
        return True
