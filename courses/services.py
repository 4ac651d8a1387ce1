"""Rules for courses: enrolment, prerequisites, lesson completion, the completion
rule, and the read models of the course, lesson, catalogue and dashboard pages.

Views, page ``serve()`` methods, commands and tasks call these functions; none of
them decides on its own whether a course is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from accounts.models import Cadre, User

from .models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    LessonPage,
    Topic,
)
from .signals import (
    completion_requirements,
    course_assessment,
    enrolment_completed,
    enrolment_sources_changed,
)


class EnrolmentRefused(Exception):
    """The officer may not start this course (yet)."""

    def __init__(self, message: str, missing: list[CoursePage] | None = None):
        super().__init__(message)
        self.missing = missing or []


class NotEnrolled(Exception):
    """A lesson was opened or completed without an enrolment in its course."""


# --- Identity -------------------------------------------------------------------

LOCALE_IDS_CACHE_KEY = "courses:locale-ids"


def locale_ids() -> dict[str, int]:
    """The locales' ids by language code, from the shared cache: pages carry
    ``locale_id``, so that deciding a page's language costs no query. Cleared when
    a locale is saved or deleted (``CoursesConfig.ready``)."""
    ids = cache.get(LOCALE_IDS_CACHE_KEY)
    if ids is None:
        ids = dict(Locale.objects.values_list("language_code", "pk"))
        cache.set(LOCALE_IDS_CACHE_KEY, ids, 24 * 3600)
    return ids


def forget_locale_ids(**kwargs) -> None:
    cache.delete(LOCALE_IDS_CACHE_KEY)


def _content_language(language: str | None = None) -> str:
    """``language`` (by default the active one) as a content locale's code."""
    try:
        return get_supported_content_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def source_locale_id() -> int | None:
    """The id of the source locale (``LANGUAGE_CODE``): the tree records point at."""
    return locale_ids().get(_content_language(settings.LANGUAGE_CODE))


def is_source(page: Page) -> bool:
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return True
    return page.locale_id == source_locale_id()


def canonical_page(page: Page) -> Page:
    """The page in the default language that progress and statistics belong to.

    Translations of a course share its ``translation_key``; an officer who reads the
    Arabic version progresses in the same course. No query for a page of the
    source locale; one for a translation.
    """
    if is_source(page):
        return page
    pages = type(page).objects.filter(translation_key=page.translation_key)
    source = pages.filter(locale_id=source_locale_id()).first()
    return source or page


def source_page_id() -> Subquery:
    """An expression for a query of pages: the id of each page's source page (the
    page itself for a source page), for records and statistics asked about a
    translation's id (``reporting.filters``)."""
    return Subquery(
        Page.objects.filter(
            translation_key=OuterRef("translation_key"),
            locale__language_code=_content_language(settings.LANGUAGE_CODE),
        ).values("pk")[:1]
    )


P = TypeVar("P", bound=Page)


def versions_in(
    pages: Iterable[P],
    language: str | None = None,
    *,
    locale_id: int | None = None,
    prefetch: Sequence[str] = (),
) -> list[P]:
    """The versions of ``pages`` to show in ``language`` (by default the active
    one; or in the locale ``locale_id``): each page's live translation there when
    it has one, else the page as it is. Records and statistics stay on the source
    pages; this is for what a reader sees (titles, summaries, links). One query per
    page type (none when every page is already in that language)."""
    pages = list(pages)
    if not pages or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return pages
    target = locale_id or locale_ids().get(_content_language(language))
    if target is None:
        return pages
    wanted: dict[type, set] = {}
    for page in pages:
        if page.locale_id != target:
            wanted.setdefault(type(page), set()).add(page.translation_key)
    found: dict[tuple[type, object], Page] = {}
    for model, keys in wanted.items():
        translations = model.objects.live().filter(
            translation_key__in=keys, locale_id=target
        )
        if prefetch:
            translations = translations.prefetch_related(*prefetch)
        for translation_ in translations:
            found[model, translation_.translation_key] = translation_
    return [found.get((type(p), p.translation_key), p) for p in pages]


def version_in(page: P | None, language: str | None = None, **kwargs) -> P | None:
    """``versions_in`` for one page."""
    if page is None:
        return None
    return versions_in([page], language, **kwargs)[0]


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
    # The quiz's status for the officer (``signals.course_assessment``); None: the
    # course has no quiz.
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
    quiz: Page | None  # the course's quiz (``signals.course_assessment``)
    progress: Progress
    resume_lesson: LessonPage | None
    prerequisites: list[CoursePage]
    missing_prerequisites: list[CoursePage]
    can_renew: bool = False
    next_step: NextStep | None = None


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


class NextStepKind(StrEnum):
    """Where "continue" leads (``NextStep.kind``)."""

    LESSON = "lesson"
    QUIZ = "quiz"
    COURSE = "course"


@dataclass
class NextStep:
    """Where "continue" takes the officer in one course: the first lesson not yet
    completed, else the quiz (not passed yet), else the course page (with its
    certificate)."""

    kind: NextStepKind
    page: Page
    lessons_done: int = 0

    @property
    def is_lesson(self) -> bool:
        return self.kind == NextStepKind.LESSON

    @property
    def is_quiz(self) -> bool:
        return self.kind == NextStepKind.QUIZ

    @property
    def is_first_lesson(self) -> bool:
        return self.kind == NextStepKind.LESSON and not self.lessons_done


def _first_unfinished(lessons: list[LessonPage], done: set[int]) -> LessonPage | None:
    return next((lesson for lesson in lessons if lesson.pk not in done), None)


def next_step_in(
    course: CoursePage,
    lessons: list[LessonPage],
    done: set[int],
    enrolment: Enrolment | None,
    quiz: Page | None = None,
) -> NextStep:
    """The one rule of "continue where you left off" (course page, dashboard, home
    page, "Start course" for an officer already enrolled). ``quiz``: the course's
    quiz when every lesson is done (``assessment_of``); asked for here when not
    given and needed."""
    lessons_done = sum(1 for x in lessons if x.pk in done)
    lesson = _first_unfinished(lessons, done)
    if lesson is not None:
        return NextStep(NextStepKind.LESSON, lesson, lessons_done)
    if enrolment is not None and enrolment.completed_at is None:
        quiz = quiz if quiz is not None else assessment_of(course, enrolment)
        if quiz is not None:
            return NextStep(NextStepKind.QUIZ, quiz, lessons_done)
    return NextStep(NextStepKind.COURSE, course, lessons_done)


def course_overview(user: User, course: CoursePage) -> CourseOverview:
    """What the course page shows: ``course`` is the page being read (the source
    course or a translation); progress, prerequisites and the enrolment are the
    source course's, the lessons are shown in the page's language (a lesson not
    translated yet in the source's), with their done marks matched by
    ``translation_key``. A fixed number of queries whatever the lessons."""
    source = canonical_page(course)
    enrolment = get_enrolment(user, source)
    lessons, done = _lessons_and_done(source, enrolment)
    resume = _resume_lesson(lessons, done, enrolment)
    prerequisites = (
        list(_prerequisites_of(source).order_by("title")) if source.pk else []
    )
    missing: list[CoursePage] = []
    if prerequisites and user.is_authenticated and enrolment is None:
        completed = _completed_course_ids(user)
        missing = [p for p in prerequisites if p.pk not in completed]
    # What the reader sees, in the language of the page being read.
    shown_lessons = versions_in(lessons, locale_id=course.locale_id)
    shown = dict(zip((x.pk for x in lessons), shown_lessons, strict=True))
    shown_courses = versions_in(prerequisites, locale_id=course.locale_id)
    shown_course = dict(zip((x.pk for x in prerequisites), shown_courses, strict=True))
    quiz = assessment_of(course, enrolment, with_status=True)
    renewable = enrolment is not None and enrolment.can_renew
    step = next_step_in(course, lessons, done, enrolment, quiz) if enrolment else None
    if step is not None and step.is_lesson:
        step.page = shown.get(step.page.pk, step.page)
    return CourseOverview(
        course=course,
        lessons=shown_lessons,
        enrolment=enrolment,
        completed_lesson_ids={shown[pk].pk for pk in done if pk in shown},
        quiz=quiz,
        progress=Progress(
            lessons_done=sum(1 for x in lessons if x.pk in done),
            lessons_total=len(lessons),
            quiz_status=quiz.status_label if quiz is not None else None,
        ),
        resume_lesson=shown.get(resume.pk, resume) if resume else None,
        prerequisites=shown_courses,
        missing_prerequisites=[shown_course[p.pk] for p in missing],
        can_renew=bool(renewable),
        next_step=step,
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


def date_open_enrolments(
    enrolments: QuerySet[Enrolment], *, due_date: date | None, assignment_id: int
) -> int:
    """Give the open (not completed) ones of ``enrolments`` the due date of an
    assignment; the due-date reminder is owed again. One UPDATE; returns how many."""
    return enrolments.filter(completed_at__isnull=True).update(
        due_date=due_date, assignment_id=assignment_id, due_reminder_sent_at=None
    )


def link_completed_enrolments(
    enrolments: QuerySet[Enrolment], *, due_date: date | None, assignment_id: int
) -> int:
    """Record an assignment on completed enrolments that no assignment asked for yet
    (so that the assignment counts them as done). One UPDATE; returns how many."""
    return enrolments.filter(
        completed_at__isnull=False, assignment__isnull=True
    ).update(assignment_id=assignment_id, due_date=due_date)


def claim_due_reminder(enrolment_id: int, now: datetime) -> bool:
    """Claim the due-date reminder of one enrolment before it is sent: a conditional
    UPDATE, so that two runs at the same time never both send it."""
    return bool(
        Enrolment.objects.filter(
            pk=enrolment_id, due_reminder_sent_at__isnull=True
        ).update(due_reminder_sent_at=now)
    )


def record_started(enrolment: Enrolment, now: datetime) -> None:
    """The officer started the course's work (a lesson completed, a quiz attempt):
    the first time only."""
    if enrolment.started_at is None:
        enrolment.started_at = now
        Enrolment.objects.filter(pk=enrolment.pk, started_at__isnull=True).update(
            started_at=now
        )


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
    """Remember the lesson the officer is reading, for "continue where you left off"
    (its page in the source course: ``LessonView.source_lesson``)."""
    lesson = canonical_page(lesson)
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
        record_started(enrolment, completion.completed_at)
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
    if not lesson_ids <= done or not _requirements_met(enrolment):
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


def _requirements_met(enrolment: Enrolment) -> bool:
    """The other apps' requirements (``signals.completion_requirements``): the quiz,
    when the course has one, passed."""
    return all(
        met
        for _receiver, met in completion_requirements.send(
            sender=Enrolment, enrolment=enrolment
        )
    )


def assessment_of(
    course: CoursePage, enrolment: Enrolment | None = None, *, with_status=False
) -> Page | None:
    """The course's live quiz (``signals.course_assessment``), or None; with
    ``with_status``, carrying ``status_label`` for ``enrolment``."""
    if course.pk is None:
        return None
    for _receiver, page in course_assessment.send(
        sender=CoursePage, course=course, enrolment=enrolment, with_status=with_status
    ):
        if page is not None:
            return page
    return None


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
    quiz: Page | None = None
    # The lesson of the source course that records point at (``lesson`` itself,
    # unless the officer reads a translation).
    source_lesson: LessonPage | None = None


def lesson_view(
    enrolment: Enrolment, lesson: LessonPage, course: CoursePage | None = None
) -> LessonView:
    """The lesson page: ``lesson`` as read (source or translation), its neighbours
    in the same language, progress from the source course's records. ``course``:
    the lesson's parent page when the caller has it (routing loaded it)."""
    source_course = enrolment.course
    lessons, done = _lessons_and_done(source_course, enrolment)
    shown = versions_in(lessons, locale_id=lesson.locale_id)
    shown_done = {
        page.pk for page, x in zip(shown, lessons, strict=True) if x.pk in done
    }
    if course is None:
        course = version_in(source_course, locale_id=lesson.locale_id)
    view = _build_lesson_view(course, shown, lesson, shown_done)
    view.source_lesson = next(
        (x for x in lessons if x.translation_key == lesson.translation_key), lesson
    )
    if view.next is None:
        view.quiz = assessment_of(course)
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


def recommended_courses(
    user: User, courses: Iterable[CoursePage], *, limit: int | None = None
) -> list[CoursePage]:
    """The one rule of "Recommended for you" (catalogue, dashboard, home page): of
    ``courses`` (source pages, in the editors' order), those meant for the
    signed-in officer's cadre (``CoursePage.is_recommended_for``: a course for
    every cadre, such as the core course, is meant for every cadre), those naming
    the cadre first, then those for every cadre; the editors' order within each."""
    cadre = user.cadre if user.is_authenticated else ""
    chosen = [c for c in courses if c.is_recommended_for(cadre)]
    chosen.sort(key=lambda c: cadre not in (c.audiences or []))
    return chosen[:limit] if limit else chosen


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


def shown_courses(index_page: CourseIndexPage | None = None, limit=None):
    """The published courses in the editors' order, each in the active language
    when it has a live translation there (else in the source language), with their
    topics: the home page's list. Two queries (three when translations are shown)."""
    courses = published_courses(index_page).prefetch_related("topics")
    return versions_in(courses[:limit] if limit else courses, prefetch=("topics",))


def _courses_matching(query: str) -> set:
    """The ``translation_key`` of live courses whose page in the active language or
    in the source language matches the words of ``query``: whole words (stemmed
    where the search backend can) and the beginnings of words as an officer types
    them ("inspect" finds "Labour inspection")."""
    courses = CoursePage.objects.live()
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        ids = locale_ids()
        locales = {source_locale_id(), ids.get(_content_language())} - {None}
        courses = courses.filter(locale__in=sorted(locales))
    return {c.translation_key for c in courses.search(query)} | {
        c.translation_key for c in courses.autocomplete(query)
    }


def catalogue(
    user: User,
    *,
    cadre: str = "",
    topic: str = "",
    query: str = "",
    index_page: CourseIndexPage | None = None,
) -> Catalogue:
    """Published courses filtered by audience, topic and words; courses meant for the
    signed-in officer's cadre first, marked recommended. Each course is shown in
    the active language when it has a live translation there; its records are the
    source course's."""
    cadre = cadre if cadre in Cadre.values else ""
    if index_page is not None and not is_source(index_page):
        # The catalogue of a translated tree lists the source courses (there is
        # one catalogue: its translation needs no query for its source).
        index_page = None
    # A catalogue holds tens of courses: one query (and one for their topics) and
    # filtering in Python keep the page's query count fixed whatever the filters
    # (plus the search query, when words are given).
    every_course = list(published_courses(index_page).prefetch_related("topics"))
    # Words go to Wagtail search (the backend in WAGTAILSEARCH_BACKENDS, over
    # ``CoursePage.search_fields``: title, summary, objectives, topic names), over
    # the pages in the reader's language and the source pages; the catalogue keeps
    # the editors' order.
    found = _courses_matching(query) if query else None

    def matches(course: CoursePage) -> bool:
        topics = list(course.topics.all())
        if cadre and not course.is_for_cadre(cadre):
            return False
        if topic and topic not in {t.slug for t in topics}:
            return False
        return found is None or course.translation_key in found

    course_list = [c for c in every_course if matches(c)]
    all_topics = {t.pk: t for c in every_course for t in c.topics.all()}

    enrolments: dict[int, Enrolment] = {}
    if user.is_authenticated:
        enrolments = {
            e.course_id: e
            for e in Enrolment.objects.filter(
                user=user, course__in=[c.pk for c in course_list]
            )
        }
    shown = dict(
        zip(
            (c.pk for c in course_list),
            versions_in(course_list, prefetch=("topics",)),
            strict=True,
        )
    )
    # Recommended first (in the order of ``recommended_courses``), then the others
    # in the editors' order.
    recommended = recommended_courses(user, course_list)
    chosen = {c.pk for c in recommended}
    entries = [
        CatalogueEntry(
            course=shown[c.pk],
            recommended=c.pk in chosen,
            enrolment=enrolments.get(c.pk),
        )
        for c in [*recommended, *(c for c in course_list if c.pk not in chosen)]
    ]
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
    next_step: NextStep | None = None

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
    # The courses whose certificate expired and which may be taken again (their
    # latest cycle, ``Enrolment.can_renew``), by source course id, as shown.
    renewable: dict[int, CoursePage] = field(default_factory=dict)

    @property
    def next_step(self) -> DashboardRow | CoursePage | None:
        """What to do next: the first course in progress (assigned ones first),
        else the first recommended course."""
        if self.in_progress:
            return self.in_progress[0]
        return self.recommended[0] if self.recommended else None


def _to_do_order(row: DashboardRow) -> tuple:
    """Assigned (or dated) courses first, the nearest due date first; then the
    others, the latest started first (the query's order, kept by a stable sort)."""
    due = row.enrolment.due_date
    return (due is None, due or date.min)


def dashboard(user: User) -> Dashboard:
    """The officer's courses, with progress, due dates and what to take next: the
    courses in progress (assigned ones first, by due date), each with where
    "continue" leads, then the recommended courses (``recommended_courses``). A
    fixed number of queries, plus one per course whose lessons are all done but
    which is not completed yet (its quiz)."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .order_by("-enrolled_at", "-cycle")
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

    rows = []
    for enrolment in enrolments:
        lessons = lessons_by_course[enrolment.course_id]
        done = done_by_enrolment.get(enrolment.pk, set())
        rows.append(
            DashboardRow(
                enrolment=enrolment,
                course=enrolment.course,
                progress=Progress(
                    lessons_done=sum(1 for x in lessons if x.pk in done),
                    lessons_total=len(lessons),
                ),
                resume_lesson=_resume_lesson(lessons, done, enrolment),
            )
        )
    # Shown in the active language: the course's title and link, the lesson to
    # continue with (one query each, whatever the number of rows).
    for row, course in zip(rows, versions_in([r.course for r in rows]), strict=True):
        row.course = course
    resumed = [r for r in rows if r.resume_lesson is not None]
    for row, lesson in zip(
        resumed, versions_in([r.resume_lesson for r in resumed]), strict=True
    ):
        row.resume_lesson = lesson
    for row in rows:
        lessons = lessons_by_course[row.enrolment.course_id]
        done = done_by_enrolment.get(row.enrolment.pk, set())
        if row.enrolment.completed_at is not None:
            row.next_step = NextStep(NextStepKind.COURSE, row.course, len(done))
            continue
        first = _first_unfinished(lessons, done)
        if first is not None:
            # The lesson as shown (``resume_lesson`` is the first unfinished one).
            row.next_step = NextStep(
                NextStepKind.LESSON,
                row.resume_lesson or first,
                row.progress.lessons_done,
            )
        else:
            # Every lesson done, the course not complete: the quiz (in the
            # course's language as shown, with its status).
            quiz = assessment_of(row.course, row.enrolment, with_status=True)
            row.next_step = next_step_in(row.course, lessons, done, row.enrolment, quiz)
            if quiz is not None:
                row.progress.quiz_status = quiz.status_label

    board = Dashboard()
    for row in rows:
        completed = row.enrolment.completed_at
        (board.completed if completed else board.in_progress).append(row)
    board.in_progress.sort(key=_to_do_order)
    latest: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        if enrolment.cycle > getattr(latest.get(enrolment.course_id), "cycle", 0):
            latest[enrolment.course_id] = enrolment
    board.renewable = {
        row.enrolment.course_id: row.course
        for row in board.completed
        if latest[row.enrolment.course_id] is row.enrolment and row.enrolment.can_renew
    }

    enrolled = {e.course_id for e in enrolments}
    board.recommended = versions_in(
        recommended_courses(
            user,
            (
                c
                for c in published_courses().prefetch_related("topics")
                if c.pk not in enrolled
            ),
            limit=6,
        ),
        prefetch=("topics",),
    )
    return board
