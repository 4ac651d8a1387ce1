"""Training records: what a page, a question or an account carries that must never be
lost by a click in the admin.

Enrolments, lesson completions, quiz attempts with their answers and certificates are
the evidence that an officer was trained. The foreign keys pointing at pages,
questions and accounts are ``PROTECT`` (the database-level backstop); the admin asks
``records_for`` before it deletes anything and explains a refusal instead of
answering 500 (``courses.records_admin``).

The counts here are read from the tables themselves, not from Wagtail's reference
index: the index is what the "Usage" tab shows and is refreshed on save, while a
refusal must hold even for rows created in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import ngettext
from wagtail.models import Page

from .models import (
    AttemptQuestion,
    Enrolment,
    LessonCompletion,
    Question,
    QuizAttempt,
    QuizQuestion,
)


@dataclass(frozen=True)
class TrainingRecords:
    """How many records (and other protecting rows) hold on to what is deleted."""

    enrolments: int = 0
    lesson_completions: int = 0
    quiz_attempts: int = 0
    answers: int = 0
    certificates: int = 0
    # Not training records, but they hold a course or a question too (PROTECT).
    assignments: int = 0
    quiz_listings: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, field.name) for field in fields(self))

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        """One phrase per kind of record held, for the refusal screen."""
        return [
            text
            for count, text in (
                (
                    self.enrolments,
                    ngettext(
                        "%(count)d enrolment", "%(count)d enrolments", self.enrolments
                    ),
                ),
                (
                    self.lesson_completions,
                    ngettext(
                        "%(count)d lesson completion",
                        "%(count)d lesson completions",
                        self.lesson_completions,
                    ),
                ),
                (
                    self.quiz_attempts,
                    ngettext(
                        "%(count)d quiz attempt",
                        "%(count)d quiz attempts",
                        self.quiz_attempts,
                    ),
                ),
                (
                    self.answers,
                    ngettext(
                        "%(count)d answer in quiz attempts",
                        "%(count)d answers in quiz attempts",
                        self.answers,
                    ),
                ),
                (
                    self.certificates,
                    ngettext(
                        "%(count)d certificate",
                        "%(count)d certificates",
                        self.certificates,
                    ),
                ),
                (
                    self.assignments,
                    ngettext(
                        "%(count)d assignment by a ministry",
                        "%(count)d assignments by ministries",
                        self.assignments,
                    ),
                ),
                (
                    self.quiz_listings,
                    ngettext(
                        "listed in %(count)d quiz",
                        "listed in %(count)d quizzes",
                        self.quiz_listings,
                    ),
                ),
            )
            if count
            for text in [text % {"count": count}]
        ]


def _certificates():
    from certificates.models import Certificate

    return Certificate.objects


def _assignments():
    from reporting.models import Assignment

    return Assignment.objects


def records_for_pages(pages: Iterable[Page]) -> TrainingRecords:
    """Records held by the pages and everything below them: deleting a page in
    Wagtail deletes its descendants too, so a course answers for its lessons and
    quiz."""
    subtree = Q()
    for page in pages:
        subtree |= Q(path__startswith=page.path)
    if not subtree:
        return TrainingRecords()
    page_ids = Page.objects.filter(subtree).values("pk")
    return TrainingRecords(
        enrolments=Enrolment.objects.filter(course_id__in=page_ids).count(),
        lesson_completions=LessonCompletion.objects.filter(
            lesson_id__in=page_ids
        ).count(),
        quiz_attempts=QuizAttempt.objects.filter(quiz_id__in=page_ids).count(),
        certificates=_certificates().filter(course_id__in=page_ids).count(),
        assignments=_assignments().filter(course_id__in=page_ids).count(),
    )


def records_for_questions(questions: Iterable[Question]) -> TrainingRecords:
    """Answers given to the questions, the attempts they were asked in, and the
    quizzes that list them."""
    ids = [question.pk for question in questions]
    return TrainingRecords(
        quiz_attempts=QuizAttempt.objects.filter(questions__question_id__in=ids)
        .distinct()
        .count(),
        answers=AttemptQuestion.objects.filter(question_id__in=ids).count(),
        quiz_listings=QuizQuestion.objects.filter(question_id__in=ids).count(),
    )


def records_for_users(users: Iterable) -> TrainingRecords:
    """The training history of the accounts."""
    ids = [user.pk for user in users]
    return TrainingRecords(
        enrolments=Enrolment.objects.filter(user_id__in=ids).count(),
        lesson_completions=LessonCompletion.objects.filter(
            enrolment__user_id__in=ids
        ).count(),
        quiz_attempts=QuizAttempt.objects.filter(user_id__in=ids).count(),
        certificates=_certificates().filter(user_id__in=ids).count(),
    )


def records_for(objects: Iterable | QuerySet) -> TrainingRecords | None:
    """The records held by objects about to be deleted, all of one kind; ``None``
    when that kind carries no training records (a topic, an image)."""
    objects = list(objects)
    if not objects:
        return None
    sample = objects[0]
    if isinstance(sample, Page):
        return records_for_pages(objects)
    if isinstance(sample, Question):
        return records_for_questions(objects)
    if isinstance(sample, get_user_model()):
        return records_for_users(objects)
    return None
