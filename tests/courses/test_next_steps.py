"""What an officer is told to do next: "continue" (first unfinished lesson, else the
quiz, else the course), the dashboard's order (assigned courses first, then the
recommended ones, the core course among them), the certificate's state and a way to
take the course again, the certificate on the completed course page, and the home
page of a signed-in officer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses import services
from courses.models import Enrolment, EnrolmentSource
from tests.courses.conftest import lessons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def finish_lessons(enrolment, course, capture=None):
    for lesson in lessons(course):
        if capture is None:
            services.complete_lesson(enrolment, lesson)
        else:
            with capture(execute=True):
                services.complete_lesson(enrolment, lesson)


@pytest.fixture
def completed(officer, make_course, django_capture_on_commit_callbacks):
    """A completed one-lesson course with its certificate issued (24 months)."""
    course = make_course("Core course", lessons=1, certificate_validity_months=24)
    enrolment = services.enrol(officer, course)
    finish_lessons(enrolment, course, django_capture_on_commit_callbacks)
    enrolment.refresh_from_db()
    return enrolment


def expire(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    # The enrolment's copy of the certificate's dates (reporting facts).
    services.refresh_reporting_facts(
        Enrolment.objects.filter(pk=certificate.enrolment_id)
    )


# "Continue where you left off"


def test_dashboard_continue_leads_to_the_quiz_once_every_lesson_is_done(
    client, officer, make_course, make_quiz
):
    course = make_course("Quiz course", lessons=2)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    finish_lessons(enrolment, course)
    client.force_login(officer)
    # The officer reread lesson 1 last: "continue" still leads to the quiz.
    client.get(lessons(course)[0].url)

    body = client.get(reverse("courses:dashboard")).content.decode()

    assert "Take the quiz" in body
    assert f'href="{quiz.url}"' in body
    assert "Continue where you left off" not in body
    assert "Quiz: not attempted" in body


def test_continue_leads_to_the_first_unfinished_lesson(officer, make_course):
    course = make_course("Three lessons", lessons=3)
    enrolment = services.enrol(officer, course)
    first, second, third = lessons(course)
    services.complete_lesson(enrolment, first)
    services.complete_lesson(enrolment, third)

    row = services.dashboard(officer).in_progress[0]
    overview = services.course_overview(officer, course)

    assert row.next_step.page == second and row.next_step.is_lesson
    assert overview.next_step.page == second


def test_start_course_again_takes_an_officer_who_read_every_lesson_to_the_quiz(
    client, officer, make_course, make_quiz
):
    course = make_course("Quiz course", lessons=1)
    quiz = make_quiz(course)
    finish_lessons(services.enrol(officer, course), course)
    client.force_login(officer)

    response = client.post(course.url)

    assert response["Location"] == quiz.url


def test_a_completed_course_leads_to_its_course_page(officer, completed):
    row = services.dashboard(officer).completed[0]

    assert row.next_step.page.pk == completed.course_id
    assert not row.next_step.is_lesson and not row.next_step.is_quiz


# The dashboard's order


def test_new_officer_dashboard_recommends_the_core_course(client, moi, make_course):
    make_course("Core course")  # no audience: for every cadre
    make_course("For diplomats", audiences=["diplomat"])
    for cadre in ("police", "other"):
        client.force_login(UserFactory(ministry=moi, cadre=cadre))

        body = client.get(reverse("courses:dashboard")).content.decode()

        recommended = body[body.index("Recommended for your role") :]
        assert "Core course" in recommended
        assert "Recommended for you" in recommended
        assert "For diplomats" not in body


def test_dashboard_shows_assigned_courses_first_then_recommended(
    client, officer, make_course
):
    started = make_course("Started on my own")
    assigned = make_course("Assigned later")
    make_course("Not started")
    services.enrol(officer, started)
    services.enrol(
        officer,
        assigned,
        source=EnrolmentSource.ASSIGNED,
        due_date=timezone.localdate() + timedelta(days=30),
    )
    client.force_login(officer)

    body = client.get(reverse("courses:dashboard")).content.decode()

    assert (
        body.index("Assigned later")
        < body.index("Started on my own")
        < body.index("Recommended for your role")
        < body.index("Not started")
    )
    assert "due " in body[body.index("Assigned later") : body.index("Started on")]


def test_dashboard_queries_do_not_grow_with_courses(
    client, officer, make_course, make_quiz, django_assert_max_num_queries
):
    for number in range(4):
        course = make_course(f"Course {number}", lessons=2)
        services.enrol(officer, course)
    client.force_login(officer)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("courses:dashboard"))

    assert response.status_code == 200
    assert response.content.decode().count("Start the first lesson") == 4


# Certificates on the dashboard


def test_dashboard_labels_a_valid_certificate(client, officer, completed):
    client.force_login(officer)

    body = client.get(reverse("courses:dashboard")).content.decode()

    assert "certificate-state--valid" in body and ">Valid<" in body
    assert "expires on" in body
    assert "Take the course again" not in body


def test_dashboard_labels_an_expired_certificate_and_offers_to_retake(
    client, officer, completed
):
    certificate = Certificate.objects.get(enrolment=completed)
    expire(certificate)
    client.force_login(officer)

    body = client.get(reverse("courses:dashboard")).content.decode()

    certificates = body[body.index('id="certificates-heading"') :]
    assert ">Expired<" in certificates
    assert "expired on" in certificates and "expires on" not in certificates
    assert "Take the course again" in certificates
    assert f'href="{completed.course.url}"' in certificates


def test_no_retake_link_once_the_course_is_taken_again(client, officer, completed):
    expire(Certificate.objects.get(enrolment=completed))
    services.enrol(officer, completed.course)  # the second cycle
    client.force_login(officer)

    body = client.get(reverse("courses:dashboard")).content.decode()

    assert ">Expired<" in body
    certificates = body[body.index('id="certificates-heading"') :]
    assert "Take the course again" not in certificates


def test_dashboard_labels_a_revoked_certificate(client, officer, completed):
    from certificates import services as certificate_services

    certificate_services.revoke(
        Certificate.objects.get(enrolment=completed), None, "error", "Wrong person."
    )
    client.force_login(officer)

    body = client.get(reverse("courses:dashboard")).content.decode()

    assert ">Revoked<" in body


# The certificate moment on the course page


def test_completed_course_page_links_the_certificate(client, officer, completed):
    certificate = Certificate.objects.get(enrolment=completed)
    client.force_login(officer)

    body = client.get(completed.course.url).content.decode()

    assert "Your certificate has been issued." in body
    assert f'href="{reverse("certificates:download", args=[certificate.code])}"' in body
    assert (
        f'href="{reverse("certificates:verify_code", args=[certificate.code])}"' in body
    )


def test_course_page_says_the_certificate_is_being_prepared(client, officer, completed):
    certificate = Certificate.objects.get(enrolment=completed)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_sha256="")
    client.force_login(officer)

    body = client.get(completed.course.url).content.decode()
    download = client.get(reverse("certificates:download", args=[certificate.code]))

    assert "Your certificate is being prepared." in body
    assert f'href="{reverse("certificates:download", args=[certificate.code])}"' in body
    # The link works: the PDF is made when it is asked for.
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_course_in_progress_says_nothing_of_a_certificate(client, officer, course):
    services.enrol(officer, course)
    client.force_login(officer)

    body = client.get(course.url).content.decode()

    assert "Your certificate" not in body


# The home page


def test_home_page_shows_a_signed_in_officer_the_next_step(
    client, officer, make_course
):
    course = make_course("Assigned course", lessons=2)
    services.enrol(officer, course)
    client.force_login(officer)

    body = client.get("/", follow=True).content.decode()

    assert "Sign up with your official e-mail" not in body
    assert "Continue" in body and "<bdi>Assigned course</bdi>" in body
    assert f'href="{lessons(course)[0].url}"' in body
    assert f'href="{reverse("courses:dashboard")}"' in body
    assert "Your dashboard" in body


def test_home_page_offers_a_new_officer_the_recommended_course(
    client, officer, make_course
):
    course = make_course("Core course")
    client.force_login(officer)

    body = client.get("/", follow=True).content.decode()

    assert "Sign up with your official e-mail" not in body
    assert f'href="{course.url}"' in body and "Your dashboard" in body


def test_home_page_invites_an_anonymous_visitor_to_sign_up(client, course):
    body = client.get("/", follow=True).content.decode()

    assert "Sign up with your official e-mail" in body
    assert "Your dashboard" not in body
