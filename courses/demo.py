"""Demo course content for ``manage.py load_demo``: a catalogue page, topics and one
small course with two lessons. Idempotent: pages are found by slug and updated only
when their content changed."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from .models import (
    Choice,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
    QuizPage,
    QuizQuestion,
    Topic,
)


def _save_page(parent: Page, model, slug: str, values: dict, m2m: dict | None = None):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    m2m = m2m or {}
    if page is None:
        page = model(slug=slug, **values)
        parent.add_child(instance=page)
        for name, items in m2m.items():
            getattr(page, name).set(items)
        page.save_revision().publish()
        return page
    changed = [f for f, v in values.items() if _raw(getattr(page, f)) != _raw(v)]
    for name, items in m2m.items():
        if {x.pk for x in getattr(page, name).all()} != {x.pk for x in items}:
            getattr(page, name).set(items)
            changed.append(name)
    if changed:
        for field in changed:
            if field in values:
                setattr(page, field, values[field])
        page.save_revision().publish()
    return page


def _raw(value):
    """Compare StreamField values by their JSON form."""
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        return [{"type": b["type"], "value": b["value"]} for b in raw]
    return value


@transaction.atomic
def load_demo_course(data: dict, home: Page) -> CourseIndexPage:
    catalogue = data["catalogue"]
    index = _save_page(
        home,
        CourseIndexPage,
        catalogue["slug"],
        {"title": catalogue["title"], "introduction": catalogue["introduction"]},
    )
    topics = {}
    for row in data["topics"]:
        topic, _ = Topic.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
        topics[row["slug"]] = topic
    for course_data in data["courses"]:
        values = {
            key: course_data[key]
            for key in (
                "title",
                "summary",
                "learning_objectives",
                "audiences",
                "estimated_minutes",
                "certificate_validity_months",
            )
        }
        course = _save_page(
            index,
            CoursePage,
            course_data["slug"],
            values,
            m2m={"topics": [topics[slug] for slug in course_data["topics"]]},
        )
        for lesson in course_data["lessons"]:
            _save_page(
                course,
                LessonPage,
                lesson["slug"],
                {
                    "title": lesson["title"],
                    "estimated_minutes": lesson["estimated_minutes"],
                    "body": lesson["body"],
                },
            )
        if "quiz" in course_data:
            _load_quiz(course, course_data["quiz"], topics)
    return index


def _load_question(row: dict, topics: dict) -> Question:
    """Questions are matched by their text; choices are replaced when they differ."""
    question = Question.objects.filter(text=row["text"]).first() or Question(
        text=row["text"]
    )
    values = {
        "kind": row["kind"],
        "explanation": row["explanation"],
        "topic": topics.get(row.get("topic")),
        "points": row.get("points", 1),
        "active": True,
    }
    changed = question.pk is None or any(
        getattr(question, f) != v for f, v in values.items()
    )
    for field, value in values.items():
        setattr(question, field, value)
    if changed:
        question.save()
    wanted = [(text, correct) for text, correct in row["choices"]]
    current = [(c.text, c.is_correct) for c in question.choices.order_by("sort_order")]
    if current != wanted:
        Choice.objects.filter(question=question).delete()
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=correct, sort_order=n)
            for n, (text, correct) in enumerate(wanted)
        )
    return question


def _load_quiz(course: CoursePage, data: dict, topics: dict) -> QuizPage:
    questions = [_load_question(row, topics) for row in data["questions"]]
    values = {
        key: data[key]
        for key in (
            "title",
            "introduction",
            "pass_mark",
            "max_attempts",
            "cooldown_minutes",
            "time_limit_minutes",
            "feedback",
        )
    }
    quiz = _save_page(course, QuizPage, data["slug"], values)
    listed = list(
        quiz.quiz_questions.order_by("sort_order").values_list("question_id", flat=True)
    )
    if listed != [q.pk for q in questions]:
        # Child rows belong to the page's revisions: set them on the page and
        # publish, so that the editor and the live page agree.
        quiz.quiz_questions = [
            QuizQuestion(question=q, sort_order=n) for n, q in enumerate(questions)
        ]
        quiz.save_revision().publish()
    return quiz
