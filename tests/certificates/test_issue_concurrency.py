"""Ten simultaneous issue requests for one enrolment give one certificate.

Needs PostgreSQL for real row locks (see tests/quizzes/test_quiz_concurrency.py);
CI runs it there.
"""

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from courses import services as course_services
from tests.quizzes.test_quiz_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locking can only be raced on PostgreSQL (CI runs it there)",
    ),
]


def test_ten_parallel_issues_make_one_certificate(officer, make_course):
    course = make_course("Parallel", lessons=1)
    enrolment = course_services.enrol(officer, course)
    course_services.complete_lesson(enrolment, course_services.lessons_of(course)[0])
    Certificate.objects.all().delete()  # the completion hook may have issued one

    outcomes = race(lambda: services.issue_certificate(enrolment).pk, count=10)

    assert [kind for kind, _ in outcomes] == ["ok"] * 10
    assert len({value for _, value in outcomes}) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
