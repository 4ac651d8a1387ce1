"""A small, known dataset holding every status the statistics count, for checking
the numbers against values computed by hand (see test_stats.py for the table)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Cadre, Gender
from certificates.models import Certificate, RevocationReason
from courses.models import Enrolment, EnrolmentSource
from courses.services import refresh_reporting_facts
from quizzes.models import QuizAttempt
from reporting.models import Assignment, AssignmentAudience
from tests import blocks
from tests.blocks import shareable, shared_fixture
from tests.courses.conftest import course_factory, quiz_factory
from tests.factories import UserFactory

# The reporting facts of an enrolment, with its id: what refresh_reporting_facts
# writes, for comparing what the services kept with a fresh recomputation.
REPORTING_FACTS = (
    "pk",
    "ministry_id",
    "quiz_passed_at",
    "certificate_issued_at",
    "certificate_expires_at",
    "is_latest_cycle",
)


def fact_columns() -> list[tuple]:
    return list(Enrolment.objects.order_by("pk").values_list(*REPORTING_FACTS))


def local(day: date) -> datetime:
    """Noon, local time, on ``day``: far from any day boundary."""
    return timezone.make_aware(datetime.combine(day, time(12)))


@dataclass
class Dataset:
    moi: object
    mofa: object
    c1: object
    c2: object
    quiz: object
    officers: dict
    enrolments: dict
    assignments: dict
    today: date


@pytest.fixture
@shared_fixture("dataset")
def dataset(request, moi, mofa, catalogue):
    """The dataset below, built once for the tests of a module that ask for it."""
    return blocks.value(request, "dataset", lambda: build_dataset(moi, mofa, catalogue))


@shareable("dataset", "moi", "mofa", "catalogue")
def build_dataset(moi, mofa, catalogue):
    """Two ministries, two courses (c1 with a quiz and 12-month certificates, c2
    without a quiz), eight officers and nine enrolments:

    E1 a·c1  completed 2025-03-10, passed, certificate expired
    E2 a·c2  not started, assigned (A1), due five days ago: overdue
    E3 b·c1  started, failed the quiz
    E4 b·c2  completed 2025-06-01, certificate valid, assigned (A1) on time
    E5 c·c1  completed 2024-05-05, passed, certificate revoked
    E6 d·c1  completed 2025-01-10, passed, certificate valid; d is deactivated
    E7 f·c1  cycle 1 completed 2023-02-01 (certificate expired), cycle 2 started,
             assigned (A3), due in ten days
    E8 g·c1  not started, assigned (A3), due in ten days
    E9 g·c2  completed 2024-09-09 against a due date of 2024-09-01 (A2): late
    e (MOI) never verified the address; h (MOI) is enrolled in nothing.
    """
    make_course = course_factory(catalogue)
    make_quiz = quiz_factory()
    now = timezone.now()
    today = timezone.localdate(now)
    c1 = make_course("Identifying victims", lessons=1, certificate_validity_months=12)
    quiz = make_quiz(c1)
    c2 = make_course("Labour rights", lessons=1)

    def officer(key, ministry, cadre, gender, **kwargs):
        return UserFactory(
            ministry=ministry,
            email=f"{key}@{ministry.code.lower()}.gov.kw",
            full_name_en=f"Officer {key.upper()}",
            cadre=cadre,
            gender=gender,
            **kwargs,
        )

    people = {
        "a": officer("a", moi, Cadre.POLICE, Gender.FEMALE),
        "b": officer("b", moi, Cadre.POLICE, Gender.MALE),
        "c": officer("c", moi, Cadre.LABOUR_INSPECTOR, Gender.MALE),
        "d": officer("d", moi, Cadre.POLICE, Gender.FEMALE, is_active=False),
        "e": officer("e", moi, Cadre.POLICE, Gender.FEMALE, verified=False),
        "h": officer("h", moi, Cadre.DIPLOMAT, Gender.UNDISCLOSED),
        "f": officer("f", mofa, Cadre.DIPLOMAT, Gender.FEMALE),
        "g": officer("g", mofa, Cadre.DIPLOMAT, Gender.MALE),
    }
    assignments = {
        "A1": Assignment.objects.create(
            course=c2,
            ministry=moi,
            audience=AssignmentAudience.CADRE,
            cadre=Cadre.POLICE,
            due_date=today - timedelta(days=5),
        ),
        "A2": Assignment.objects.create(
            course=c2,
            ministry=mofa,
            audience=AssignmentAudience.EVERYONE,
            due_date=date(2024, 9, 1),
        ),
        "A3": Assignment.objects.create(
            course=c1,
            ministry=mofa,
            audience=AssignmentAudience.EVERYONE,
            due_date=today + timedelta(days=10),
        ),
    }

    def enrol(key, who, course, enrolled, started=None, completed=None, **extra):
        assignment = extra.pop("assignment", None)
        if assignment is not None:
            extra |= {
                "assignment": assignments[assignment],
                "due_date": assignments[assignment].due_date,
                "source": EnrolmentSource.ASSIGNED,
            }
        return key, Enrolment.objects.create(
            user=people[who],
            course=course,
            enrolled_at=local(enrolled),
            started_at=local(started) if started else None,
            completed_at=local(completed) if completed else None,
            **extra,
        )

    enrolments = dict(
        [
            enrol("E1", "a", c1, date(2025, 1, 5), date(2025, 1, 6), date(2025, 3, 10)),
            enrol("E2", "a", c2, date(2025, 4, 1), assignment="A1"),
            enrol("E3", "b", c1, date(2025, 2, 1), date(2025, 2, 2)),
            enrol(
                "E4",
                "b",
                c2,
                date(2025, 2, 1),
                date(2025, 2, 2),
                date(2025, 6, 1),
                assignment="A1",
            ),
            enrol("E5", "c", c1, date(2024, 4, 1), date(2024, 4, 2), date(2024, 5, 5)),
            enrol("E6", "d", c1, date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 10)),
            enrol("E7a", "f", c1, date(2023, 1, 1), date(2023, 1, 2), date(2023, 2, 1)),
            enrol(
                "E7",
                "f",
                c1,
                date(2025, 5, 1),
                date(2025, 5, 2),
                cycle=2,
                assignment="A3",
            ),
            enrol("E8", "g", c1, date(2025, 3, 1), assignment="A3"),
            enrol(
                "E9",
                "g",
                c2,
                date(2024, 3, 1),
                date(2024, 3, 2),
                date(2024, 9, 9),
                assignment="A2",
            ),
        ]
    )

    def attempt(key, passed, percent, day):
        enrolment = enrolments[key]
        QuizAttempt.objects.create(
            user=enrolment.user,
            quiz=quiz,
            enrolment=enrolment,
            number=1,
            status="scored",
            started_at=local(day),
            submitted_at=local(day),
            points=Decimal(percent) / 25,
            max_points=4,
            percent=Decimal(percent),
            passed=passed,
            pass_mark=60,
            partial_credit=False,
        )

    attempt("E1", True, 75, date(2025, 3, 10))
    attempt("E3", False, 25, date(2025, 2, 20))
    attempt("E5", True, 100, date(2024, 5, 5))
    attempt("E6", True, 100, date(2025, 1, 10))
    attempt("E7a", True, 75, date(2023, 2, 1))

    def certificate(key, issued, expires_at=None, revoked=False):
        enrolment = enrolments[key]
        user = enrolment.user
        return Certificate.objects.create(
            user=user,
            course=enrolment.course,
            enrolment=enrolment,
            name_en=user.full_name_en,
            name_ar=user.full_name_ar,
            course_title=enrolment.course.title,
            issued_at=local(issued),
            expires_at=expires_at,
            revoked_at=local(issued) + timedelta(days=1) if revoked else None,
            revocation_reason=RevocationReason.ERROR if revoked else "",
        )

    certificate("E1", date(2025, 3, 10), now - timedelta(days=30))
    certificate("E4", date(2025, 6, 1))
    certificate("E5", date(2024, 5, 5), now + timedelta(days=100), revoked=True)
    certificate("E6", date(2025, 1, 10), now + timedelta(days=200))
    certificate("E7a", date(2023, 2, 1), now - timedelta(days=10))
    certificate("E9", date(2024, 9, 9))

    refresh_reporting_facts(Enrolment.objects.all())
    return Dataset(
        moi=moi,
        mofa=mofa,
        c1=c1,
        c2=c2,
        quiz=quiz,
        officers=people,
        enrolments={k: Enrolment.objects.get(pk=v.pk) for k, v in enrolments.items()},
        assignments=assignments,
        today=today,
    )
