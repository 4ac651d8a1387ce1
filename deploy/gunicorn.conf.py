"""gunicorn settings for Tadreeb: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.
Bind: --bind on the command line (systemd: 127.0.0.1:%i) or GUNICORN_BIND."""

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))
forwarded_allow_ips = "127.0.0.1"
# gunicorn 24+ opens a control socket at one path per user: two servers on one
# machine would share it. systemd and signals manage ours (older gunicorns ignore it).
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# Path only (%(U)s), never %(r)s or %(q)s: no query strings in the access log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)s %({x-request-id}o)s'
_format = "json" if os.environ.get("LOG_FORMAT", "json") == "json" else "plain"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "access": {"()": "core.logs.GunicornAccessFilter"},
        "redact": {"()": "core.logs.RedactFilter"},
    },
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": _format,
            "filters": ["access"],
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": _format,
            "filters": ["redact"],
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO",
            "propagate": False,
        },
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
    # gunicorn merges this dict over its own defaults key by key: without a root of
    # our own, its root would name its "console" handler, which ours replaced.
    "root": {"handlers": ["error"], "level": "INFO"},
}
