"""A quiz sits at the end of a course: the quiz tests build on the course fixtures."""

from tests.courses.conftest import (  # noqa: F401 - fixtures for the quiz tests
    catalogue,
    course,
    make_course,
    make_quiz,
    topic,
)
