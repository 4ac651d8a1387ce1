"""The question bank in the admin: validation a trainer understands, filters."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts import roles
from quizzes.models import Question, QuizQuestion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/questions/new/"


@pytest.fixture
def trainer_client(client, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))
    return client


def question_data(kind, choices):
    return nested_form_data(
        {
            "kind": kind,
            "text": rich_text("<p>Which element is missing?</p>"),
            "explanation": rich_text("<p>Protocol, Article 3.</p>"),
            "topic": "",
            "points": "1",
            "active": "on",
            "choices": inline_formset(
                [
                    {"text": text, "is_correct": "on" if correct else ""}
                    for text, correct in choices
                ]
            ),
        }
    )


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("A", True), ("B", True)], "Mark exactly one choice as correct"),
        ("single", [("A", False), ("B", False)], "Mark exactly one choice as correct"),
        ("single", [("A", True)], "Give at least two choices."),
        ("multiple", [("A", False), ("B", False)], "Mark at least one choice"),
        ("true_false", [("T", True), ("F", False), ("X", False)], "exactly two"),
        ("essay", [("A", True), ("B", False)], "An essay question has no choices"),
    ],
)
def test_invalid_questions_are_refused_with_a_clear_message(
    trainer_client, kind, choices, message
):
    response = trainer_client.post(ADD_URL, question_data(kind, choices))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("single", [("A", True), ("B", False), ("C", False)]),
        ("multiple", [("A", True), ("B", True), ("C", False)]),
        ("true_false", [("True", False), ("False", True)]),
        ("essay", []),
    ],
)
def test_valid_questions_are_saved_with_their_choices_in_order(
    trainer_client, kind, choices
):
    response = trainer_client.post(ADD_URL, question_data(kind, choices))

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.kind == kind
    assert [c.text for c in question.choices.order_by("sort_order")] == [
        text for text, _ in choices
    ]


def test_bank_filters_by_kind_and_use(trainer_client, course, make_quiz):
    make_quiz(course)  # three questions, all in use
    Question.objects.create(kind="essay", text="<p>Unused essay</p>")

    essays = trainer_client.get("/admin/questions/", {"kind": "essay"})
    unused = trainer_client.get("/admin/questions/", {"in_use": "false"})

    assert "Unused essay" in essays.content.decode()
    assert "Question 1" not in essays.content.decode()
    assert "Unused essay" in unused.content.decode()
    assert QuizQuestion.objects.count() == 3


def test_focal_points_cannot_open_the_bank(client, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.FOCAL_POINTS))

    assert client.get("/admin/questions/").status_code == 302
