"""Course trees for the course tests."""

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from tests import blocks
from tests.blocks import shareable, shared_fixture


def lesson_body(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@shareable("catalogue", "home_page")
def build_catalogue(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
@shared_fixture("catalogue")
def catalogue(request, home_page):
    return blocks.value(request, "catalogue", lambda: build_catalogue(home_page))


def course_factory(catalogue):
    """Build a published course with ``lessons`` published lessons."""

    def build(title="Identifying victims", lessons=2, topics=(), **fields):
        course = CoursePage(
            title=title,
            summary=f"Summary of {title}.",
            learning_objectives="<ul><li>Recognise indicators.</li></ul>",
            **fields,
        )
        catalogue.add_child(instance=course)
        for topic in topics:
            course.topics.add(topic)
        course.save_revision().publish()
        for number in range(1, lessons + 1):
            lesson = LessonPage(
                title=f"{title}: lesson {number}",
                body=lesson_body(f"Text of lesson {number} of {title}."),
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        return CoursePage.objects.get(pk=course.pk)

    return build


@pytest.fixture
def make_course(catalogue):
    """Build a published course with ``lessons`` published lessons."""
    return course_factory(catalogue)


@shareable("course", "catalogue")
def build_course(catalogue):
    return course_factory(catalogue)()


@pytest.fixture
@shared_fixture("course")
def course(request, make_course):
    return blocks.value(request, "course", make_course)


@pytest.fixture
def topic():
    return Topic.objects.create(name="Labour rights", slug="labour-rights")


def lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def require(course, prerequisite) -> None:
    """Make ``prerequisite`` a saved prerequisite of ``course``."""
    course.prerequisites.add(prerequisite)
    course.save()


def quiz_factory():
    """Build a published quiz under ``course`` from a list of question specs:
    ``(kind, [(choice text, correct), ...], points)``; essays take no choices."""
    from quizzes.models import Choice, Question, QuizPage, QuizQuestion

    def build(course, specs=None, **rules):
        specs = specs or [
            ("single", [("Right", True), ("Wrong", False), ("Also wrong", False)], 1),
            ("true_false", [("True", True), ("False", False)], 1),
            ("multiple", [("A", True), ("B", True), ("C", False)], 2),
        ]
        defaults = {
            "title": "Quiz",
            "pass_mark": 60,
            "max_attempts": 0,
            "shuffle_questions": False,
            "shuffle_choices": False,
        }
        quiz = QuizPage(**{**defaults, **rules})
        course.add_child(instance=quiz)
        for n, (kind, choices, points) in enumerate(specs):
            question = Question.objects.create(
                kind=kind,
                text=f"<p>Question {n + 1} ({kind})</p>",
                explanation=f"<p>Because of rule {n + 1}.</p>",
                points=points,
            )
            for m, (text, correct) in enumerate(choices):
                Choice.objects.create(
                    question=question, text=text, is_correct=correct, sort_order=m
                )
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=n)
        quiz.save_revision().publish()
        return QuizPage.objects.get(pk=quiz.pk)

    return build


@pytest.fixture
def make_quiz():
    """Build a published quiz under ``course`` (see ``quiz_factory``)."""
    return quiz_factory()


def right_answers(attempt):
    """Answers that get every choice question of ``attempt`` fully right."""
    from quizzes.services import Answer

    return [
        Answer(
            attempt_question_id=q.pk,
            choice_ids=tuple(c.pk for c in q.choices.all() if c.is_correct),
            essay="An answer." if q.kind == "essay" else None,
        )
        for q in attempt.questions.prefetch_related("choices")
    ]


def wrong_answers(attempt):
    from quizzes.services import Answer

    return [
        Answer(
            attempt_question_id=q.pk,
            choice_ids=tuple(c.pk for c in q.choices.all() if not c.is_correct)[:1],
        )
        for q in attempt.questions.prefetch_related("choices")
        if q.kind != "essay"
    ]


def translate(page, language: str = "ar", **fields):
    """Publish ``page``'s translation into ``language`` (what wagtail-localize
    does when a trainer translates it): its parents first when they have none.
    ``fields`` are set on the copy (``title="..."``). Returns the live copy."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    page = page.specific
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    parent = page.get_parent()
    if parent.depth > 1 and parent.get_translation_or_none(locale) is None:
        translate(parent, language)
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


def translate_course(course, language: str = "ar", label: str = "عربي"):
    """The course and its lessons (and quiz, if any) translated and published;
    titles marked with ``label``. Returns the translated course."""
    copy = translate(course, language, title=f"{course.title} ({label})")
    for child in course.get_children().specific().order_by("path"):
        translate(child, language, title=f"{child.title} ({label})")
    return copy


@pytest.fixture
def arabic_course(make_course):
    """A published course of 4 lessons and its published Arabic translation:
    ``(source, arabic)``."""
    source = make_course(title="Identifying victims", lessons=4)
    return source, translate_course(source)
