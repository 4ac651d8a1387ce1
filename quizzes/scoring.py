"""Scoring of quiz attempts: pure functions, no database, no request.

Points are Decimals rounded to two places. A choice question's score depends on its
kind, its correct and selected choices, its points, and whether the quiz gives partial
credit for multiple choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def score_choice_question(
    kind: str,
    correct: Iterable[int],
    selected: Iterable[int],
    points: int,
    *,
    partial_credit: bool = False,
) -> Decimal:
    """Points earned on one choice question.

    - single choice and true/false: full points for exactly the correct choice;
    - multiple choice, all-or-nothing: full points only for exactly the correct set;
    - multiple choice with partial credit: each correct choice selected earns a share,
      each wrong choice selected takes a share away, never below zero.
    """
    correct_set, selected_set = set(correct), set(selected)
    full = Decimal(points)
    if kind != "multiple" or not partial_credit:
        return (
            _round(full)
            if selected_set == correct_set and correct_set
            else Decimal("0.00")
        )
    if not correct_set:
        return Decimal("0.00")
    right = len(selected_set & correct_set)
    wrong = len(selected_set - correct_set)
    share = Decimal(max(0, right - wrong)) / Decimal(len(correct_set))
    return _round(full * share)


@dataclass(frozen=True)
class QuestionScore:
    points: int
    awarded: Decimal | None  # None: an essay not marked yet


@dataclass(frozen=True)
class ScoreResult:
    points: Decimal
    max_points: Decimal
    percent: Decimal
    passed: bool | None  # None while essays await marking
    awaiting_marking: bool


def score_attempt(questions: Sequence[QuestionScore], pass_mark: int) -> ScoreResult:
    """Add up an attempt. While an essay is unmarked the attempt has no verdict."""
    max_points = sum((Decimal(q.points) for q in questions), Decimal(0))
    awaiting = any(q.awarded is None for q in questions)
    earned = sum((q.awarded for q in questions if q.awarded is not None), Decimal(0))
    percent = _round(earned * 100 / max_points) if max_points else Decimal("0.00")
    return ScoreResult(
        points=_round(earned),
        max_points=_round(max_points),
        percent=percent,
        passed=None if awaiting else percent >= pass_mark,
        awaiting_marking=awaiting,
    )


def facility(correct_flags: Sequence[bool]) -> float | None:
    """Share of attempts that answered a question fully right."""
    if not correct_flags:
        return None
    return sum(correct_flags) / len(correct_flags)


def discrimination_index(
    results: Sequence[tuple[float, bool]], group_share: float = 0.27
) -> float | None:
    """Upper-minus-lower index: share right among the best-scoring ``group_share`` of
    attempts minus share right among the worst. ``results`` holds (attempt score,
    question answered right) pairs. Near zero or negative: the question does not
    separate strong from weak candidates (or has leaked)."""
    if len(results) < 2:
        return None
    ordered = sorted(results, key=lambda r: r[0])
    size = max(1, round(len(ordered) * group_share))
    lower, upper = ordered[:size], ordered[-size:]
    return sum(r[1] for r in upper) / size - sum(r[1] for r in lower) / size
