"""Taking a quiz: frozen attempts, saving, submitting once, limits, deadlines,
feedback, integrity of what reaches the browser, and query budgets."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from courses import services
from courses.models import Enrolment
from quizzes import services as quiz_services
from quizzes.models import AttemptChoice, AttemptStatus, Choice, Question, QuizAttempt
from tests.courses.conftest import lessons, right_answers, wrong_answers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course)


@pytest.fixture
def enrolled(officer, course):
    return services.enrol(officer, course)


def start(officer, quiz):
    return quiz_services.start_attempt(officer, quiz)


def form_url(attempt):
    return reverse("quizzes:attempt_form", args=[attempt.pk])


def answers_url(attempt):
    return reverse("quizzes:save_answers", args=[attempt.pk])


def form_answers(attempt, answers):
    data = {"questions": []}
    for answer in answers:
        data["questions"].append(answer.attempt_question_id)
        data[f"q-{answer.attempt_question_id}"] = list(answer.choice_ids)
    return data


# Starting


def test_starting_freezes_questions_and_choices(officer, quiz, enrolled):
    attempt = start(officer, quiz)

    assert attempt.questions.count() == 3
    assert AttemptChoice.objects.filter(attempt_question__attempt=attempt).count() == 8
    assert start(officer, quiz).pk == attempt.pk  # the open attempt is resumed


def test_editing_a_question_does_not_change_an_earlier_attempt(officer, quiz, enrolled):
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))
    question = Question.objects.get(text__startswith="<p>Question 1")
    question.text = "<p>Rewritten</p>"
    question.save()
    Choice.objects.filter(question=question).update(is_correct=False, text="Changed")

    attempt.refresh_from_db()
    first = attempt.questions.get(position=1)
    assert first.text.startswith("<p>Question 1")
    assert "Right" in [c.text for c in first.choices.all()]
    assert attempt.percent == Decimal("100.00")


def test_one_open_attempt_per_officer_and_quiz_is_a_database_rule(
    officer, quiz, enrolled
):
    attempt = start(officer, quiz)

    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(
            user=officer,
            quiz=quiz,
            enrolment=enrolled,
            number=2,
            pass_mark=60,
            partial_credit=False,
        )
    assert attempt.is_open


def test_quiz_needs_an_enrolment(officer, quiz):
    with pytest.raises(quiz_services.QuizRefused):
        start(officer, quiz)


def test_random_draw_asks_n_questions_from_the_listed_ones(
    officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, draw_count=2)

    attempt = start(officer, quiz)

    assert attempt.questions.count() == 2


# Submitting and scoring


def test_submitting_right_answers_passes_and_completes_the_course(
    officer, course, quiz, enrolled
):
    for lesson in lessons(course):
        services.complete_lesson(enrolled, lesson)
    assert Enrolment.objects.get(pk=enrolled.pk).completed_at is None

    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))

    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, attempt.percent) == (
        AttemptStatus.SCORED,
        True,
        Decimal("100.00"),
    )
    assert Enrolment.objects.get(pk=enrolled.pk).completed_at is not None


def test_second_submit_of_same_attempt_is_rejected(officer, quiz, enrolled):
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))

    with pytest.raises(quiz_services.AttemptClosed):
        quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))

    attempt.refresh_from_db()
    assert attempt.passed is False
    assert QuizAttempt.objects.filter(user=officer).count() == 1


def test_double_submit_over_http_gets_409_and_counts_once(
    client, officer, quiz, enrolled
):
    attempt = start(officer, quiz)
    client.force_login(officer)
    data = {"action": "submit", **form_answers(attempt, right_answers(attempt))}

    first = client.post(form_url(attempt), data)
    second = client.post(form_url(attempt), data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "already been submitted" in second.content.decode()
    assert QuizAttempt.objects.get(pk=attempt.pk).passed is True


def test_saved_answers_survive_and_count_at_submission(client, officer, quiz, enrolled):
    attempt = start(officer, quiz)
    client.force_login(officer)
    for answer in right_answers(attempt):
        response = client.post(
            answers_url(attempt),
            json.dumps(
                {
                    "answers": [
                        {
                            "question": answer.attempt_question_id,
                            "choices": list(answer.choice_ids),
                        }
                    ],
                }
            ),
            content_type="application/json",
        )
        assert response.json() == {"saved": True}

    quiz_services.submit_attempt(attempt.pk, officer)

    assert QuizAttempt.objects.get(pk=attempt.pk).percent == Decimal("100.00")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"question": 999999, "choices": []}, "not in this attempt"),
        ({"question": "FIRST", "choices": [999999]}, "does not offer"),
        ({"question": "FIRST", "choices": "ALL"}, "only"),
    ],
)
def test_bad_answers_get_400_and_keep_what_was_saved(
    client, officer, quiz, enrolled, payload, message
):
    attempt = start(officer, quiz)
    first = attempt.questions.get(position=1)
    saved = [c.pk for c in first.choices.all() if c.is_correct]
    quiz_services.save_answers(
        attempt.pk, officer, [quiz_services.Answer(first.pk, tuple(saved))]
    )
    if payload["question"] == "FIRST":
        payload["question"] = first.pk
    if payload.get("choices") == "ALL":
        payload["choices"] = [c.pk for c in first.choices.all()]
        message = "Choose one answer only"
    client.force_login(officer)

    response = client.post(
        answers_url(attempt),
        json.dumps({"answers": [payload]}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert [c.pk for c in first.choices.filter(selected=True)] == saved


def test_a_bad_answer_in_a_form_submit_leaves_the_attempt_open(
    client, officer, quiz, enrolled
):
    attempt = start(officer, quiz)
    client.force_login(officer)
    data = {"action": "submit", **form_answers(attempt, right_answers(attempt))}
    data["questions"].append(123456)

    response = client.post(form_url(attempt), data)

    assert response.status_code == 400
    assert "not in this attempt" in response.content.decode()
    assert QuizAttempt.objects.get(pk=attempt.pk).is_open


def test_someone_elses_attempt_cannot_be_touched(client, officer, quiz, enrolled, moi):
    from tests.factories import UserFactory

    attempt = start(officer, quiz)
    intruder = UserFactory(ministry=moi)
    services.enrol(intruder, quiz.get_parent().specific)
    client.force_login(intruder)

    response = client.post(form_url(attempt), {"action": "submit", "questions": []})

    assert response.status_code == 404
    assert QuizAttempt.objects.get(pk=attempt.pk).is_open


# Limits, cooldowns and deadlines


def test_attempt_limit_is_enforced_on_the_server(officer, course, make_quiz, enrolled):
    quiz = make_quiz(course, max_attempts=1)
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))

    with pytest.raises(quiz_services.QuizRefused, match="used all your attempts"):
        start(officer, quiz)


def test_cooldown_is_enforced_and_lifts(officer, course, make_quiz, enrolled):
    quiz = make_quiz(course, cooldown_minutes=30)
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))

    with pytest.raises(quiz_services.QuizRefused, match="next attempt opens"):
        start(officer, quiz)

    QuizAttempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=31)
    )
    assert start(officer, quiz).number == 2


def test_cooldown_message_on_the_quiz_page(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, cooldown_minutes=30)
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url).content.decode()

    assert "Your next attempt opens at" in body
    assert "Start attempt" not in body


def test_at_the_deadline_the_attempt_is_submitted_with_what_was_saved(
    officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, time_limit_minutes=10)
    attempt = start(officer, quiz)
    quiz_services.save_answers(attempt.pk, officer, right_answers(attempt)[:1])
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(quiz_services.AttemptClosed, match="Time is up"):
        quiz_services.save_answers(attempt.pk, officer, right_answers(attempt))

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SCORED
    assert attempt.submitted_at == attempt.deadline
    assert attempt.points == Decimal("1.00")  # only the answer saved in time


def test_late_submission_ignores_answers_sent_after_the_deadline(
    officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, time_limit_minutes=10)
    attempt = start(officer, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )

    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))

    assert QuizAttempt.objects.get(pk=attempt.pk).points == Decimal("0.00")


# What reaches the browser


def test_quiz_page_reveals_nothing_about_correct_choices(
    client, officer, quiz, enrolled
):
    attempt = start(officer, quiz)
    client.force_login(officer)

    body = client.get(quiz.url).content.decode()

    assert "Question 1 (single)" in body
    assert "correct" not in body.lower().replace("correct answers are shown", "")
    assert "Because of rule" not in body  # no explanations before submission
    for choice in Choice.objects.all():
        assert f'value="{choice.pk}"' not in body or choice.pk in [
            c.pk
            for c in AttemptChoice.objects.filter(attempt_question__attempt=attempt)
        ]


def test_correct_answers_are_hidden_until_passed_or_out_of_attempts(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, max_attempts=2, feedback="full")
    client.force_login(officer)
    first = start(officer, quiz)
    quiz_services.submit_attempt(first.pk, officer, wrong_answers(first))

    after_first = client.get(quiz.url, {"attempt": 1}).content.decode()
    assert "Not passed" in after_first
    assert "(correct answer)" not in after_first
    assert "Because of rule" not in after_first

    second = start(officer, quiz)
    quiz_services.submit_attempt(second.pk, officer, wrong_answers(second))
    after_last = client.get(quiz.url, {"attempt": 2}).content.decode()
    assert "(correct answer)" in after_last
    assert "Because of rule 1." in after_last


def test_score_only_feedback_shows_no_questions(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, feedback="score")
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "100%" in body
    assert "Question 1 (single)" not in body


def topics_for_questions(quiz, topic):
    """Give the quiz's first two questions ``topic``; the third keeps none."""
    listed = [q.question_id for q in quiz.quiz_questions.order_by("sort_order")]
    Question.objects.filter(pk__in=listed[:2]).update(topic=topic)


@pytest.mark.parametrize("feedback", ["wrong", "full"])
def test_with_attempts_left_feedback_names_topics_not_the_wrong_questions(
    client, officer, course, make_quiz, enrolled, topic, feedback
):
    quiz = make_quiz(course, max_attempts=3, feedback=feedback)
    topics_for_questions(quiz, topic)
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "3 questions were not answered right." in body
    assert re.search(r"<bdi>Labour rights</bdi></td>\s*<td>2</td>\s*<td>2</td>", body)
    assert "Other questions" in body
    assert "Question 2 (true_false)" not in body
    assert "is-wrong" not in body
    assert "Your choice" not in body


def test_opting_in_names_the_wrong_questions_while_attempts_remain(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(
        course, max_attempts=3, feedback="wrong", name_wrong_questions_early=True
    )
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "Question 2 (true_false)" in body
    assert body.count('class="result-item is-wrong"') == 3
    assert "(correct answer)" not in body


def test_after_the_last_attempt_wrong_feedback_names_the_wrong_questions(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, max_attempts=1, feedback="wrong")
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, wrong_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "Question 2 (true_false)" in body
    assert body.count('class="result-item is-wrong"') == 3
    assert "questions were not answered right" not in body


def test_after_passing_wrong_feedback_names_the_questions(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, max_attempts=3, feedback="wrong")
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "Question 2 (true_false)" in body
    assert body.count('class="result-item is-right"') == 3


def test_quiz_editor_warns_that_naming_wrong_questions_gives_answers_away(
    client, course, make_quiz, moi
):
    quiz = make_quiz(course)
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    body = client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()

    assert "name the wrong questions while attempts remain" in body.lower()
    assert "Warning: this gives answers away." in body


def test_anonymous_and_unenrolled_are_sent_to_the_course(client, officer, quiz):
    anonymous = client.get(quiz.url)
    client.force_login(officer)
    unenrolled = client.get(quiz.url)

    assert anonymous.status_code == unenrolled.status_code == 302


# Essays


def test_essay_attempt_waits_for_marking_then_is_scored(
    officer, course, make_quiz, enrolled, moi
):
    from tests.factories import UserFactory

    quiz = make_quiz(
        course,
        [("single", [("Yes", True), ("No", False)], 1), ("essay", [], 3)],
        pass_mark=50,
    )
    attempt = start(officer, quiz)
    quiz_services.submit_attempt(attempt.pk, officer, right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.AWAITING_MARKING
    assert attempt.passed is None

    essay = attempt.questions.get(kind="essay")
    trainer = UserFactory(ministry=moi)
    with pytest.raises(quiz_services.QuizRefused):
        quiz_services.mark_essay(essay, trainer, Decimal("4"))
    quiz_services.mark_essay(essay, trainer, Decimal("2"), "Good identification.")

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SCORED
    assert attempt.percent == Decimal("75.00")
    assert attempt.passed is True


# Query budgets


@pytest.fixture
def big_quiz(course, make_quiz):
    specs = [
        ("single", [("Right", True), ("Wrong", False), ("Other", False)], 1)
        for _ in range(50)
    ]
    return make_quiz(course, specs)


def test_quiz_page_query_budget(
    client, officer, big_quiz, enrolled, django_assert_max_num_queries
):
    start(officer, big_quiz)
    client.force_login(officer)
    client.get(big_quiz.url)

    # 13: twelve, and the one Wagtail's localised routing adds (the active
    # language's Locale, for ``site.root_page.localized``); knowing the page is the
    # source quiz costs none (``quizzes.services.source_quiz``).
    # +1 since the Arabic site: the language switch looks up the page's translations.
    with django_assert_max_num_queries(14):
        assert client.get(big_quiz.url).status_code == 200


def test_saving_an_answer_query_budget(
    client, officer, big_quiz, enrolled, django_assert_max_num_queries
):
    attempt = start(officer, big_quiz)
    answer = right_answers(attempt)[0]
    client.force_login(officer)
    body = json.dumps(
        {
            "answers": [
                {
                    "question": answer.attempt_question_id,
                    "choices": list(answer.choice_ids),
                }
            ],
        }
    )

    # 9: the eight of saving, and the check that the account's address is verified.
    with django_assert_max_num_queries(9):
        response = client.post(
            answers_url(attempt), body, content_type="application/json"
        )
    assert response.status_code == 200


def test_submitting_fifty_questions_query_budget(
    client, officer, big_quiz, enrolled, django_assert_max_num_queries
):
    attempt = start(officer, big_quiz)
    data = {"action": "submit", **form_answers(attempt, right_answers(attempt))}
    client.force_login(officer)

    # 22: a fixed number whatever the number of questions, including the check that
    # the account's address is verified and Wagtail's reference index of the attempt;
    # with localisation on, Wagtail builds the redirect's URL with one query more
    # (the sites' root pages with their locales, to find the page's language root).
    with django_assert_max_num_queries(22):
        response = client.post(form_url(attempt), data)
    assert response.status_code == 302
    assert QuizAttempt.objects.get(pk=attempt.pk).passed is True


def test_answers_stay_hidden_while_the_last_attempt_is_open(
    client, officer, course, make_quiz, enrolled
):
    quiz = make_quiz(course, max_attempts=2, feedback="full")
    first = start(officer, quiz)
    quiz_services.submit_attempt(first.pk, officer, wrong_answers(first))
    start(officer, quiz)  # the last attempt, still open
    client.force_login(officer)

    body = client.get(quiz.url, {"attempt": 1}).content.decode()

    assert "(correct answer)" not in body
    assert "Because of rule" not in body


@pytest.mark.parametrize(
    "raw",
    [
        '{"answers":[{"question":1e400}]}',
        '{"answers":[{"question":1,"choices":[1e999]}]}',
        '{"answers":[{"question":12.9}]}',
    ],
)
def test_numbers_that_are_not_ids_get_400(client, officer, quiz, enrolled, raw):
    attempt = start(officer, quiz)
    client.force_login(officer)

    response = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/", raw, content_type="application/json"
    )

    assert response.status_code == 400
