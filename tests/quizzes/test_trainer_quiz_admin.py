"""The trainer side of quizzes in the admin: the essay marking queue, the marking
page, and the quiz and question statistics reports with their exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from courses import services
from quizzes import services as quiz_services
from quizzes.models import (
    AttemptQuestion,
    AttemptStatus,
    Choice,
    Question,
    QuestionKind,
    QuizPage,
    QuizQuestion,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "quiz_admin:marking_queue"
MARK = "quiz_admin:mark_attempt"
QUIZ_REPORT = "quiz_admin:quiz_report"
QUESTION_REPORT = "quiz_admin:question_report"

# Query budgets, measured: they must not grow with the number of attempts.
QUEUE_QUERIES = 12
MARK_QUERIES = 12
QUIZ_REPORT_QUERIES = 13
QUESTION_REPORT_QUERIES = 13


# --- Building quizzes and attempts -------------------------------------------------


def build_quiz(course, questions, *, title="Quiz", pass_mark=50) -> QuizPage:
    """A published quiz under ``course``. ``questions``: (text, kind, points)
    tuples; choice questions get one right and one wrong choice."""
    quiz = QuizPage(
        title=title,
        pass_mark=pass_mark,
        max_attempts=0,
        shuffle_questions=False,
        shuffle_choices=False,
    )
    course.add_child(instance=quiz)
    for number, (text, kind, points) in enumerate(questions, start=1):
        question = Question.objects.create(
            kind=kind, text=f"<p>{text}</p>", points=points
        )
        if kind != QuestionKind.ESSAY:
            Choice.objects.create(
                question=question, text="Right", is_correct=True, sort_order=1
            )
            Choice.objects.create(
                question=question, text="Wrong", is_correct=False, sort_order=2
            )
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=number)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def take_quiz(user, quiz, *, right=(), essay="My answer."):
    """Enrol ``user``, start and submit an attempt: choice questions at the
    positions in ``right`` answered correctly, the others wrongly."""
    services.enrol(user, quiz_services.course_of_quiz(quiz))
    attempt = quiz_services.start_attempt(user, quiz)
    answers = []
    for asked in attempt.questions.prefetch_related("choices"):
        if asked.kind == QuestionKind.ESSAY:
            answers.append(
                quiz_services.Answer(attempt_question_id=asked.pk, essay=essay)
            )
            continue
        wanted = asked.position in right
        choice = next(c for c in asked.choices.all() if c.is_correct == wanted)
        answers.append(
            quiz_services.Answer(attempt_question_id=asked.pk, choice_ids=(choice.pk,))
        )
    return quiz_services.submit_attempt(attempt.pk, user, answers)


def new_officer(moi):
    return UserFactory(ministry=moi)


def essays_of(attempt):
    return list(
        AttemptQuestion.objects.filter(attempt=attempt, kind=QuestionKind.ESSAY)
    )


def mark(client, attempt, essay, awarded, comment=""):
    return client.post(
        reverse(MARK, args=[attempt.pk]),
        {
            "attempt_question": essay.pk,
            f"essay-{essay.pk}-awarded": awarded,
            f"essay-{essay.pk}-comment": comment,
        },
    )


def export_csv(client, name, **params):
    response = client.get(reverse(name), {"export": "csv", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


@pytest.fixture
def trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS, email="trainer@moi.gov.kw")


@pytest.fixture
def focal_point(moi):
    return UserFactory(ministry=moi, role=roles.FOCAL_POINTS, email="fp@moi.gov.kw")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def essay_quiz(course):
    """One choice question (1 point) and two essays (3 points each)."""
    return build_quiz(
        course,
        [
            ("Which document is a red flag when withheld?", QuestionKind.SINGLE, 1),
            ("Describe how you would interview the worker.", QuestionKind.ESSAY, 3),
            ("Which agency do you call first, and why?", QuestionKind.ESSAY, 3),
        ],
    )


@pytest.fixture
def essay_attempt(officer, course, essay_quiz):
    return take_quiz(officer, essay_quiz, right={1})


@pytest.fixture
def choice_quiz(make_course):
    return build_quiz(
        make_course("Labour inspection"),
        [(f"Indicator question {n}", QuestionKind.SINGLE, 1) for n in range(1, 5)],
        title="Indicators quiz",
    )


# --- Marking queue ---------------------------------------------------------------


def test_queue_lists_an_attempt_awaiting_marking(trainer_client, essay_attempt):
    response = trainer_client.get(reverse(QUEUE))

    assert response.status_code == 200
    body = response.content.decode()
    assert f"Attempt #{essay_attempt.pk}" in body
    assert reverse(MARK, args=[essay_attempt.pk]) in body
    assert "Identifying victims" in body  # the course


def test_queue_leaves_out_scored_attempts(trainer_client, moi, course, choice_quiz):
    scored = take_quiz(new_officer(moi), choice_quiz, right={1, 2})
    assert scored.status == AttemptStatus.SCORED

    response = trainer_client.get(reverse(QUEUE))

    assert reverse(MARK, args=[scored.pk]) not in response.content.decode()
    assert "No attempt is waiting for marking." in response.content.decode()


def test_queue_lists_the_oldest_attempt_first(trainer_client, moi, course, essay_quiz):
    first = take_quiz(new_officer(moi), essay_quiz)
    second = take_quiz(new_officer(moi), essay_quiz)

    body = trainer_client.get(reverse(QUEUE)).content.decode()

    first_url, second_url = (reverse(MARK, args=[a.pk]) for a in (first, second))
    assert body.index(first_url) < body.index(second_url)


def test_menu_shows_the_number_of_attempts_waiting(trainer_client, essay_attempt):
    response = trainer_client.get(reverse("wagtailadmin_home"))

    assert "Marking queue (1)" in response.content.decode()


# --- Marking page ----------------------------------------------------------------


def test_marking_page_shows_each_essay_with_the_answer(trainer_client, essay_attempt):
    response = trainer_client.get(reverse(MARK, args=[essay_attempt.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Describe how you would interview the worker." in body
    assert "Which agency do you call first, and why?" in body
    assert body.count("My answer.") == 2
    assert body.count('name="attempt_question"') == 2


def test_marking_one_essay_keeps_the_attempt_in_the_queue(
    trainer_client, essay_attempt
):
    first_essay = essays_of(essay_attempt)[0]

    response = mark(trainer_client, essay_attempt, first_essay, "2.5", "Clear plan.")

    assert response.status_code == 302
    assert response.url == reverse(MARK, args=[essay_attempt.pk])
    first_essay.refresh_from_db()
    assert first_essay.awarded == Decimal("2.50")
    assert first_essay.marker_comment == "Clear plan."
    essay_attempt.refresh_from_db()
    assert essay_attempt.status == AttemptStatus.AWAITING_MARKING
    queue = trainer_client.get(reverse(QUEUE)).content.decode()
    assert reverse(MARK, args=[essay_attempt.pk]) in queue


def test_marking_every_essay_scores_the_attempt_and_it_leaves_the_queue(
    trainer_client, trainer, essay_attempt
):
    first, second = essays_of(essay_attempt)

    mark(trainer_client, essay_attempt, first, "2")
    response = mark(trainer_client, essay_attempt, second, "1")

    assert response.status_code == 302
    assert response.url == reverse(QUEUE)
    essay_attempt.refresh_from_db()
    assert essay_attempt.status == AttemptStatus.SCORED
    assert essay_attempt.percent == Decimal("57.14")  # (1 + 2 + 1) of 7 points
    assert essay_attempt.passed is True
    second.refresh_from_db()
    assert second.marked_by == trainer
    queue = trainer_client.get(reverse(QUEUE))
    assert reverse(MARK, args=[essay_attempt.pk]) not in queue.content.decode()
    assert "It has left the queue." in queue.content.decode()


@pytest.mark.parametrize(
    ("awarded", "message"),
    [
        ("4", "Award between 0 and 3 points."),
        ("-1", "Award between 0 and 3 points."),
        ("lots", "Enter a number."),
    ],
)
def test_a_bad_mark_is_refused_and_nothing_is_saved(
    trainer_client, essay_attempt, awarded, message
):
    essay = essays_of(essay_attempt)[0]

    response = mark(trainer_client, essay_attempt, essay, awarded, "Comment")

    assert response.status_code == 400
    assert message in response.content.decode()
    essay.refresh_from_db()
    assert essay.awarded is None
    assert essay.marker_comment == ""
    essay_attempt.refresh_from_db()
    assert essay_attempt.status == AttemptStatus.AWAITING_MARKING


def test_marking_an_attempt_no_longer_awaiting_is_refused(
    trainer_client, trainer, essay_attempt
):
    first, second = essays_of(essay_attempt)
    quiz_services.mark_essay(first, trainer, Decimal(3))
    quiz_services.mark_essay(second, trainer, Decimal(3))

    response = mark(trainer_client, essay_attempt, first, "0", "Second thoughts")

    assert response.status_code == 400
    assert "This attempt is not waiting for marking." in response.content.decode()
    first.refresh_from_db()
    assert first.awarded == Decimal(3)
    assert first.marker_comment == ""


def test_an_essay_of_another_attempt_cannot_be_marked_here(
    trainer_client, moi, course, essay_quiz, essay_attempt
):
    other = take_quiz(new_officer(moi), essay_quiz)
    foreign_essay = essays_of(other)[0]

    response = mark(trainer_client, essay_attempt, foreign_essay, "1")

    assert response.status_code == 400
    foreign_essay.refresh_from_db()
    assert foreign_essay.awarded is None


def test_marking_without_a_csrf_token_is_refused(trainer, essay_attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    essay = essays_of(essay_attempt)[0]

    response = mark(client, essay_attempt, essay, "2")

    assert response.status_code == 403
    essay.refresh_from_db()
    assert essay.awarded is None


def test_an_open_attempt_has_no_marking_page(
    trainer_client, officer, course, essay_quiz
):
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, essay_quiz)

    response = trainer_client.get(reverse(MARK, args=[attempt.pk]))

    assert response.status_code == 404


# --- Who may open these pages ------------------------------------------------------


@pytest.mark.parametrize("name", [QUEUE, QUIZ_REPORT, QUESTION_REPORT])
def test_an_officer_is_sent_to_sign_in(client, officer, name):
    client.force_login(officer)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", [QUEUE, QUIZ_REPORT, QUESTION_REPORT])
def test_a_focal_point_is_turned_away(client, focal_point, name):
    client.force_login(focal_point)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", [QUEUE, QUIZ_REPORT, QUESTION_REPORT])
def test_a_superuser_may_open_the_queue_and_reports(client, moi, essay_attempt, name):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))

    assert client.get(reverse(name)).status_code == 200


def test_a_focal_point_cannot_mark_an_essay(client, focal_point, essay_attempt):
    client.force_login(focal_point)
    essay = essays_of(essay_attempt)[0]

    response = mark(client, essay_attempt, essay, "3")

    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.awarded is None


def test_a_focal_point_sees_no_marking_queue_nor_quiz_reports_in_the_menu(
    client, focal_point, essay_attempt
):
    client.force_login(focal_point)

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Marking queue" not in body
    assert "Quiz statistics" not in body


# --- Quiz statistics ---------------------------------------------------------------


@pytest.fixture
def four_scored_attempts(moi, course, choice_quiz):
    """Scores 100, 50, 0 and 75 % with a pass mark of 50: three passes."""
    for right in ({1, 2, 3, 4}, {1, 2}, set(), {1, 2, 3}):
        take_quiz(new_officer(moi), choice_quiz, right=right)
    return choice_quiz


def test_quiz_report_counts_only_scored_attempts(
    trainer_client, moi, course, four_scored_attempts, essay_attempt
):
    unfinished = new_officer(moi)
    services.enrol(unfinished, quiz_services.course_of_quiz(four_scored_attempts))
    quiz_services.start_attempt(unfinished, four_scored_attempts)

    rows = {r["Quiz"]: r for r in export_csv(trainer_client, QUIZ_REPORT)}

    assert rows["Indicators quiz"]["Attempts scored"] == "4"
    assert rows["Quiz"]["Attempts scored"] == "0"  # the essay quiz: awaiting only


def test_quiz_report_shows_pass_rate_average_and_median(
    trainer_client, four_scored_attempts
):
    response = trainer_client.get(reverse(QUIZ_REPORT))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Indicators quiz" in body
    assert "75.0 %" in body  # pass rate
    assert "56.3 %" in body  # average of 100, 50, 0, 75
    assert "62.5 %" in body  # median


def test_quiz_report_csv_has_headings_and_a_row_per_quiz(
    trainer_client, four_scored_attempts, essay_quiz
):
    rows = export_csv(trainer_client, QUIZ_REPORT)

    assert list(rows[0]) == [
        "Quiz",
        "Course",
        "Attempts scored",
        "Pass rate (%)",
        "Average score (%)",
        "Median score (%)",
    ]
    by_quiz = {r["Quiz"]: r for r in rows}
    assert by_quiz["Indicators quiz"] == {
        "Quiz": "Indicators quiz",
        "Course": "Labour inspection",
        "Attempts scored": "4",
        "Pass rate (%)": "75.00",
        "Average score (%)": "56.25",
        "Median score (%)": "62.50",
    }
    assert by_quiz["Quiz"]["Pass rate (%)"] == ""  # no scored attempt yet


def test_quiz_report_xlsx_has_headings_and_numbers(
    trainer_client, four_scored_attempts
):
    response = trainer_client.get(reverse(QUIZ_REPORT), {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Quiz", "Course", "Attempts scored")
    assert ("Indicators quiz", "Labour inspection", 4, 75, 56.25, 62.5) in rows


def test_quiz_report_filters_by_submission_date(trainer_client, four_scored_attempts):
    rows = export_csv(
        trainer_client,
        QUIZ_REPORT,
        submitted_at_from="2000-01-01",
        submitted_at_to="2000-12-31",
    )

    assert {r["Attempts scored"] for r in rows} == {"0"}


# --- Question statistics ------------------------------------------------------------


@pytest.fixture
def item_analysis_quiz(moi, make_course):
    """Four attempts with distinct scores. The best one gets Q1-Q3 right, the
    weakest only Q4: Q1-Q3 discriminate, Q4 discriminates the wrong way."""
    quiz = build_quiz(
        make_course("Interviewing victims"),
        [
            ("Q1 passport withheld", QuestionKind.SINGLE, 2),
            ("Q2 debt bondage", QuestionKind.SINGLE, 2),
            ("Q3 rare indicator", QuestionKind.SINGLE, 2),
            ("Q4 leaked answer", QuestionKind.SINGLE, 1),
        ],
        title="Item analysis quiz",
    )
    for right in ({1, 2, 3}, {1, 2}, {1, 4}, {4}):  # 85.7, 57.1, 42.9, 14.3 %
        take_quiz(new_officer(moi), quiz, right=right)
    return quiz


def test_question_report_shows_facility_and_discrimination(
    trainer_client, item_analysis_quiz
):
    rows = {
        r["Question"]: r
        for r in export_csv(trainer_client, QUESTION_REPORT, quiz=item_analysis_quiz.pk)
    }

    assert rows["Q1 passport withheld"]["Facility (% fully right)"] == "75.0"
    assert rows["Q3 rare indicator"]["Facility (% fully right)"] == "25.0"
    assert rows["Q4 leaked answer"]["Facility (% fully right)"] == "50.0"
    assert Decimal(rows["Q1 passport withheld"]["Discrimination index"]) > 0
    assert Decimal(rows["Q4 leaked answer"]["Discrimination index"]) < 0
    assert {r["Times asked"] for r in rows.values()} == {"4"}


def test_question_report_lists_the_worst_discriminating_question_first(
    trainer_client, item_analysis_quiz
):
    response = trainer_client.get(reverse(QUESTION_REPORT))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Q4 leaked answer") < body.index("Q1 passport withheld")
    assert "-1.00" in body
    assert "retire it or" in body  # the legend


def test_question_report_csv_has_headings(trainer_client, item_analysis_quiz):
    rows = export_csv(trainer_client, QUESTION_REPORT)

    assert list(rows[0]) == [
        "Question ID",
        "Question",
        "Kind",
        "Times asked",
        "Facility (% fully right)",
        "Facility in Arabic (%)",
        "Facility in English (%)",
        "Gap between languages (points)",
        "Discrimination index",
    ]
    assert len(rows) == 4
    assert {r["Kind"] for r in rows} == {"Single choice"}


def test_question_report_filters_by_quiz(
    trainer_client, item_analysis_quiz, four_scored_attempts
):
    rows = export_csv(trainer_client, QUESTION_REPORT, quiz=four_scored_attempts.pk)

    assert {r["Question"] for r in rows} == {
        f"Indicator question {n}" for n in range(1, 5)
    }


@pytest.mark.parametrize(
    "name",
    [
        "quiz_admin:marking_queue_results",
        "quiz_admin:quiz_report_results",
        "quiz_admin:question_report_results",
    ],
)
def test_filtering_refreshes_only_the_results(trainer_client, essay_attempt, name):
    response = trainer_client.get(reverse(name), {"submitted_at_from": "2000-01-01"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()


# --- Privacy -------------------------------------------------------------------------


def test_no_officer_name_or_email_appears_on_any_page_or_export(
    trainer_client, officer, course, essay_quiz, essay_attempt, item_analysis_quiz
):
    take_quiz(officer, item_analysis_quiz, right={1})
    pages = [
        trainer_client.get(reverse(QUEUE)).content,
        trainer_client.get(reverse(MARK, args=[essay_attempt.pk])).content,
        trainer_client.get(reverse(QUIZ_REPORT)).content,
        trainer_client.get(reverse(QUESTION_REPORT)).content,
        b"".join(
            trainer_client.get(
                reverse(QUIZ_REPORT), {"export": "csv"}
            ).streaming_content
        ),
        b"".join(
            trainer_client.get(
                reverse(QUESTION_REPORT), {"export": "csv"}
            ).streaming_content
        ),
    ]

    for content in pages:
        text = content.decode("utf-8-sig")
        assert officer.email not in text
        assert officer.full_name_en not in text


# --- Query counts ------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        (QUEUE, QUEUE_QUERIES),
        (QUIZ_REPORT, QUIZ_REPORT_QUERIES),
        (QUESTION_REPORT, QUESTION_REPORT_QUERIES),
    ],
)
def test_listing_queries_do_not_grow_with_attempts(
    trainer_client,
    moi,
    course,
    essay_quiz,
    choice_quiz,
    name,
    budget,
    django_assert_max_num_queries,
):
    def add_attempts():
        take_quiz(new_officer(moi), essay_quiz, right={1})
        take_quiz(new_officer(moi), choice_quiz, right={1, 2})

    add_attempts()
    few = count_queries(trainer_client, reverse(name))
    for _ in range(4):
        add_attempts()
    with django_assert_max_num_queries(budget):
        many = count_queries(trainer_client, reverse(name))

    assert many == few


def test_marking_page_queries_do_not_grow_with_attempts(
    trainer_client,
    moi,
    course,
    essay_quiz,
    essay_attempt,
    django_assert_max_num_queries,
):
    url = reverse(MARK, args=[essay_attempt.pk])
    few = count_queries(trainer_client, url)
    for _ in range(5):
        take_quiz(new_officer(moi), essay_quiz)
    with django_assert_max_num_queries(MARK_QUERIES):
        many = count_queries(trainer_client, url)

    assert many == few
