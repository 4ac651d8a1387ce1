"""``manage.py load_demo`` builds the demo portal (content, named accounts and a
populated history) and is idempotent.

The demo is loaded once for this module, inside a transaction that is rolled back
at the end; each test runs in a savepoint of it.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models.functions import ExtractYear
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from accounts import roles
from accounts.models import EmailDomain, Ministry, User
from certificates.models import Certificate
from core.models import HomePage, SiteSettings
from courses import services
from courses.models import CoursePage, Enrolment, LessonCompletion, LessonPage, Topic
from demo.accounts import OFFICER_PLAN
from demo.courses import read_course_content
from quizzes import services as quiz_services
from quizzes.models import Question, QuizAttempt, QuizPage
from reporting.models import Assignment

DEMO_EMAILS = {
    "officer@moi.gov.kw": ("MOI", None),
    "diplomat@mofa.gov.kw": ("MOFA", None),
    "shelter@pam.gov.kw": ("PAM", None),
    "trainer@tadreeb.example": (None, roles.TRAINERS),
    "reviewer@tadreeb.example": (None, roles.TRAINERS),
    "focal@moi.gov.kw": ("MOI", roles.FOCAL_POINTS),
    "committee@moj.gov.kw": ("MOJ", roles.NATIONAL_COMMITTEE),
    "certificates@tadreeb.example": (None, roles.CERTIFICATE_OFFICERS),
    "admin@tadreeb.example": (None, None),
}
FACT_FIELDS = (
    "ministry_id",
    "quiz_passed_at",
    "certificate_issued_at",
    "certificate_expires_at",
    "is_latest_cycle",
)


def counts():
    return {
        "ministries": Ministry.objects.count(),
        "domains": EmailDomain.objects.count(),
        "users": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "courses": CoursePage.objects.live().count(),
        "lessons": LessonPage.objects.live().count(),
        "quizzes": QuizPage.objects.live().count(),
        "questions": Question.objects.count(),
        "topics": Topic.objects.count(),
        "images": get_image_model().objects.count(),
        "sites": Site.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "lesson completions": LessonCompletion.objects.count(),
        "attempts": QuizAttempt.objects.count(),
        "certificates": Certificate.objects.count(),
        "assignments": Assignment.objects.count(),
    }


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    """The loaded demo, in a savepoint that each test may change."""


def generated_officers():
    named = set(DEMO_EMAILS)
    return User.objects.exclude(email__in=named).filter(ministry__isnull=False)


def course(number: int) -> CoursePage:
    slug = read_course_content().courses[number - 1].slug
    return CoursePage.objects.published().get(slug=slug)


# --- Idempotence -------------------------------------------------------------------


def test_load_demo_twice_changes_nothing(demo):
    first = counts()
    passwords = dict(User.objects.values_list("email", "password"))

    call_command("load_demo", verbosity=0)

    assert counts() == first
    assert dict(User.objects.values_list("email", "password")) == passwords


# --- Ministries, site and named accounts ----------------------------------------------


def test_load_demo_loads_the_eight_ministries_with_their_domains(demo):
    assert set(Ministry.objects.values_list("code", flat=True)) == {
        "MOI", "MOFA", "MOSA", "PAM", "MOJ", "MOINF", "PP", "SCPD",
    }  # fmt: skip
    assert EmailDomain.objects.get(domain="moi.gov.kw").ministry.code == "MOI"


def test_load_demo_replaces_the_wagtail_welcome_page(demo):
    site = Site.objects.get(is_default_site=True)

    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(
        title__startswith="Welcome to your new Wagtail"
    ).exists()


def test_load_demo_sets_hotline_and_reporting_email(demo):
    site_settings = SiteSettings.load()

    assert site_settings.hotline_number == "25589696"
    assert site_settings.reporting_email == "ATH@MOI.GOV.KW"


@pytest.mark.parametrize("email", sorted(DEMO_EMAILS))
def test_demo_accounts_sign_in_with_the_demo_password(demo, email):
    ministry_code, group = DEMO_EMAILS[email]

    user = authenticate(email=email, password="tadreeb-demo")

    assert user is not None
    assert (user.ministry.code if user.ministry else None) == ministry_code
    assert (user.groups.values_list("name", flat=True).first()) == group
    assert EmailAddress.objects.get(user=user).verified
    assert user.is_superuser == (email == "admin@tadreeb.example")


# --- Content -------------------------------------------------------------------------


def test_home_page_features_the_three_courses_and_the_hotline(demo, client):
    page = client.get("/").content.decode()

    for number in (1, 2, 3):
        assert course(number).title in page
    assert page.count("25589696") >= 2  # the home page's text and the footer


def test_load_demo_publishes_three_courses_of_four_lessons_and_a_quiz(demo, client):
    courses = list(CoursePage.objects.published())

    assert len(courses) == 3
    for each in courses:
        assert len(services.lessons_of(each)) == 4
        assert quiz_services.quiz_of(each).draw_count == 8
        assert client.get(each.url).status_code == 200
    assert client.get("/courses/").status_code == 200


def test_demo_diagrams_are_served_in_the_lessons(demo, client):
    officer = User.objects.get(email="officer@moi.gov.kw")
    client.force_login(officer)
    first = course(1)
    services.enrol(officer, first)

    body = client.get(services.lessons_of(first)[0].url).content.decode()

    assert ".svg" in body
    assert "three elements" in body.lower()


def test_demo_officer_takes_course_one_with_the_answer_key(demo, client):
    """Through the pages, as the browser test does, answering from quiz.yaml."""
    officer = User.objects.get(email="officer@moi.gov.kw")
    spec = read_course_content().courses[0]
    key = {q.html_text: set(q.correct_choices) for q in spec.quiz.questions}
    first = course(1)
    client.force_login(officer)

    client.post(first.url)
    for lesson in services.lessons_of(first):
        assert client.get(lesson.url).status_code == 200
        client.post(lesson.url)
    quiz = quiz_services.quiz_of(first)
    client.post(quiz.url, {"action": "start"})
    attempt = QuizAttempt.objects.get(user=officer, quiz=quiz)
    answers = {"action": "submit", "questions": []}
    for question in attempt.questions.all():
        answers["questions"].append(question.pk)
        answers[f"q-{question.pk}"] = [
            c.pk for c in question.choices.all() if c.text in key[question.text]
        ]
    client.post(f"/quiz-attempts/{attempt.pk}/", answers)

    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100
    assert services.get_enrolment(officer, first).completed_at is not None


# --- The populated portal -------------------------------------------------------------


def test_about_two_hundred_officers_across_the_ministries(demo):
    officers = generated_officers()
    domains = dict(EmailDomain.objects.values_list("domain", "ministry__code"))

    assert officers.count() == sum(n for n, _ in OFFICER_PLAN.values())
    assert set(officers.values_list("ministry__code", flat=True)) == set(OFFICER_PLAN)
    for email, code in officers.values_list("email", "ministry__code"):
        assert domains[email.split("@")[1]] == code
    assert (
        EmailAddress.objects.filter(
            user__in=officers, verified=True, primary=True
        ).count()
        == officers.count()
    )


def test_generated_officers_sign_in_with_the_demo_password(demo):
    officer = generated_officers().order_by("email").first()

    assert authenticate(email=officer.email, password="tadreeb-demo") == officer


def test_history_has_every_state_a_report_needs(demo):
    now = timezone.now()
    enrolments = Enrolment.objects.filter(user__in=generated_officers())

    assert enrolments.filter(started_at__isnull=True).exists()  # not started
    assert enrolments.filter(
        started_at__isnull=False, completed_at__isnull=True
    ).exists()  # in progress
    assert QuizAttempt.objects.filter(
        enrolment__in=enrolments, passed=False
    ).exists()  # failed attempt
    assert enrolments.filter(
        assignment__isnull=False,
        due_date__lt=timezone.localdate(),
        completed_at__isnull=True,
    ).exists()  # overdue
    certificates = Certificate.objects.filter(enrolment__in=enrolments)
    assert certificates.filter(
        revoked_at__isnull=True, expires_at__gt=now
    ).exists()  # valid
    assert certificates.filter(
        revoked_at__isnull=True, expires_at__lte=now
    ).exists()  # expired
    assert certificates.filter(revoked_at__isnull=False).exists()  # revoked


def test_officials_were_trained_over_several_years(demo):
    years = set(
        Enrolment.objects.filter(completed_at__isnull=False)
        .annotate(year=ExtractYear("completed_at"))
        .values_list("year", flat=True)
    )

    assert len(years) >= 3
    assert max(years) <= timezone.now().year


def test_every_completed_enrolment_has_a_certificate_issued_on_completion(demo):
    completed = Enrolment.objects.filter(completed_at__isnull=False)

    assert not completed.filter(certificates__isnull=True).exists()
    for certificate in Certificate.objects.select_related("enrolment"):
        assert certificate.issued_at >= certificate.enrolment.completed_at


def test_dates_are_in_order_and_in_the_past(demo):
    now = timezone.now()

    for enrolment in Enrolment.objects.all():
        assert enrolment.enrolled_at <= now
        if enrolment.started_at:
            assert enrolment.enrolled_at <= enrolment.started_at <= now
        if enrolment.completed_at:
            assert enrolment.started_at <= enrolment.completed_at <= now


def test_assignments_of_the_moi_focal_point(demo):
    focal = User.objects.get(email="focal@moi.gov.kw")
    assignments = Assignment.objects.filter(ministry__code="MOI", created_by=focal)

    assert assignments.count() == 2
    overdue = assignments.get(due_date__lt=timezone.localdate())
    assert overdue.enrolments.filter(completed_at__isnull=True).exists()
    assert not overdue.enrolments.exclude(source="assigned").exists()
    assert not overdue.enrolments.exclude(due_date=overdue.due_date).exists()


def test_reporting_facts_equal_a_fresh_recomputation(demo):
    stored = list(Enrolment.objects.order_by("pk").values_list("pk", *FACT_FIELDS))

    services.refresh_reporting_facts(Enrolment.objects.all())

    assert (
        list(Enrolment.objects.order_by("pk").values_list("pk", *FACT_FIELDS)) == stored
    )


def test_named_officer_can_start_course_one_afresh(demo):
    officer = User.objects.get(email="officer@moi.gov.kw")

    assert services.get_enrolment(officer, course(1)) is None
    assert Certificate.objects.get(user=officer).course_id == course(3).pk
    assigned = services.get_enrolment(officer, course(2))
    assert assigned.due_date > timezone.localdate() and assigned.started_at is None


def test_named_diplomat_has_an_expired_certificate_and_a_course_in_progress(demo):
    diplomat = User.objects.get(email="diplomat@mofa.gov.kw")
    certificate = Certificate.objects.get(user=diplomat)

    assert certificate.status() == "expired"
    assert certificate.enrolment.can_renew
    in_progress = services.get_enrolment(diplomat, course(2))
    assert in_progress.completed_at is None
    assert in_progress.lesson_completions.count() == 2


def test_named_shelter_worker_has_a_valid_certificate_and_a_failed_attempt(demo):
    worker = User.objects.get(email="shelter@pam.gov.kw")

    assert Certificate.objects.get(user=worker).status() == "valid"
    attempt = QuizAttempt.objects.get(
        user=worker, quiz=quiz_services.quiz_of(course(1))
    )
    assert attempt.passed is False
    assert services.get_enrolment(worker, course(1)).completed_at is None


@pytest.mark.django_db
def test_load_demo_refuses_where_demo_data_is_not_allowed(settings):
    """The second guard, for a deployment that installed the demo app by mistake."""
    from django.core.management.base import CommandError

    settings.TADREEB_DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="Demo data, with its published password"):
        call_command("load_demo", "--no-officers")


def test_course_one_meant_for_every_cadre_is_recommended_to_a_police_officer(demo):
    """Decided: course 1 names no audience, so it is meant for, and recommended
    to, every cadre."""
    first = course(1)
    assert not first.audiences
    police = User.objects.create_user(
        email="new.police@moi.gov.kw",
        ministry=Ministry.objects.get(code="MOI"),
        cadre="police",
    )

    assert first in services.dashboard(police).recommended
    [entry] = [e for e in services.catalogue(police).entries if e.course == first]
    assert entry.recommended
