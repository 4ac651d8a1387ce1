"""Rules for courses: enrolment, prerequisites, lesson completion, the completion
rule, and the read models of the course, lesson, catalogue and dashboard pages.

Views, page ``serve()`` methods, commands and tasks call these functions; none of
them decides on its own whether a course is complete.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from accounts.models import Cadre, User

from . import records, scoring
from .models import (
    AttemptChoice,
    AttemptQuestion,
    AttemptStatus,
    Choice,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    LessonPage,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizPage,
    Topic,
)
from .signals import enrolment_completed, enrolment_sources_changed


class EnrolmentRefused(Exception):
    """The officer may not start this course (yet)."""

    def __init__(self, message: str, missing: list[CoursePage] | None = None):
        super().__init__(message)
        self.missing = missing or []


class NotEnrolled(Exception):
    """A lesson was opened or completed without an enrolment in its course."""


# --- Identity -------------------------------------------------------------------


def canonical_page(page: Page) -> Page:
    """The page in the default language that progress and statistics belong to.

    Translations of a course share its ``translation_key``; an officer who reads the
    Arabic version progresses in the same course.
    """
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return page
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


# --- Reading a course ------------------------------------------------------------


def lessons_of(course: CoursePage) -> list[LessonPage]:
    """The course's live lessons, in the editors' order."""
    if course.pk is None:
        return []
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _lessons_and_done(
    course: CoursePage, enrolment: Enrolment | None
) -> tuple[list[LessonPage], set[int]]:
    """The live lessons and which of them this enrolment completed, in one query."""
    if enrolment is None:
        return lessons_of(course), set()
    lessons = list(
        LessonPage.objects.child_of(course)
        .live()
        .annotate(
            is_done=Exists(
                LessonCompletion.objects.filter(
                    enrolment=enrolment, lesson=OuterRef("pk")
                )
            )
        )
        .order_by("path")
    )
    return lessons, {lesson.pk for lesson in lessons if lesson.is_done}


def course_of(lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to: its parent page, which routing already
    loaded; one query otherwise."""
    parent = getattr(lesson, "_cached_parent_obj", None)
    if isinstance(parent, CoursePage):
        return parent
    return CoursePage.objects.get(path=lesson.path[: -Page.steplen])


def get_enrolment(user: User, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated or course.pk is None:
        return None
    course = canonical_page(course)
    enrolment = (
        Enrolment.objects.filter(user=user, course=course).order_by("-cycle").first()
    )
    if enrolment is not None:
        enrolment.course = course  # already loaded; spares a query
    return enrolment


def _completed_course_ids(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )


def missing_prerequisites(user: User, course: CoursePage) -> list[CoursePage]:
    """Live prerequisite courses the officer has not completed, in title order."""
    if course.pk is None:
        return []
    completed = Enrolment.objects.filter(user=user, completed_at__isnull=False)
    return list(
        _prerequisites_of(course)
        .exclude(pk__in=completed.values("course_id"))
        .order_by("title")
    )


def _prerequisites_of(course: CoursePage):
    """Live prerequisite courses, as saved (not as edited in a preview)."""
    return CoursePage.objects.live().filter(required_by=course)


@dataclass
class Progress:
    lessons_done: int
    lessons_total: int
    # The quiz requirement arrives with the quiz engine; None: the course has no quiz.
    quiz_status: str | None = None

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return round(100 * self.lessons_done / self.lessons_total)


@dataclass
class CourseOverview:
    course: CoursePage
    lessons: list[LessonPage]
    enrolment: Enrolment | None
    completed_lesson_ids: set[int]
    quiz: QuizPage | None
    progress: Progress
    resume_lesson: LessonPage | None
    prerequisites: list[CoursePage]
    missing_prerequisites: list[CoursePage]
    can_renew: bool = False


def _resume_lesson(
    lessons: list[LessonPage], done: set[int], enrolment: Enrolment | None
) -> LessonPage | None:
    """The first lesson not yet completed; the last one opened when all are done."""
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    if enrolment is not None and enrolment.last_lesson_id:
        return next((x for x in lessons if x.pk == enrolment.last_lesson_id), None)
    return lessons[0] if lessons else None


def course_overview(user: User, course: CoursePage) -> CourseOverview:
    enrolment = get_enrolment(user, course)
    lessons, done = _lessons_and_done(course, enrolment)
    prerequisites = (
        list(_prerequisites_of(course).order_by("title")) if course.pk else []
    )
    missing: list[CoursePage] = []
    if prerequisites and user.is_authenticated and enrolment is None:
        completed = _completed_course_ids(user)
        missing = [p for p in prerequisites if p.pk not in completed]
    quiz = _quiz_with_status(course, enrolment)
    renewable = enrolment is not None and enrolment.can_renew
    return CourseOverview(
        course=course,
        lessons=lessons,
        enrolment=enrolment,
        completed_lesson_ids=done,
        quiz=quiz,
        progress=Progress(
            lessons_done=sum(1 for x in lessons if x.pk in done),
            lessons_total=len(lessons),
            quiz_status=quiz.status_label if quiz is not None else None,
        ),
        resume_lesson=_resume_lesson(lessons, done, enrolment),
        prerequisites=prerequisites,
        missing_prerequisites=missing,
        can_renew=bool(renewable),
    )


# --- Enrolment -------------------------------------------------------------------


def enrol(
    user: User,
    course: CoursePage,
    *,
    source: str = EnrolmentSource.SELF,
    due_date: date | None = None,
) -> Enrolment:
    """Enrol ``user`` in ``course``; returns the existing enrolment when there is
    one. Self-enrolment requires a live course and completed prerequisites."""
    course = canonical_page(course)
    if not user.is_authenticated or not user.is_active:
        raise EnrolmentRefused("Only signed-in officers can start a course.")
    existing = (
        Enrolment.objects.filter(user=user, course=course).order_by("-cycle").first()
    )
    cycle = 1
    if existing is not None:
        if not existing.can_renew:
            return existing
        cycle = existing.cycle + 1
    if not course.live:
        raise EnrolmentRefused("This course is not published.")
    missing = missing_prerequisites(user, course)
    if missing and source == EnrolmentSource.SELF:
        raise EnrolmentRefused("Complete the prerequisite courses first.", missing)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                source=source,
                due_date=due_date,
                cycle=cycle,
                ministry_id=user.ministry_id,
            )
            if existing is not None:
                # The earlier cycle is no longer the latest; the new one inherits
                # the quiz already passed.
                refresh_reporting_facts(
                    Enrolment.objects.filter(user=user, course=course)
                )
                enrolment.refresh_from_db()
            return enrolment
    except IntegrityError:
        # Two requests raced; the other one created it.
        return Enrolment.objects.get(user=user, course=course, cycle=cycle)


def enrol_many(
    users: QuerySet[User],
    course: CoursePage,
    *,
    source: str,
    due_date: date | None = None,
    assignment_id: int | None = None,
    now: datetime | None = None,
    batch_size: int = 1000,
) -> None:
    """The bulk form of ``enrol`` for staff who enrol many officers at once (an
    assignment): each of ``users`` not yet in ``course`` is enrolled (cycle 1), and
    each whose latest enrolment may be renewed (``Enrolment.can_renew``, the rule
    ``enrol`` applies) starts a new cycle; the others are left alone. Prerequisites
    are not asked for, as for any enrolment not made by the officer. A fixed number
    of queries (plus one per ``batch_size`` new rows). An officer who enrols on their
    own at this very moment keeps that enrolment."""
    course = canonical_page(course)
    if not course.live:
        raise EnrolmentRefused("This course is not published.")
    now = now or timezone.now()
    renewing = list(
        Enrolment.objects.filter(
            course=course, is_latest_cycle=True, user__in=users.values("pk")
        )
        .renewable(now)
        .values_list("user_id", "user__ministry_id", "cycle")
    )
    new = users.filter(
        ~Exists(Enrolment.objects.filter(course=course, user_id=OuterRef("pk")))
    ).values_list("pk", "ministry_id")
    Enrolment.objects.bulk_create(
        (
            Enrolment(
                user_id=user_id,
                course=course,
                source=source,
                due_date=due_date,
                assignment_id=assignment_id,
                ministry_id=ministry_id,
                enrolled_at=now,
                cycle=cycle,
            )
            for user_id, ministry_id, cycle in [
                *((user_id, ministry_id, 1) for user_id, ministry_id in new),
                *((u, m, cycle + 1) for u, m, cycle in renewing),
            ]
        ),
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    if renewing:
        # The earlier cycles are no longer the latest; the new ones inherit the
        # quiz already passed.
        refresh_reporting_facts(
            Enrolment.objects.filter(
                course=course, user_id__in=[row[0] for row in renewing]
            )
        )


def refresh_reporting_facts(enrolments) -> int:
    """Announce that the sources of ``enrolments``' reporting facts changed (a cycle
    started, a quiz passed, a certificate issued, revoked or re-issued). The
    reporting app recomputes them at once (``reporting.facts``), in one UPDATE;
    returns the number of rows it updated."""
    responses = enrolment_sources_changed.send(sender=Enrolment, enrolments=enrolments)
    return sum(r for _receiver, r in responses if isinstance(r, int))


# --- Lessons and completion ------------------------------------------------------


def _check_lesson_belongs(enrolment: Enrolment, lesson: LessonPage) -> None:
    course = enrolment.course
    if not (lesson.path.startswith(course.path) and lesson.depth == course.depth + 1):
        raise NotEnrolled("This lesson is not part of the course.")


def record_lesson_opened(enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson the officer is reading, for "continue where you left off"."""
    if enrolment.last_lesson_id != lesson.pk:
        enrolment.last_lesson = lesson
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)


def complete_lesson(enrolment: Enrolment, lesson: LessonPage) -> LessonCompletion:
    """Mark a lesson complete (idempotent), then apply the completion rule."""
    lesson = canonical_page(lesson)
    _check_lesson_belongs(enrolment, lesson)
    with transaction.atomic():
        completion, created = LessonCompletion.objects.get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        if enrolment.started_at is None:
            enrolment.started_at = completion.completed_at
            Enrolment.objects.filter(pk=enrolment.pk, started_at__isnull=True).update(
                started_at=completion.completed_at
            )
        if created:
            evaluate_completion(enrolment)
    return completion


def evaluate_completion(enrolment: Enrolment) -> bool:
    """The completion rule: every live lesson completed (and the quiz, when the
    course has one, passed). ``completed_at`` is set once and never undone, so a
    lesson added later does not take a completion away; the course revision and
    lesson count at that moment are kept."""
    if enrolment.completed_at is not None:
        return True
    course = enrolment.course
    lesson_ids = {lesson.pk for lesson in lessons_of(course)}
    if not lesson_ids:
        return False
    done = set(enrolment.lesson_completions.values_list("lesson_id", flat=True))
    if not lesson_ids <= done or not _quiz_requirement_met(enrolment):
        return False
    now = timezone.now()
    updated = Enrolment.objects.filter(
        pk=enrolment.pk, completed_at__isnull=True
    ).update(
        completed_at=now,
        completed_revision=course.live_revision,
        lessons_at_completion=len(lesson_ids),
    )
    if updated:
        enrolment.completed_at = now
        enrolment.completed_revision = course.live_revision
        enrolment.lessons_at_completion = len(lesson_ids)
    else:
        enrolment.refresh_from_db()
    if updated:
        transaction.on_commit(
            lambda: enrolment_completed.send(sender=Enrolment, enrolment=enrolment)
        )
    return True


@dataclass
class LessonView:
    lesson: LessonPage
    course: CoursePage
    number: int
    total: int
    previous: LessonPage | None
    next: LessonPage | None
    is_completed: bool
    progress: Progress
    quiz: QuizPage | None = None


def lesson_view(enrolment: Enrolment, lesson: LessonPage) -> LessonView:
    course = enrolment.course
    lessons, done = _lessons_and_done(course, enrolment)
    view = _build_lesson_view(course, lessons, lesson, done)
    if view.next is None:
        view.quiz = quiz_of(course)
    return view


def lesson_preview(lesson: LessonPage) -> LessonView:
    """What an editor's preview shows: the lesson as an officer would read it."""
    parent = lesson.get_parent() if lesson.pk else None
    course = parent.specific if parent else CoursePage(title="")
    lessons = lessons_of(course) if parent else []
    if lesson.pk not in {x.pk for x in lessons}:
        lessons.append(lesson)
    return _build_lesson_view(course, lessons, lesson, set())


def _build_lesson_view(course, lessons, lesson, done) -> LessonView:
    index = next((i for i, x in enumerate(lessons) if x.pk == lesson.pk), 0)
    return LessonView(
        lesson=lesson,
        course=course,
        number=index + 1,
        total=len(lessons),
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        is_completed=lesson.pk in done,
        progress=Progress(
            lessons_done=sum(1 for x in lessons if x.pk in done),
            lessons_total=len(lessons),
        ),
    )


# --- Catalogue and dashboard -----------------------------------------------------


@dataclass
class CatalogueEntry:
    course: CoursePage
    recommended: bool
    enrolment: Enrolment | None


@dataclass
class Catalogue:
    entries: list[CatalogueEntry]
    topics: list[Topic]
    audiences: list[tuple[str, str]]
    selected_audience: str
    selected_topic: str
    query: str

    @property
    def is_filtered(self) -> bool:
        return bool(self.selected_audience or self.selected_topic or self.query)


def published_courses(index_page: CourseIndexPage | None = None):
    """``CoursePage.objects.published()``, in the editors' order."""
    courses = CoursePage.objects.published()
    if index_page is not None:
        courses = courses.child_of(index_page)
    return courses.order_by("path")


def catalogue(
    user: User,
    *,
    cadre: str = "",
    topic: str = "",
    query: str = "",
    index_page: CourseIndexPage | None = None,
) -> Catalogue:
    """Published courses filtered by audience, topic and words; courses meant for the
    signed-in officer's cadre first, marked recommended."""
    cadre = cadre if cadre in Cadre.values else ""
    # A catalogue holds tens of courses: one query (and one for their topics) and
    # filtering in Python keep the page's query count fixed whatever the filters
    # (plus the search query, when words are given).
    every_course = list(published_courses(index_page).prefetch_related("topics"))
    # Words go to Wagtail search (the backend in WAGTAILSEARCH_BACKENDS, over
    # ``CoursePage.search_fields``: title, summary, objectives, topic names); the
    # catalogue keeps the editors' order.
    found = {c.pk for c in CoursePage.objects.live().search(query)} if query else None

    def matches(course: CoursePage) -> bool:
        topics = list(course.topics.all())
        if cadre and not course.is_for_cadre(cadre):
            return False
        if topic and topic not in {t.slug for t in topics}:
            return False
        return found is None or course.pk in found

    course_list = [c for c in every_course if matches(c)]
    all_topics = {t.pk: t for c in every_course for t in c.topics.all()}

    enrolments: dict[int, Enrolment] = {}
    officer_cadre = ""
    if user.is_authenticated:
        officer_cadre = user.cadre
        enrolments = {
            e.course_id: e
            for e in Enrolment.objects.filter(
                user=user, course__in=[c.pk for c in course_list]
            )
        }
    entries = [
        CatalogueEntry(
            course=c,
            recommended=c.is_recommended_for(officer_cadre),
            enrolment=enrolments.get(c.pk),
        )
        for c in course_list
    ]
    # Recommended first, those naming the officer's cadre before those meant for
    # every cadre; stable, so the editors' order holds within each.
    entries.sort(
        key=lambda e: (
            not e.recommended,
            officer_cadre not in (e.course.audiences or []),
        )
    )
    return Catalogue(
        entries=entries,
        topics=sorted(all_topics.values(), key=lambda t: t.name),
        audiences=list(Cadre.choices),
        selected_audience=cadre,
        selected_topic=topic,
        query=query,
    )


@dataclass
class DashboardRow:
    enrolment: Enrolment
    course: CoursePage
    progress: Progress
    resume_lesson: LessonPage | None

    @property
    def is_overdue(self) -> bool:
        return self.enrolment.is_overdue

    @property
    def is_assigned(self) -> bool:
        """The officer's ministry assigned this course (with its due date)."""
        return self.enrolment.assignment_id is not None


@dataclass
class Dashboard:
    in_progress: list[DashboardRow] = field(default_factory=list)
    completed: list[DashboardRow] = field(default_factory=list)
    recommended: list[CoursePage] = field(default_factory=list)


def dashboard(user: User) -> Dashboard:
    """The officer's courses, with progress, due dates and what to take next."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .order_by("due_date", "-enrolled_at")
    )
    courses = [e.course for e in enrolments]
    lessons_by_course: dict[int, list[LessonPage]] = {c.pk: [] for c in courses}
    if courses:
        path_filter = Q()
        for course in courses:
            path_filter |= Q(path__startswith=course.path, depth=course.depth + 1)
        by_path = {c.path: c.pk for c in courses}
        for lesson in LessonPage.objects.live().filter(path_filter).order_by("path"):
            parent_path = lesson.path[: -Page.steplen]
            lessons_by_course[by_path[parent_path]].append(lesson)
    done_by_enrolment: dict[int, set[int]] = {}
    for enrolment_id, lesson_id in LessonCompletion.objects.filter(
        enrolment__user=user
    ).values_list("enrolment_id", "lesson_id"):
        done_by_enrolment.setdefault(enrolment_id, set()).add(lesson_id)

    board = Dashboard()
    for enrolment in enrolments:
        lessons = lessons_by_course[enrolment.course_id]
        done = done_by_enrolment.get(enrolment.pk, set())
        row = DashboardRow(
            enrolment=enrolment,
            course=enrolment.course,
            progress=Progress(
                lessons_done=sum(1 for x in lessons if x.pk in done),
                lessons_total=len(lessons),
            ),
            resume_lesson=_resume_lesson(lessons, done, enrolment),
        )
        (board.completed if enrolment.completed_at else board.in_progress).append(row)

    enrolled = {e.course_id for e in enrolments}
    board.recommended = [
        c
        for c in published_courses().prefetch_related("topics")
        if c.pk not in enrolled and c.is_recommended_for(user.cadre)
    ][:6]
    return board


# --- Quizzes ---------------------------------------------------------------------


class QuizRefused(Exception):
    """The request on a quiz attempt is not allowed; the message says why."""

    status_code = 400


class AttemptClosed(QuizRefused):
    """The attempt was already submitted (double click, second tab, replay)."""

    status_code = 409


def _quiz_with_status(course: CoursePage, enrolment: Enrolment | None):
    """The course's live quiz with ``status_label`` for this enrolment, in one
    query."""
    if course.pk is None:
        return None
    quiz = QuizPage.objects.child_of(course).live()
    if enrolment is not None:
        mine = QuizAttempt.objects.filter(quiz=OuterRef("pk"), enrolment=enrolment)
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


def _quiz_requirement_met(enrolment: Enrolment) -> bool:
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
    course = canonical_page(course or course_of_quiz(quiz))
    latest = (
        Enrolment.objects.filter(user=user, course=course)
        .order_by("-cycle")
        .values("pk")[:1]
    )
    return list(
        QuizAttempt.objects.filter(quiz=quiz, user=user, enrolment=Subquery(latest))
    )


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


def _draw_questions(quiz: QuizPage, rng: random.Random) -> list[Question]:
    listed = [
        qq.question
        for qq in quiz.quiz_questions.select_related("question").order_by("sort_order")
        if qq.question.active
    ]
    if not quiz.draw_count:
        chosen = listed
    else:
        topic_ids = list(quiz.draw_topics.values_list("pk", flat=True))
        pool = (
            list(Question.objects.filter(active=True, topic_id__in=topic_ids))
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


@transaction.atomic
def start_attempt(user: User, quiz: QuizPage, *, rng: random.Random | None = None):
    """Start an attempt (or return the open one): draws and freezes the questions
    and the order of their choices. Limits and cooldowns are checked here, with the
    enrolment row locked so that two requests cannot both start one."""
    rng = rng or random.SystemRandom()
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
            return start_attempt(user, quiz, rng=rng)
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
    )
    choices_by_question: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__in=questions).order_by("sort_order"):
        choices_by_question.setdefault(choice.question_id, []).append(choice)
    asked = AttemptQuestion.objects.bulk_create(
        [
            AttemptQuestion(
                attempt=attempt,
                question=question,
                position=position,
                kind=question.kind,
                text=question.text,
                explanation=question.explanation,
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
                text=choice.text,
                is_correct=choice.is_correct,
            )
            for position, choice in enumerate(choices, start=1)
        ]
    AttemptChoice.objects.bulk_create(rows)
    if enrolment.started_at is None:
        Enrolment.objects.filter(pk=enrolment.pk).update(started_at=now)
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
    return attempt


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

    @property
    def show_topics(self) -> bool:
        """Feedback by topic stands in for the questions while attempts remain."""
        return bool(self.topics) and not self.show_which_wrong


def attempt_result(attempt: QuizAttempt, standing: QuizStanding) -> AttemptResult:
    """What the result page may show. Correct answers never before the officer has
    passed or used the last attempt, whatever the quiz's feedback setting. Until
    then, "which were wrong" feedback names the topics and how many questions were
    not right, not the questions: a true/false or two-choice question named as
    wrong gives its answer away. The quiz may opt out of that
    (``name_wrong_questions_early``)."""
    from .models import Feedback

    quiz = standing.quiz
    show_answers = quiz.feedback == Feedback.FULL and standing.answers_may_be_shown
    if quiz.feedback not in (Feedback.WRONG, Feedback.FULL):
        return AttemptResult(attempt, [], False, show_answers)
    show_which_wrong = standing.answers_may_be_shown or quiz.name_wrong_questions_early
    questions = AttemptQuestion.objects.filter(attempt=attempt).order_by("position")
    if show_which_wrong:
        items = [
            ResultItem(question, list(question.choices.all()), _fully_right(question))
            for question in questions.prefetch_related("choices")
        ]
        not_right = sum(item.fully_right is False for item in items)
        return AttemptResult(attempt, items, True, show_answers, not_right=not_right)

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
    )


def _fully_right(question: AttemptQuestion) -> bool | None:
    """None while an essay is not marked."""
    if question.awarded is None:
        return None
    return question.awarded >= question.points
