"""The pure scoring functions."""

from decimal import Decimal

import pytest

from quizzes import scoring
from quizzes.scoring import QuestionScore


@pytest.mark.parametrize(
    ("kind", "selected", "expected"),
    [
        ("single", [1], "2.00"),
        ("single", [2], "0.00"),
        ("single", [], "0.00"),
        ("single", [1, 2], "0.00"),
        ("true_false", [1], "2.00"),
        ("true_false", [2], "0.00"),
    ],
)
def test_single_choice_and_true_false_score_all_or_nothing(kind, selected, expected):
    assert scoring.score_choice_question(kind, [1], selected, 2) == Decimal(expected)


def test_multiple_choice_all_or_nothing_needs_the_exact_set():
    correct = [1, 2]

    assert scoring.score_choice_question("multiple", correct, [1, 2], 3) == Decimal("3")
    assert scoring.score_choice_question("multiple", correct, [1], 3) == Decimal("0")
    assert scoring.score_choice_question("multiple", correct, [1, 2, 3], 3) == 0


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ([1, 2], "3.00"),
        ([1], "1.50"),
        ([1, 3], "0.00"),
        ([1, 2, 3], "1.50"),
        ([3], "0.00"),
        ([], "0.00"),
    ],
)
def test_multiple_choice_partial_credit_takes_wrong_choices_away(selected, expected):
    assert scoring.score_choice_question(
        "multiple", [1, 2], selected, 3, partial_credit=True
    ) == Decimal(expected)


def test_partial_credit_does_not_apply_to_single_choice():
    assert scoring.score_choice_question(
        "single", [1], [1, 2], 2, partial_credit=True
    ) == Decimal("0")


def test_points_weight_the_attempt_percentage():
    result = scoring.score_attempt(
        [QuestionScore(1, Decimal(1)), QuestionScore(3, Decimal(0))], pass_mark=50
    )

    assert (result.points, result.max_points, result.percent) == (
        Decimal("1.00"),
        Decimal("4.00"),
        Decimal("25.00"),
    )
    assert result.passed is False


def test_reaching_the_pass_mark_exactly_passes():
    result = scoring.score_attempt(
        [QuestionScore(1, Decimal(1)), QuestionScore(1, Decimal(0))], pass_mark=50
    )

    assert result.passed is True


def test_unmarked_essay_leaves_the_attempt_without_a_verdict():
    result = scoring.score_attempt(
        [QuestionScore(1, Decimal(1)), QuestionScore(2, None)], pass_mark=10
    )

    assert result.awaiting_marking is True
    assert result.passed is None


def test_facility_and_discrimination():
    assert scoring.facility([True, True, False, False]) == 0.5
    assert scoring.facility([]) is None
    strong_know_it = [(90, True), (80, True), (30, False), (20, False)]
    weak_know_it = [(90, False), (80, False), (30, True), (20, True)]
    assert scoring.discrimination_index(strong_know_it) > 0
    assert scoring.discrimination_index(weak_know_it) < 0
