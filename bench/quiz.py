"""Quiz benchmark: starting and submitting 50-question attempts.

Builds a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL),
a course with a 50-question quiz drawn from a 200-question bank, and OFFICERS
officers who each start an attempt and submit it over HTTP. Prints the median and
95th-percentile time and the query count of each step.

    .venv/bin/python bench/quiz.py
"""

import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

OFFICERS = int(os.environ.get("OFFICERS", "40"))


def build_quiz():
    from courses.models import CoursePage, Topic
    from quizzes.models import Choice, Question, QuizPage, QuizQuestion

    course = CoursePage.objects.live().first()
    topic = Topic.objects.create(name="Bench", slug="bench")
    questions = []
    for n in range(200):
        question = Question.objects.create(
            kind="single", text=f"<p>Bench question {n}</p>", topic=topic
        )
        Choice.objects.bulk_create(
            Choice(
                question=question,
                locale=question.locale,
                text=f"Choice {m}",
                is_correct=m == 0,
                sort_order=m,
            )
            for m in range(4)
        )
        questions.append(question)
    quiz = QuizPage(
        title="Bench quiz", slug="bench-quiz", max_attempts=0, draw_count=50
    )
    course.add_child(instance=quiz)
    quiz.draw_topics.add(topic)
    quiz.save_revision().publish()
    QuizQuestion.objects.filter(quiz=quiz).delete()
    return course, QuizPage.objects.get(pk=quiz.pk)


def timed(fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, len(queries), result


def main():
    from accounts.models import Ministry, User
    from courses import services
    from quizzes.models import QuizAttempt

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", "--no-officers", verbosity=0)
        course, quiz = build_quiz()
        ministry = Ministry.objects.get(code="MOI")
        starts, submits = [], []
        for n in range(OFFICERS):
            user = User.objects.create_user(
                f"bench{n}@moi.gov.kw", "x", full_name_en=f"B {n}", ministry=ministry
            )
            services.enrol(user, course)
            client = Client()
            client.force_login(user)
            starts.append(
                timed(partial(client.post, quiz.url, {"action": "start"}))[:2]
            )
            attempt = QuizAttempt.objects.get(user=user, quiz=quiz)
            data = {"action": "submit", "questions": []}
            for question in attempt.questions.prefetch_related("choices"):
                data["questions"].append(question.pk)
                data[f"q-{question.pk}"] = [question.choices.all()[0].pk]
            submits.append(
                timed(partial(client.post, f"/quiz-attempts/{attempt.pk}/", data))[:2]
            )
        print(
            f"bench/quiz.py: {OFFICERS} officers, 50 questions drawn from 200, "
            f"{connection.vendor}"
        )
        print(f"{'step':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, rows in (
            ("start attempt (POST)", starts),
            ("submit 50 answers", submits),
        ):
            times = sorted(r[0] for r in rows)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"{label:<28} {statistics.median(times):>10.1f} {p95:>8.1f} "
                f"{max(r[1] for r in rows):>8}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
