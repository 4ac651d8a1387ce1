"""Arbitrary payloads thrown at the attempt endpoints never cause a server error."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import services
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
answer_rows = st.fixed_dictionaries(
    {},
    optional={
        "question": st.integers(min_value=-5, max_value=10**6) | json_values,
        "choices": st.lists(st.integers(min_value=-5, max_value=10**6), max_size=6)
        | json_values,
        "essay": st.text(max_size=50) | json_values,
    },
)
json_bodies = (
    st.fixed_dictionaries(
        {}, optional={"answers": st.lists(answer_rows, max_size=6) | json_values}
    )
    | json_values
)


@pytest.fixture
def attempt(officer, course, make_quiz):
    quiz = make_quiz(course)
    services.enrol(officer, course)
    return quiz_services.start_attempt(officer, quiz)


@FUZZ
@given(body=json_bodies)
def test_autosave_never_fails_with_a_server_error(client, officer, attempt, body):
    client.force_login(officer)

    response = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/",
        json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code in (200, 400, 409)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_autosave_survives_bytes_that_are_not_json(client, officer, attempt, raw):
    client.force_login(officer)

    response = client.post(
        f"/quiz-attempts/{attempt.pk}/answers/", raw, content_type="application/json"
    )

    assert response.status_code in (200, 400, 409)


form_values = st.text(max_size=12) | st.integers(min_value=-5, max_value=10**6).map(str)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["action", "questions", "q-1", "q-2", "essay-1", "x"])
        | st.text(max_size=8),
        st.lists(form_values, max_size=4),
        max_size=6,
    )
)
def test_attempt_form_never_fails_with_a_server_error(client, officer, attempt, fields):
    client.force_login(officer)
    question_ids = list(attempt.questions.values_list("pk", flat=True))
    fields.setdefault("questions", [str(pk) for pk in question_ids])

    response = client.post(f"/quiz-attempts/{attempt.pk}/", fields)

    assert response.status_code in (302, 400, 409)
    assert QuizAttempt.objects.filter(pk=attempt.pk).exists()
