"""Check the upgrade path of the quiz engine's move to its own app (issue 12) on a
database built and loaded by the code before the move.

The counts are read with plain SQL, so the same script runs against the old code
(before migrating) and the new code (after):

    # 1. a database built and loaded by main before the move (aaf086e)
    mkdir /tmp/oldmain && git archive aaf086e | tar -x -C /tmp/oldmain
    createdb upgrade_check
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/upgrade_check
    export DJANGO_SETTINGS_MODULE=lms.settings.dev
    (cd /tmp/oldmain && python manage.py migrate && python manage.py load_demo)
    # 2. what it holds, read before the upgrade (the old tree has no tools/)
    (cd /tmp/oldmain && python /path/to/worktree/tools/check_upgrade.py count) \
        > /tmp/before.json
    # 3. the upgrade, then the check, from this tree
    python manage.py migrate
    python tools/check_upgrade.py check /tmp/before.json

``check`` compares the counts (pages, revisions, quiz attempts and their answers,
workflow states, log entries, content types, permissions) and the ids of the quiz
engine's content types, now labelled ``quizzes``; then, inside a transaction it rolls
back, it signs in as the demo officer (``officer@moi.gov.kw``), gives them an
enrolment in every course that has a quiz, and opens every quiz page with Django's
test Client: each must answer 200 with its title. Exit status 0 when all holds.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

TABLES = (
    "wagtailcore_page",
    "wagtailcore_revision",
    "wagtailcore_workflowstate",
    "wagtailcore_pagelogentry",
    "wagtailcore_referenceindex",
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "courses_quizpage",
    "courses_question",
    "courses_choice",
    "courses_quizquestion",
    "courses_quizattempt",
    "courses_attemptquestion",
    "courses_attemptchoice",
    "courses_enrolment",
)
QUIZ_MODELS = (
    "question",
    "choice",
    "quizpage",
    "quizquestion",
    "quizattempt",
    "attemptquestion",
    "attemptchoice",
)
DEMO_OFFICER = "officer@moi.gov.kw"


def say(*parts) -> None:
    sys.stdout.write(" ".join(str(part) for part in parts) + "\n")


def count() -> dict:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (constants)
            counts[table] = cursor.fetchone()[0]
        placeholders = ", ".join(["%s"] * len(QUIZ_MODELS))
        cursor.execute(
            "SELECT model, id, app_label FROM django_content_type "  # noqa: S608
            f"WHERE model IN ({placeholders}) AND app_label IN ('courses', 'quizzes')",
            list(QUIZ_MODELS),
        )
        content_types = {model: [pk, label] for model, pk, label in cursor.fetchall()}
        cursor.execute(
            "SELECT COUNT(*) FROM wagtailcore_page p "
            "JOIN django_content_type c ON c.id = p.content_type_id "
            "WHERE c.model = 'quizpage'"
        )
        quiz_pages_by_type = cursor.fetchone()[0]
    return {
        "counts": counts,
        "content_types": content_types,
        "pages_of_quiz_type": quiz_pages_by_type,
    }


def render_quiz_pages() -> list[str]:
    """Problems found opening every quiz page as the demo officer (none: [])."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from courses import services as course_services
    from courses.models import EnrolmentSource
    from quizzes.models import QuizPage

    setup_test_environment()  # "testserver" allowed, responses keep their context
    problems = []
    officer = User.objects.get(email=DEMO_OFFICER)
    client = Client()
    client.force_login(officer)
    quizzes = list(QuizPage.objects.live().order_by("path"))
    if not quizzes:
        problems.append("no live quiz page to open")
    with transaction.atomic():
        for quiz in quizzes:
            course = course_services.course_of(quiz)
            course_services.enrol(officer, course, source=EnrolmentSource.ASSIGNED)
            response = client.get(quiz.url)
            body = response.content.decode()
            if response.status_code != 200 or quiz.title not in body:
                problems.append(f"{quiz.url}: {response.status_code}")
            else:
                say(f"  200 {quiz.url} ({quiz.title})")
        transaction.set_rollback(True)
    return problems


def check(before_path: str) -> int:
    before = json.loads(Path(before_path).read_text())
    after = count()
    problems = []
    for table, number in before["counts"].items():
        if after["counts"].get(table) != number:
            problems.append(f"{table}: {number} before, {after['counts'].get(table)}")
    for model, (pk, _label) in before["content_types"].items():
        now = after["content_types"].get(model)
        if now != [pk, "quizzes"]:
            problems.append(f"content type {model}: [{pk}, courses] became {now}")
    if after["pages_of_quiz_type"] != before["pages_of_quiz_type"]:
        problems.append("quiz pages changed content type")
    say(json.dumps(after, indent=2))
    problems += render_quiz_pages()
    for problem in problems:
        say("PROBLEM:", problem)
    say("upgrade check:", "FAILED" if problems else "all good")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "count":
        say(json.dumps(count(), indent=2))
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    else:
        sys.exit(__doc__)
