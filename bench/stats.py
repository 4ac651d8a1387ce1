"""Statistics benchmark: the main completion queries on a database at national scale.

Times, on the database as it is (fill it first with ``manage.py seed_scale``):
one ministry's completion table (the largest ministry, by course), the national
ministry x course table, "officials trained per year", and the completion API
(``GET /api/v1/stats/completion/?group_by=ministry,course``) through Django's test
client with a signed-in superuser. One warm-up, then RUNS timed runs of each; prints
the median, the 95th percentile and the query count, and as its last line one JSON
object with the enrolment count and the p95 figures.

    createdb -h 127.0.0.1 -U postgres tadreeb_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadreeb_bench
    DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python manage.py migrate
    DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python manage.py \
        seed_scale --officers 100000 --courses 10
    .venv/bin/python bench/stats.py [--runs 20]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

API_URL = "/api/v1/stats/completion/?group_by=ministry,course"
BENCH_ADMIN = "seed.bench-admin@tadreeb.example"  # "seed.": seed_scale accepts it
GOALS_MS = {"ministry": 100, "national": 300, "trained": None, "api": 600}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def measure(fn, runs: int) -> dict:
    fn()  # warm-up
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured))
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": queries,
    }


def api_client():
    """A test client signed in (session) as a superuser made for the benchmark, or
    None when the completion endpoint does not exist yet."""
    from accounts.models import User

    admin, _ = User.objects.get_or_create(
        email=BENCH_ADMIN,
        defaults={
            "full_name_en": "Benchmark administrator",
            "full_name_ar": "مدير القياس",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if admin.has_usable_password():
        admin.set_unusable_password()
        admin.save(update_fields=["password"])
    # A host the settings allow (dev settings do not allow "testserver").
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    client.force_login(admin)
    if client.get(API_URL).status_code == 404:
        return None
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per item")
    parser.add_argument(
        "--wait-api",
        type=int,
        default=0,
        help="seconds to wait for the completion API to appear (default: none)",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    from accounts.access import Scope
    from courses.models import Enrolment
    from reporting import stats

    enrolments = Enrolment.objects.count()
    if not enrolments:
        print(
            "The database holds no enrolments. Fill it first, e.g.\n"
            "  DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python manage.py "
            "seed_scale --officers 100000 --courses 10",
            file=sys.stderr,
        )
        sys.exit(2)
    largest = (
        Enrolment.objects.filter(is_latest_cycle=True, ministry__isnull=False)
        .values("ministry_id", "ministry__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    ministry_id = largest["ministry_id"]
    items = {
        "ministry": (
            f"one ministry ({largest['ministry__code']}) x course",
            lambda: stats.completion(Scope.ministry(ministry_id), ("course",)),
        ),
        "national": (
            "national ministry x course",
            lambda: stats.completion(Scope.national(), ("ministry", "course")),
        ),
        "trained": (
            "trained per year (national)",
            lambda: stats.trained_per_year(Scope.national()),
        ),
    }
    client = api_client()
    deadline = time.monotonic() + args.wait_api
    while client is None and time.monotonic() < deadline:
        time.sleep(10)
        client = api_client()
    if client is not None:

        def call_api():
            response = client.get(API_URL)
            if response.status_code != 200:
                raise SystemExit(f"{API_URL} answered {response.status_code}")
            return response

        items["api"] = (f"API {API_URL}", call_api)

    print(
        f"bench/stats.py: {enrolments:,} enrolments, {connection.vendor}, "
        f"{args.runs} runs after one warm-up"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('random_page_cost', 'max_parallel_workers_per_gather', 'jit', "
                "'shared_buffers', 'work_mem') ORDER BY name"
            )
            print("server: " + ", ".join(f"{k}={v}" for k, v in cursor.fetchall()))
    print(f"{'item':<62} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    results = {}
    for key, (label, fn) in items.items():
        results[key] = measure(fn, args.runs)
        r = results[key]
        goal = GOALS_MS.get(key)
        mark = "" if goal is None else ("  ok" if r["p95"] <= goal else "  OVER GOAL")
        print(
            f"{label:<62} {r['median']:>10.1f} {r['p95']:>8.1f} {r['queries']:>8}{mark}"
        )
    if client is None:
        print(f"{API_URL}: not found (the endpoint does not exist yet)")

    def p95(key):
        return round(results[key]["p95"], 1) if key in results else None

    print(
        json.dumps(
            {
                "enrolments": enrolments,
                "ministry_completion_p95_ms": p95("ministry"),
                "national_table_p95_ms": p95("national"),
                "trained_per_year_p95_ms": p95("trained"),
                "api_completion_p95_ms": p95("api"),
            }
        )
    )


if __name__ == "__main__":
    main()
