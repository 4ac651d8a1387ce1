"""Enrolment, prerequisites, lesson completion and the completion rule."""

import pytest

from courses import services
from courses.models import Enrolment, EnrolmentSource, LessonCompletion, LessonPage
from courses.signals import enrolment_completed
from tests.courses.conftest import lesson_body, lessons, require
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    enrolment_completed.connect(receiver, weak=False, dispatch_uid="test-receiver")
    yield received
    enrolment_completed.disconnect(dispatch_uid="test-receiver")


def test_enrol_creates_one_enrolment_however_often_it_is_called(officer, course):
    first = services.enrol(officer, course)
    second = services.enrol(officer, course)

    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=officer, course=course).count() == 1
    assert first.source == EnrolmentSource.SELF


def test_missing_prerequisite_blocks_self_enrolment_and_names_it(officer, make_course):
    basics = make_course("Basics")
    advanced = make_course("Advanced")
    require(advanced, basics)

    with pytest.raises(services.EnrolmentRefused) as refusal:
        services.enrol(officer, advanced)

    assert [c.title for c in refusal.value.missing] == ["Basics"]
    assert not Enrolment.objects.filter(user=officer, course=advanced).exists()


def test_completed_prerequisite_lets_the_officer_enrol(officer, make_course):
    basics = make_course("Basics", lessons=1)
    advanced = make_course("Advanced")
    require(advanced, basics)
    enrolment = services.enrol(officer, basics)
    services.complete_lesson(enrolment, lessons(basics)[0])

    assert services.enrol(officer, advanced).course == advanced


def test_unpublished_course_cannot_be_started(officer, course):
    course.unpublish()

    with pytest.raises(services.EnrolmentRefused):
        services.enrol(officer, course)


def test_completing_a_lesson_twice_records_it_once(officer, course):
    enrolment = services.enrol(officer, course)
    lesson = lessons(course)[0]

    services.complete_lesson(enrolment, lesson)
    services.complete_lesson(enrolment, lesson)

    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.started_at is not None
    assert enrolment.completed_at is None


def test_lesson_of_another_course_cannot_be_completed(officer, make_course):
    one = make_course("One")
    other = make_course("Other")
    enrolment = services.enrol(officer, one)

    with pytest.raises(services.NotEnrolled):
        services.complete_lesson(enrolment, lessons(other)[0])


def test_course_completes_when_every_lesson_is_completed(
    officer, course, completions, django_capture_on_commit_callbacks
):
    enrolment = services.enrol(officer, course)
    first, second = lessons(course)

    with django_capture_on_commit_callbacks(execute=True):
        services.complete_lesson(enrolment, first)
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        services.complete_lesson(enrolment, second)

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.lessons_at_completion == 2
    assert enrolment.completed_revision_id == course.live_revision_id
    assert completions == [enrolment.pk]


def test_completion_is_announced_once(
    officer, course, completions, django_capture_on_commit_callbacks
):
    enrolment = services.enrol(officer, course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons(course):
            services.complete_lesson(enrolment, lesson)
        services.evaluate_completion(enrolment)
        services.complete_lesson(enrolment, lessons(course)[0])

    assert completions == [enrolment.pk]


def test_lesson_added_after_completion_does_not_undo_it(officer, course):
    enrolment = services.enrol(officer, course)
    for lesson in lessons(course):
        services.complete_lesson(enrolment, lesson)
    completed_at = Enrolment.objects.get(pk=enrolment.pk).completed_at

    extra = LessonPage(title="New lesson", body=lesson_body("Added later."))
    course.add_child(instance=extra)
    extra.save_revision().publish()
    services.evaluate_completion(Enrolment.objects.get(pk=enrolment.pk))

    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert enrolment.lessons_at_completion == 2


def test_unpublished_lessons_do_not_count_towards_completion(officer, course):
    first, second = lessons(course)
    second.unpublish()
    enrolment = services.enrol(officer, course)

    services.complete_lesson(enrolment, first)

    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None


def test_course_without_lessons_never_completes(officer, make_course):
    empty = make_course("Empty", lessons=0)
    enrolment = services.enrol(officer, empty)

    assert services.evaluate_completion(enrolment) is False


def test_assigned_enrolment_ignores_prerequisites_and_keeps_due_date(
    officer, make_course
):
    import datetime

    basics = make_course("Basics")
    advanced = make_course("Advanced")
    require(advanced, basics)

    enrolment = services.enrol(
        officer,
        advanced,
        source=EnrolmentSource.ASSIGNED,
        due_date=datetime.date(2027, 1, 31),
    )

    assert enrolment.source == EnrolmentSource.ASSIGNED
    assert enrolment.due_date == datetime.date(2027, 1, 31)


def test_progress_counts_completed_lessons(officer, course):
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, lessons(course)[0])

    overview = services.course_overview(officer, course)

    assert (overview.progress.lessons_done, overview.progress.lessons_total) == (1, 2)
    assert overview.progress.percent == 50
    assert overview.resume_lesson == lessons(course)[1]


def test_dashboard_separates_in_progress_and_completed(officer, make_course):
    started = make_course("Started")
    finished = make_course("Finished", lessons=1)
    services.enrol(officer, started)
    done = services.enrol(officer, finished)
    services.complete_lesson(done, lessons(finished)[0])

    board = services.dashboard(officer)

    assert [row.course.title for row in board.in_progress] == ["Started"]
    assert [row.course.title for row in board.completed] == ["Finished"]


def test_dashboard_recommends_courses_for_the_officers_cadre(make_course, moi):
    officer = UserFactory(ministry=moi, cadre="police")
    make_course("For police", audiences=["police"])
    make_course("For diplomats", audiences=["diplomat"])

    board = services.dashboard(officer)

    assert [c.title for c in board.recommended] == ["For police"]


def test_a_course_for_every_cadre_is_recommended_to_every_cadre(make_course, moi):
    """Decided: a course meant for every cadre (no audience chosen) is recommended
    to every cadre, ``other`` included, on the dashboard and in the catalogue; a
    course naming the officer's cadre comes first, in both (one rule:
    ``services.recommended_courses``)."""
    make_course("For everyone")
    make_course("For police", audiences=["police"])
    make_course("For diplomats", audiences=["diplomat"])

    police = UserFactory(ministry=moi, cadre="police")
    other = UserFactory(ministry=moi, cadre="other")

    assert [c.title for c in services.dashboard(police).recommended] == [
        "For police",
        "For everyone",
    ]
    assert [c.title for c in services.dashboard(other).recommended] == ["For everyone"]
    entries = services.catalogue(police).entries
    assert [(e.course.title, e.recommended) for e in entries] == [
        ("For police", True),
        ("For everyone", True),
        ("For diplomats", False),
    ]
    assert [e.recommended for e in services.catalogue(other).entries] == [
        True,
        False,
        False,
    ]
