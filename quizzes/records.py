"""The training records the quiz engine holds, for the refusal to delete
(``courses.records``): attempts held by quiz pages and accounts, answers and quiz
listings held by questions. Connected in ``apps.py``."""

from __future__ import annotations

from collections.abc import Sequence

from courses.records import TrainingRecords, counts_by, records_from

from .models import AttemptQuestion, Question, QuizAttempt, QuizQuestion


def records_of_questions(questions: Sequence[Question]) -> dict[int, TrainingRecords]:
    """Answers given to each question in quiz attempts, and the quizzes that list
    it (a question is asked at most once per attempt)."""
    ids = [question.pk for question in questions]
    counts = {
        "answers": counts_by(
            AttemptQuestion.objects.filter(question_id__in=ids), "question_id"
        ),
        "quiz_listings": counts_by(
            QuizQuestion.objects.filter(question_id__in=ids), "question_id"
        ),
    }
    return {pk: records_from(counts, [pk]) for pk in ids}


def page_records(sender, page_ids, **kwargs) -> dict[str, dict[int, int]]:
    return {
        "quiz_attempts": counts_by(
            QuizAttempt.objects.filter(quiz_id__in=page_ids), "quiz_id"
        )
    }


def user_records(sender, user_ids, **kwargs) -> dict[str, dict[int, int]]:
    return {
        "quiz_attempts": counts_by(
            QuizAttempt.objects.filter(user_id__in=user_ids), "user_id"
        )
    }
