"""Hostile quiz payloads from the security review: each gets a 400 with a message,
and the attempt is left exactly as it was."""

import pytest

from courses import services
from quizzes import services as quiz_services
from quizzes.models import AttemptChoice, AttemptStatus, QuizAttempt
from tests.courses.conftest import right_answers

pytestmark = pytest.mark.django_db

DEPTH = 1_000


@pytest.fixture
def attempt(officer, course, make_quiz):
    quiz = make_quiz(course)
    services.enrol(officer, course)
    attempt = quiz_services.start_attempt(officer, quiz)
    # Something saved earlier, which a bad request must not undo.
    quiz_services.save_answers(attempt.pk, officer, right_answers(attempt)[:1])
    return attempt


def selected_choices(attempt):
    return set(
        AttemptChoice.objects.filter(
            attempt_question__attempt=attempt, selected=True
        ).values_list("pk", flat=True)
    )


def test_autosave_of_json_nested_a_thousand_deep_is_refused(client, officer, attempt):
    client.force_login(officer)
    before = selected_choices(attempt)

    response = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/",
        "[" * DEPTH + "]" * DEPTH,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"error": "The answers could not be read."}
    assert selected_choices(attempt) == before


def test_autosave_with_choices_nested_a_thousand_deep_is_refused(
    client, officer, attempt
):
    client.force_login(officer)
    question = attempt.questions.order_by("position").first()
    before = selected_choices(attempt)
    body = (
        f'{{"answers": [{{"question": {question.pk}, "choices": '
        + "[" * DEPTH
        + "]" * DEPTH
        + "}]}"
    )

    response = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "The answers could not be read."}
    assert selected_choices(attempt) == before


def test_attempt_stays_open_and_submittable_after_a_nested_payload(
    client, officer, attempt
):
    client.force_login(officer)
    client.post(
        f"/quiz-attempts/{attempt.pk}/answers/",
        "{" + '"a":{' * DEPTH + "}" * DEPTH + "}",
        content_type="application/json",
    )

    assert QuizAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.OPEN
    data = {"action": "submit", "questions": []}
    for answer in right_answers(attempt):
        data["questions"].append(answer.attempt_question_id)
        data[f"q-{answer.attempt_question_id}"] = list(answer.choice_ids)
    response = client.post(f"/quiz-attempts/{attempt.pk}/", data)

    assert response.status_code == 302
    assert QuizAttempt.objects.get(pk=attempt.pk).percent == 100
