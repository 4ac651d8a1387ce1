"""Course trees for the course tests."""

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic


def lesson_body(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def catalogue(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_course(catalogue):
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
def course(make_course):
    return make_course()


@pytest.fixture
def topic():
    return Topic.objects.create(name="Labour rights", slug="labour-rights")


def lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def require(course, prerequisite) -> None:
    """Make ``prerequisite`` a saved prerequisite of ``course``."""
    course.prerequisites.add(prerequisite)
    course.save()
