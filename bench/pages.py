"""Page benchmark: response time and query count of the main pages, with many officers.

Builds a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL),
fills it with OFFICERS officers across the demo ministries, and times each page with
Django's test client (no network). Prints one line per page.

    .venv/bin/python bench/pages.py            # 5,000 officers, 30 requests per page
    OFFICERS=50000 ROUNDS=10 .venv/bin/python bench/pages.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

OFFICERS = int(os.environ.get("OFFICERS", "5000"))
ROUNDS = int(os.environ.get("ROUNDS", "30"))


def fill(officers: int) -> None:
    from accounts.models import Cadre, Gender, Ministry, User

    ministries = list(Ministry.objects.all())
    cadres = list(Cadre.values)
    genders = list(Gender.values)
    users = [
        User(
            email=f"bench{n}@{ministries[n % len(ministries)].code.lower()}.bench",
            full_name_en=f"Bench Officer {n}",
            full_name_ar="ضابط",
            ministry=ministries[n % len(ministries)],
            cadre=cadres[n % len(cadres)],
            gender=genders[n % len(genders)],
            password="!",  # noqa: S106 - unusable password
        )
        for n in range(officers)
    ]
    User.objects.bulk_create(users, batch_size=2000)


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches
    timings = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(queries), response.status_code


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", "--no-officers", verbosity=0)
        fill(OFFICERS)
        from accounts.models import User
        from courses import services
        from courses.models import CoursePage
        from quizzes import services as quiz_services

        course = CoursePage.objects.live().first()
        lessons = services.lessons_of(course)
        officer_user = User.objects.get(email="officer@moi.gov.kw")
        services.complete_lesson(services.enrol(officer_user, course), lessons[0])
        enrolment = services.get_enrolment(officer_user, course)
        services.complete_lesson(enrolment, lessons[1])
        quiz = quiz_services.quiz_of(course)
        quiz_services.start_attempt(officer_user, quiz)
        officer = Client()
        officer.force_login(officer_user)

        anonymous = Client()
        focal = Client()
        focal.force_login(User.objects.get(email="focal@moi.gov.kw"))
        committee = Client()
        committee.force_login(User.objects.get(email="committee@moj.gov.kw"))

        cases = [
            ("home page (anonymous)", anonymous, "/"),
            ("sign-in page", anonymous, "/accounts/login/"),
            ("sign-up page", anonymous, "/accounts/signup/"),
            ("catalogue (officer)", officer, "/courses/"),
            ("course page (officer, enrolled)", officer, course.url),
            ("lesson page (officer, enrolled)", officer, lessons[1].url),
            ("dashboard (officer)", officer, "/dashboard/"),
            ("quiz page (officer, open attempt)", officer, quiz.url),
            ("admin dashboard (focal point)", focal, "/admin/"),
            ("officers listing (focal point, MOI)", focal, "/admin/officers/"),
            ("officers listing (committee, all)", committee, "/admin/officers/"),
            ("officers search (committee)", committee, "/admin/officers/?q=Officer+42"),
            ("officers CSV export (focal point)", focal, "/admin/officers/?export=csv"),
        ]
        vendor = connection.vendor
        print(
            f"bench/pages.py: {OFFICERS} officers, {ROUNDS} requests per page, {vendor}"
        )
        print(
            f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>7}"
        )
        for label, client, url in cases:
            median, p95, queries, status = measure(client, url)
            print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {queries:>8} {status:>7}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
