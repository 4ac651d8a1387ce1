"""Rules for quizzes: starting, answering, submitting and marking attempts, what a
result page may show, and the quiz's two answers to the course (completion and
status, see ``receivers``).

Views, page ``serve()`` methods, the admin, commands and tasks call these functions.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from accounts.models import User
from accounts.services import language_of
from core import emails
from courses import records
from courses.models import CoursePage, Enrolment
from courses.services import (
    canonical_page,
    evaluate_completion,
    record_started,
    refresh_reporting_facts,
    version_in,
)

from . import scoring
from .models import (
    AttemptChoice,
    AttemptQuestion,
    AttemptStatus,
    Choice,
    Feedback,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizPage,
)


class QuizRefused(Exception):
    """The request on a quiz attempt is not allowed; the message says why."""

    status_code = 400


class AttemptClosed(QuizRefused):
    """The attempt was already submitted (double click, second tab, replay)."""

    status_code = 409


def quiz_with_status(course: CoursePage, enrolment: Enrolment | None):
    """The course's live quiz with ``status_label`` for this enrolment, in one
    query."""
    if course.pk is None:
        return None
    quiz = QuizPage.objects.child_of(course).live()
    if enrolment is not None:
        # Attempts belong to the source quiz; a translated quiz page shares its
        # translation key.
        mine = QuizAttempt.objects.filter(
            quiz__translation_key=OuterRef("translation_key"), enrolment=enrolment
        )
        quiz = quiz.annotate(
            has_passed=Exists(mine.filter(passed=True)),
            is_awaiting=Exists(mine.filter(status=AttemptStatus.AWAITING_MARKING)),
            has_tried=Exists(mine),
        )
    quiz = quiz.first()
    if quiz is None:
        return None
    if getattr(quiz, "has_passed", False):
        quiz.status_label = str(_("passed"))
    elif getattr(quiz, "is_awaiting", False):
        quiz.status_label = str(_("awaiting marking"))
    elif getattr(quiz, "has_tried", False):
        quiz.status_label = str(_("not passed yet"))
    else:
        quiz.status_label = str(_("not attempted"))
    return quiz


def quiz_of(course: CoursePage) -> QuizPage | None:
    if course.pk is None:
        return None
    return QuizPage.objects.child_of(course).live().first()


def quiz_requirement_met(enrolment: Enrolment) -> bool:
    """A course with a live quiz is complete only once one attempt passed."""
    quiz = quiz_of(enrolment.course)
    if quiz is None:
        return True
    return QuizAttempt.objects.filter(
        enrolment=enrolment, quiz=quiz, passed=True
    ).exists()


@dataclass
class QuizStanding:
    """Where an officer stands with a quiz: attempts used and what comes next."""

    quiz: QuizPage
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    passed: bool
    awaiting_marking: bool
    attempts_left: int | None  # None: unlimited
    next_attempt_at: datetime | None

    @property
    def can_start(self) -> bool:
        return (
            self.open_attempt is None
            and not self.passed
            and self.attempts_left != 0
            and not self.awaiting_marking
            and (self.next_attempt_at is None or self.next_attempt_at <= timezone.now())
        )

    @property
    def answers_may_be_shown(self) -> bool:
        """Correct answers only once passed, or once the last attempt is used up and
        submitted (never while an attempt is still open or awaiting marking)."""
        return self.passed or (
            self.attempts_left == 0
            and self.open_attempt is None
            and not self.awaiting_marking
        )


def current_attempts(
    user: User, quiz: QuizPage, course: CoursePage | None = None
) -> list[QuizAttempt]:
    """The officer's attempts at ``quiz`` in the current cycle of the course, in one
    query (an expired certificate's course taken again starts afresh)."""
    course = course or course_of_quiz(quiz)
    if course.locale_id != quiz.locale_id:
        # ``quiz`` is the source quiz: a course in its locale is the source course.
        course = canonical_page(course)
    latest = (
        Enrolment.objects.filter(user=user, course=course)
        .order_by("-cycle")
        .values("pk")[:1]
    )
    return list(
        QuizAttempt.objects.filter(quiz=quiz, user=user, enrolment=Subquery(latest))
    )


def source_quiz(page: QuizPage, site=None) -> QuizPage:
    """The source quiz a quiz page stands for (``courses.services.canonical_page``).

    ``site`` (the request's Wagtail site, whose root page is in the source locale)
    answers without a query for the common case of a page in the source locale."""
    root = getattr(site, "root_page", None)
    if root is not None and page.locale_id == root.locale_id:
        return page
    return canonical_page(page)


def quiz_standing(
    quiz: QuizPage, user: User, attempts: list[QuizAttempt] | None = None
) -> QuizStanding:
    if attempts is None:
        attempts = current_attempts(user, quiz)
    attempts = sorted(attempts, key=lambda a: a.number)
    used = len(attempts)
    last_submitted = max(
        (a.submitted_at for a in attempts if a.submitted_at), default=None
    )
    next_at = None
    if quiz.cooldown_minutes and last_submitted:
        next_at = last_submitted + timedelta(minutes=quiz.cooldown_minutes)
        if next_at <= timezone.now():
            next_at = None
    return QuizStanding(
        quiz=quiz,
        attempts=attempts,
        open_attempt=next((a for a in attempts if a.is_open), None),
        passed=any(a.passed for a in attempts),
        awaiting_marking=any(
            a.status == AttemptStatus.AWAITING_MARKING for a in attempts
        ),
        attempts_left=None
        if not quiz.max_attempts
        else max(0, quiz.max_attempts - used),
        next_attempt_at=next_at,
    )


def attempt_language(language: str | None = None) -> str:
    """The content language an attempt is shown in: the one asked for (the page's
    or the active interface language) if it is a site language, else the source."""
    try:
        return get_supported_content_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


def _draw_questions(quiz: QuizPage, rng: random.Random) -> list[Question]:
    """Source-locale questions only: the draw never depends on the language."""
    source = settings.LANGUAGE_CODE
    listed = [
        qq.question
        for qq in quiz.quiz_questions.select_related(
            "question", "question__locale"
        ).order_by("sort_order")
        if qq.question.active and qq.question.locale.language_code == source
    ]
    if not quiz.draw_count:
        chosen = listed
    else:
        topic_ids = list(quiz.draw_topics.values_list("pk", flat=True))
        pool = (
            list(Question.objects.source().filter(active=True, topic_id__in=topic_ids))
            if topic_ids
            else listed
        )
        if topic_ids:
            listed_ids = {q.pk for q in listed}
            extra = [q for q in pool if q.pk not in listed_ids]
            chosen = listed + rng.sample(extra, min(quiz.draw_count, len(extra)))
        else:
            chosen = rng.sample(pool, min(quiz.draw_count, len(pool)))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _translated_texts(
    questions: list[Question], choices: list[Choice], language: str
) -> tuple[dict, dict]:
    """The text of each question (text, explanation) and choice in ``language``,
    by source pk; a question or choice without a translation is left out (the
    caller falls back to the source text). Two queries, none for the source."""
    if language == settings.LANGUAGE_CODE:
        return {}, {}
    question_keys = {q.translation_key: q.pk for q in questions}
    choice_keys = {c.translation_key: c.pk for c in choices}
    question_texts = {
        question_keys[key]: (text, explanation)
        for key, text, explanation in Question.objects.filter(
            translation_key__in=question_keys, locale__language_code=language
        ).values_list("translation_key", "text", "explanation")
    }
    choice_texts = {
        choice_keys[key]: text
        for key, text in Choice.objects.filter(
            translation_key__in=choice_keys, locale__language_code=language
        ).values_list("translation_key", "text")
    }
    return question_texts, choice_texts


@transaction.atomic
def start_attempt(
    user: User,
    quiz: QuizPage,
    *,
    rng: random.Random | None = None,
    language: str | None = None,
):
    """Start an attempt (or return the open one): draws and freezes the questions
    and the order of their choices. Limits and cooldowns are checked here, with the
    enrolment row locked so that two requests cannot both start one.

    A translated quiz page stands for its source quiz: the attempt, its rules and
    its draw are the source's; only the frozen texts come from the translation in
    ``language`` (default: the active language), falling back to the source."""
    rng = rng or random.SystemRandom()
    quiz = canonical_page(quiz)
    language = attempt_language(language)
    course = canonical_page(course_of_quiz(quiz))
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(user=user, course=course)
        .order_by("-cycle")
        .first()
    )
    if enrolment is None:
        raise QuizRefused(_("Start the course before taking its quiz."))
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz))
    standing = quiz_standing(quiz, user, attempts)
    if standing.open_attempt is not None:
        if expire_if_overdue(standing.open_attempt):
            return start_attempt(user, quiz, rng=rng, language=language)
        return standing.open_attempt
    if standing.passed:
        raise QuizRefused(_("You have already passed this quiz."))
    if standing.awaiting_marking:
        raise QuizRefused(_("Your last attempt is waiting to be marked by a trainer."))
    if standing.attempts_left == 0:
        raise QuizRefused(_("You have used all your attempts at this quiz."))
    if standing.next_attempt_at is not None:
        raise QuizRefused(
            _("Your next attempt opens at %(time)s.")
            % {"time": timezone.localtime(standing.next_attempt_at).strftime("%H:%M")}
        )
    questions = _draw_questions(quiz, rng)
    if not questions:
        raise QuizRefused(_("This quiz has no questions yet."))
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        enrolment=enrolment,
        number=QuizAttempt.objects.filter(user=user, quiz=quiz).count() + 1,
        started_at=now,
        deadline=(
            now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None
        ),
        pass_mark=quiz.pass_mark,
        partial_credit=quiz.partial_credit,
        language=language,
    )
    choices_by_question: dict[int, list[Choice]] = {}
    source_choices = list(
        Choice.objects.filter(question__in=questions).order_by("sort_order")
    )
    for choice in source_choices:
        choices_by_question.setdefault(choice.question_id, []).append(choice)
    question_texts, choice_texts = _translated_texts(
        questions, source_choices, language
    )
    asked = AttemptQuestion.objects.bulk_create(
        [
            AttemptQuestion(
                attempt=attempt,
                question=question,
                position=position,
                kind=question.kind,
                text=question_texts.get(question.pk, (question.text,))[0],
                explanation=question_texts.get(
                    question.pk, (None, question.explanation)
                )[1],
                points=question.points,
            )
            for position, question in enumerate(questions, start=1)
        ]
    )
    # bulk_create sends no post_save: index the questions asked here, so that the
    # question bank's "Usage" counts the attempts a question was asked in.
    records.index_created_in_bulk(asked)
    rows = []
    for attempt_question in asked:
        choices = list(choices_by_question.get(attempt_question.question_id, []))
        if quiz.shuffle_choices and attempt_question.kind != QuestionKind.TRUE_FALSE:
            rng.shuffle(choices)
        rows += [
            AttemptChoice(
                attempt_question=attempt_question,
                choice=choice,
                position=position,
                text=choice_texts.get(choice.pk, choice.text),
                is_correct=choice.is_correct,
            )
            for position, choice in enumerate(choices, start=1)
        ]
    AttemptChoice.objects.bulk_create(rows)
    record_started(enrolment, now)
    return attempt


def course_of_quiz(quiz: QuizPage) -> CoursePage:
    parent = getattr(quiz, "_cached_parent_obj", None)
    if isinstance(parent, CoursePage):
        return parent
    return CoursePage.objects.get(path=quiz.path[: -Page.steplen])


@dataclass(frozen=True)
class Answer:
    """An answer to one question of an attempt, as submitted."""

    attempt_question_id: int
    choice_ids: tuple[int, ...] = ()
    essay: str | None = None


def _locked_open_attempt(attempt_id: int, user: User) -> QuizAttempt:
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "enrolment__course")
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise QuizRefused(_("This attempt does not exist."))
    if not attempt.is_open:
        raise AttemptClosed(
            _("This attempt has already been submitted; your answers were not changed.")
        )
    return attempt


def _is_past_deadline(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline


def _apply_answers(
    attempt: QuizAttempt, answers: Sequence[Answer]
) -> list[AttemptQuestion] | None:
    """Validate every answer first, then save them all: a bad answer saves nothing.
    Returns the attempt's questions with their choices as now saved (None when
    nothing was sent), so that submitting need not load them again."""
    if not answers:
        return None
    asked = {
        aq.pk: aq
        for aq in AttemptQuestion.objects.filter(attempt=attempt).prefetch_related(
            "choices"
        )
    }
    seen: set[int] = set()
    for answer in answers:
        attempt_question = asked.get(answer.attempt_question_id)
        if attempt_question is None:
            raise QuizRefused(
                _("An answer names a question that is not in this attempt.")
            )
        if answer.attempt_question_id in seen:
            raise QuizRefused(_("A question was answered twice in one request."))
        seen.add(answer.attempt_question_id)
        if attempt_question.kind == QuestionKind.ESSAY:
            if answer.choice_ids:
                raise QuizRefused(_("An essay question takes text, not choices."))
            if answer.essay is not None and len(answer.essay) > 20_000:
                raise QuizRefused(_("An essay answer is limited to 20,000 characters."))
            continue
        if answer.essay:
            raise QuizRefused(_("A choice question takes choices, not text."))
        valid = {c.pk for c in attempt_question.choices.all()}
        if not set(answer.choice_ids) <= valid:
            raise QuizRefused(
                _("An answer names a choice that this question does not offer.")
            )
        if len(set(answer.choice_ids)) != len(answer.choice_ids):
            raise QuizRefused(_("A choice was given twice."))
        if (
            attempt_question.kind != QuestionKind.MULTIPLE
            and len(answer.choice_ids) > 1
        ):
            raise QuizRefused(_("Choose one answer only for this question."))

    select, unselect = [], []
    essays = []
    for answer in answers:
        attempt_question = asked[answer.attempt_question_id]
        if attempt_question.kind == QuestionKind.ESSAY:
            if answer.essay is not None:
                attempt_question.essay_answer = answer.essay
                essays.append(attempt_question)
            continue
        for choice in attempt_question.choices.all():
            wanted = choice.pk in answer.choice_ids
            if choice.selected != wanted:
                (select if wanted else unselect).append(choice.pk)
                choice.selected = wanted
    if select:
        AttemptChoice.objects.filter(pk__in=select).update(selected=True)
    if unselect:
        AttemptChoice.objects.filter(pk__in=unselect).update(selected=False)
    if essays:
        AttemptQuestion.objects.bulk_update(essays, ["essay_answer"])
    return sorted(asked.values(), key=lambda q: q.position)


def save_answers(attempt_id: int, user: User, answers: Sequence[Answer]) -> QuizAttempt:
    """Save answers as the officer goes. Refused once the attempt is submitted or
    its deadline has passed (then it is submitted with what was saved)."""
    with transaction.atomic():
        attempt = _locked_open_attempt(attempt_id, user)
        if _is_past_deadline(attempt, timezone.now()):
            _submit(attempt, submitted_at=attempt.deadline)
            overdue = True
        else:
            _apply_answers(attempt, answers)
            overdue = False
    if overdue:
        raise AttemptClosed(
            _("Time is up: the attempt was submitted with the answers saved before.")
        )
    return attempt


def submit_attempt(
    attempt_id: int, user: User, answers: Sequence[Answer] = ()
) -> QuizAttempt:
    """Submit (and score) an attempt once. Answers sent with the submission are
    saved first, unless the deadline has passed: then only what was saved counts."""
    with transaction.atomic():
        attempt = _locked_open_attempt(attempt_id, user)
        now = timezone.now()
        if _is_past_deadline(attempt, now):
            _submit(attempt, submitted_at=attempt.deadline)
        else:
            asked = _apply_answers(attempt, answers)
            _submit(attempt, submitted_at=now, questions=asked)
    return attempt


def expire_if_overdue(attempt: QuizAttempt) -> bool:
    """Submit an open attempt whose deadline has passed, with what was saved."""
    if not attempt.is_open or not _is_past_deadline(attempt, timezone.now()):
        return False
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().filter(pk=attempt.pk).first()
        if locked is None or not locked.is_open:
            return False
        _submit(locked, submitted_at=locked.deadline)
    attempt.refresh_from_db()
    return True


def _submit(
    attempt: QuizAttempt,
    *,
    submitted_at: datetime,
    questions: list[AttemptQuestion] | None = None,
) -> None:
    """Score the (locked, open) attempt and close it."""
    if questions is None:
        questions = list(
            AttemptQuestion.objects.filter(attempt=attempt).prefetch_related("choices")
        )
    for attempt_question in questions:
        if attempt_question.kind == QuestionKind.ESSAY:
            continue
        choices = list(attempt_question.choices.all())
        attempt_question.awarded = scoring.score_choice_question(
            attempt_question.kind,
            correct=[c.pk for c in choices if c.is_correct],
            selected=[c.pk for c in choices if c.selected],
            points=attempt_question.points,
            partial_credit=attempt.partial_credit,
        )
    AttemptQuestion.objects.bulk_update(questions, ["awarded"])
    attempt.submitted_at = submitted_at
    _apply_score(attempt, questions)


def _apply_score(attempt: QuizAttempt, questions: list[AttemptQuestion]) -> None:
    result = scoring.score_attempt(
        [scoring.QuestionScore(q.points, q.awarded) for q in questions],
        attempt.pass_mark,
    )
    attempt.points = result.points
    attempt.max_points = result.max_points
    attempt.percent = result.percent
    attempt.passed = result.passed
    attempt.status = (
        AttemptStatus.AWAITING_MARKING
        if result.awaiting_marking
        else AttemptStatus.SCORED
    )
    attempt.save(
        update_fields=[
            "points", "max_points", "percent", "passed", "status", "submitted_at"
        ]
    )  # fmt: skip
    if attempt.passed:
        refresh_reporting_facts(Enrolment.objects.filter(pk=attempt.enrolment_id))
        evaluate_completion(attempt.enrolment)


def mark_essay(
    attempt_question: AttemptQuestion, marker: User, awarded: Decimal, comment: str = ""
) -> QuizAttempt:
    """A trainer marks one essay answer; once every essay of the attempt is marked,
    the attempt is scored and the completion rule applied."""
    if attempt_question.kind != QuestionKind.ESSAY:
        raise QuizRefused(_("Only essay answers are marked by hand."))
    if not 0 <= awarded <= attempt_question.points:
        raise QuizRefused(
            _("Award between 0 and %(points)s points.")
            % {"points": attempt_question.points}
        )
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(
            pk=attempt_question.attempt_id
        )
        if attempt.status != AttemptStatus.AWAITING_MARKING:
            raise QuizRefused(_("This attempt is not waiting for marking."))
        AttemptQuestion.objects.filter(pk=attempt_question.pk).update(
            awarded=awarded,
            marked_by=marker,
            marked_at=timezone.now(),
            marker_comment=comment,
        )
        _apply_score(attempt, list(AttemptQuestion.objects.filter(attempt=attempt)))
        if attempt.status == AttemptStatus.SCORED:
            # In the same transaction: the outbox stores it with the mark.
            send_marked_email(attempt)
    return attempt


def result_url(attempt: QuizAttempt, language: str) -> str:
    """The attempt's result page (the quiz page in ``language``, ``?attempt=n``)."""
    quiz = version_in(attempt.quiz, language) or attempt.quiz
    with translation.override(language):
        url = quiz.get_url() or ""
    return emails.absolute_url(f"{url}?attempt={attempt.number}") if url else ""


def send_marked_email(attempt: QuizAttempt) -> int:
    """Tell the officer their attempt has been marked: the score, passed or not and
    a link to the result, in their language; once per attempt (outbox key
    ``attempt:<id>:marked``). Returns how many were queued."""
    user = User.objects.get(pk=attempt.user_id)
    if not user.is_active:
        return 0
    language = language_of(user)
    quiz = version_in(attempt.quiz, language) or attempt.quiz
    return emails.send_templated_email(
        user,
        "emails/essay_marked",
        {
            "quiz_title": quiz.title,
            "percent": attempt.percent,
            "pass_mark": attempt.pass_mark,
            "passed": attempt.passed,
            "result_url": result_url(attempt, language),
        },
        language=language,
        idempotency_key=f"attempt:{attempt.pk}:marked",
    )


@dataclass
class ResultItem:
    question: AttemptQuestion
    choices: list[AttemptChoice]
    fully_right: bool | None  # None: an essay not marked yet


@dataclass(frozen=True)
class TopicFeedback:
    """How an attempt went in one topic: questions asked and not answered right."""

    topic: str  # "": questions without a topic
    asked: int
    not_right: int


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    items: list[ResultItem]
    show_which_wrong: bool
    show_answers: bool
    topics: list[TopicFeedback] = field(default_factory=list)
    not_right: int = 0
    standing: QuizStanding | None = None

    @property
    def show_topics(self) -> bool:
        """Feedback by topic stands in for the questions while attempts remain."""
        return bool(self.topics) and not self.show_which_wrong

    @property
    def awaiting_marking(self) -> bool:
        """This attempt, or a later one, waits for a trainer to mark written
        answers: the result is not known, so nothing reads as a failure."""
        return self.attempt.status == AttemptStatus.AWAITING_MARKING or bool(
            self.standing and self.standing.awaiting_marking
        )

    @property
    def offers_retry(self) -> bool:
        """Attempts left and the next attempt's time are shown: not once the quiz
        is passed, and not while an attempt awaits marking."""
        return (
            self.standing is not None
            and not self.standing.passed
            and not self.awaiting_marking
        )

    @property
    def passed(self) -> bool:
        return bool(self.attempt.passed)


def attempt_result(attempt: QuizAttempt, standing: QuizStanding) -> AttemptResult:
    """What the result page may show. Correct answers never before the officer has
    passed or used the last attempt, whatever the quiz's feedback setting. Until
    then, "which were wrong" feedback names the topics and how many questions were
    not right, not the questions: a true/false or two-choice question named as
    wrong gives its answer away. The quiz may opt out of that
    (``name_wrong_questions_early``)."""
    quiz = standing.quiz
    show_answers = quiz.feedback == Feedback.FULL and standing.answers_may_be_shown
    if quiz.feedback not in (Feedback.WRONG, Feedback.FULL):
        return AttemptResult(attempt, [], False, show_answers, standing=standing)
    show_which_wrong = standing.answers_may_be_shown or quiz.name_wrong_questions_early
    questions = AttemptQuestion.objects.filter(attempt=attempt).order_by("position")
    if show_which_wrong:
        items = [
            ResultItem(question, list(question.choices.all()), _fully_right(question))
            for question in questions.prefetch_related("choices")
        ]
        not_right = sum(item.fully_right is False for item in items)
        return AttemptResult(
            attempt,
            items,
            True,
            show_answers,
            not_right=not_right,
            standing=standing,
        )

    asked: dict[str, int] = {}
    wrong: dict[str, int] = {}
    for question in questions.select_related("question__topic"):
        topic = question.question.topic.name if question.question.topic else ""
        asked[topic] = asked.get(topic, 0) + 1
        wrong[topic] = wrong.get(topic, 0) + (_fully_right(question) is False)
    topics = [
        TopicFeedback(topic, asked[topic], wrong[topic])
        # Named topics in alphabetical order, questions without a topic last.
        for topic in sorted(asked, key=lambda name: (name == "", name.casefold()))
    ]
    return AttemptResult(
        attempt,
        [],
        False,
        show_answers,
        topics=topics,
        not_right=sum(wrong.values()),
        standing=standing,
    )


def _fully_right(question: AttemptQuestion) -> bool | None:
    """None while an essay is not marked."""
    if question.awarded is None:
        return None
    return question.awarded >= question.points


# --- The course's questions (receivers of ``courses.signals``, see apps.py) --------


def completion_requirement(sender, enrolment: Enrolment, **kwargs) -> bool:
    return quiz_requirement_met(enrolment)


def course_quiz(
    sender, course: CoursePage, enrolment: Enrolment | None, with_status=False, **kw
) -> QuizPage | None:
    if with_status:
        return quiz_with_status(course, enrolment)
    return quiz_of(course)
