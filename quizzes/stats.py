"""Statistics on scored quiz attempts for trainers: per quiz and per question.

Only aggregates leave this module; no officer is named. Each function runs a fixed
number of queries whatever the number of quizzes, questions and attempts: the
database counts and averages, and Python does what SQL does badly (medians, the
upper and lower groups of the discrimination index).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Left, Length
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from . import scoring
from .models import (
    AttemptQuestion,
    AttemptStatus,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizPage,
)

TWO_PLACES = Decimal("0.01")
QUESTION_TEXT_LENGTH = 100


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def parent_title(path_field: str) -> Subquery:
    """The title of the parent page of the page whose tree path is ``path_field``
    (an outer reference): for a quiz, its course."""
    path = OuterRef(path_field)
    parent_path = Left(path, Length(path) - Value(Page.steplen))
    return Subquery(Page.objects.filter(path=parent_path).values("title")[:1])


def quizzes_with_course() -> QuerySet[QuizPage]:
    """Every quiz, in tree order, with ``course_title``."""
    return QuizPage.objects.annotate(course_title=parent_title("path")).order_by("path")


def scored(attempts: QuerySet[QuizAttempt] | None = None) -> QuerySet[QuizAttempt]:
    """Attempts with a verdict: submitted, and every essay marked."""
    if attempts is None:
        attempts = QuizAttempt.objects.all()
    return attempts.filter(status=AttemptStatus.SCORED)


# --- Per quiz --------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    """How one quiz went: scored attempts, passes, average and median score."""

    quiz_id: int
    quiz_title: str
    course_title: str
    attempts: int
    passed: int
    average_percent: Decimal | None
    median_percent: Decimal | None

    @property
    def pass_rate(self) -> Decimal | None:
        """Percent of scored attempts that passed; None without attempts."""
        if not self.attempts:
            return None
        return _two_places(Decimal(self.passed) * 100 / self.attempts)


def quiz_summaries(
    attempts: QuerySet[QuizAttempt] | None = None,
) -> list[QuizSummary]:
    """One summary per quiz, in tree order, over the scored ones among ``attempts``
    (every attempt by default). Three queries."""
    attempts = scored(attempts).order_by()
    totals = {
        row["quiz_id"]: row
        for row in attempts.values("quiz_id").annotate(
            count=Count("pk"),
            passed_count=Count("pk", filter=Q(passed=True)),
            average=Avg("percent"),
        )
    }
    percents: dict[int, list[Decimal]] = defaultdict(list)
    for quiz_id, percent in attempts.values_list("quiz_id", "percent"):
        percents[quiz_id].append(percent)

    summaries = []
    for quiz_id, title, course_title in quizzes_with_course().values_list(
        "pk", "title", "course_title"
    ):
        row = totals.get(quiz_id, {})
        average = row.get("average")
        scores = percents.get(quiz_id)
        summaries.append(
            QuizSummary(
                quiz_id=quiz_id,
                quiz_title=title,
                course_title=course_title or "",
                attempts=row.get("count", 0),
                passed=row.get("passed_count", 0),
                average_percent=(
                    None if average is None else _two_places(Decimal(average))
                ),
                median_percent=(
                    _two_places(Decimal(statistics.median(scores))) if scores else None
                ),
            )
        )
    return summaries


# --- Per question ----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSummary:
    """How one question of the bank behaved in scored attempts.

    ``facility``: share of attempts that got it fully right (low: hard).
    ``discrimination``: upper-minus-lower index by attempt score (near zero or
    negative: it does not separate strong from weak candidates, or has leaked).
    """

    question_id: int
    text: str
    kind: str
    times_asked: int
    facility: float | None
    discrimination: float | None
    # Per attempt language (settings.LANGUAGES): (times asked, facility), so that a
    # question much harder in one language (a translation fault) shows up.
    by_language: dict[str, tuple[int, float | None]] = field(default_factory=dict)

    def facility_in(self, language: str) -> Decimal | None:
        facility = self.by_language.get(language, (0, None))[1]
        if facility is None:
            return None
        return Decimal(facility * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def facility_ar(self) -> Decimal | None:
        return self.facility_in("ar")

    @property
    def facility_en(self) -> Decimal | None:
        return self.facility_in("en")

    @property
    def language_gap(self) -> Decimal | None:
        """Points of facility between the easiest and the hardest language (None
        unless asked in two languages)."""
        figures = [self.facility_in(code) for code in self.by_language]
        figures = [f for f in figures if f is not None]
        if len(figures) < 2:
            return None
        return max(figures) - min(figures)

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label) if self.kind else ""

    @property
    def facility_percent(self) -> Decimal | None:
        if self.facility is None:
            return None
        return Decimal(self.facility * 100).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def discrimination_rounded(self) -> Decimal | None:
        if self.discrimination is None:
            return None
        return _two_places(Decimal(self.discrimination))


def question_summaries(
    attempts: QuerySet[QuizAttempt] | None = None, language: str | None = None
) -> list[QuestionSummary]:
    """One summary per question asked in the scored ones among ``attempts`` (in
    ``language`` only, when given), the questions that separate candidates least
    first, with the facility per attempt language beside. Two queries.

    Attempts point at the source questions whatever their language, so a question
    and its translation are one row."""
    scored_attempts = scored(attempts).order_by()
    if language:
        scored_attempts = scored_attempts.filter(language=language)
    results: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    per_language: dict[int, dict[str, list[bool]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = (
        AttemptQuestion.objects.filter(attempt__in=scored_attempts)
        .order_by()
        .values_list(
            "attempt__percent", "question_id", "awarded", "points", "attempt__language"
        )
    )
    for percent, question_id, awarded, points, asked_in in rows:
        fully_right = awarded is not None and awarded >= points
        results[question_id].append((float(percent or 0), fully_right))
        per_language[question_id][asked_in].append(fully_right)
    if not results:
        return []

    questions = Question.objects.filter(pk__in=results).only("pk", "text", "kind")
    bank = {q.pk: q for q in questions}
    summaries = []
    for question_id, pairs in results.items():
        question = bank.get(question_id)
        summaries.append(
            QuestionSummary(
                question_id=question_id,
                text=_plain(question.text) if question else f"#{question_id}",
                kind=question.kind if question else "",
                times_asked=len(pairs),
                facility=scoring.facility([right for _score, right in pairs]),
                discrimination=scoring.discrimination_index(pairs),
                by_language={
                    code: (len(rights), scoring.facility(rights))
                    for code, rights in sorted(per_language[question_id].items())
                },
            )
        )
    summaries.sort(
        key=lambda s: (
            s.discrimination is None,
            s.discrimination if s.discrimination is not None else 0.0,
            s.text.casefold(),
        )
    )
    return summaries


def _plain(html: str) -> str:
    return Truncator(strip_tags(html).strip()).chars(QUESTION_TEXT_LENGTH)
