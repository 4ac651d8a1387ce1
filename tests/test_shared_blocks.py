"""The shared blocks (tests/blocks.py) give every test the data as built, whatever the
test before it changed. The tests run in this order, in one block."""

import pytest

from courses.models import CoursePage, LessonPage
from tests import blocks
from tests.courses.conftest import lessons

pytestmark = pytest.mark.django_db


def test_first_test_changes_the_shared_course(course, catalogue):
    assert blocks.state.block is not None
    assert "course" in blocks.state.block.key
    course.title = "Changed"
    course.save()
    lessons(course)[0].delete()
    catalogue.title = "Changed in memory only"


def test_next_test_gets_the_course_as_built(course, catalogue):
    assert course.title == "Identifying victims"
    assert CoursePage.objects.get(pk=course.pk).title == "Identifying victims"
    assert len(lessons(course)) == 2
    assert catalogue.title == "Courses"


def test_a_copy_is_shared_between_the_fixtures_of_one_test(course, catalogue):
    assert course.get_parent().specific == catalogue
    assert LessonPage.objects.child_of(course).count() == 2
