"""``manage.py load_demo`` builds the demo portal and is idempotent."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from accounts import roles
from accounts.models import EmailDomain, Ministry, User
from courses.models import CoursePage, LessonPage, QuizAttempt, Topic
from lms.models import HomePage, SiteSettings

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
        "topics": Topic.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.fixture
def loaded(db):
    call_command("load_demo", verbosity=0)


def test_load_demo_twice_changes_nothing(loaded):
    first = counts()
    passwords = dict(User.objects.values_list("email", "password"))

    call_command("load_demo", verbosity=0)

    assert counts() == first
    assert dict(User.objects.values_list("email", "password")) == passwords


def test_load_demo_loads_the_eight_ministries_with_their_domains(loaded):
    assert set(Ministry.objects.values_list("code", flat=True)) == {
        "MOI", "MOFA", "MOSA", "PAM", "MOJ", "MOINF", "PP", "SCPD",
    }  # fmt: skip
    assert EmailDomain.objects.get(domain="moi.gov.kw").ministry.code == "MOI"


def test_load_demo_replaces_the_wagtail_welcome_page(loaded):
    site = Site.objects.get(is_default_site=True)

    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(
        title__startswith="Welcome to your new Wagtail"
    ).exists()


def test_load_demo_sets_hotline_and_reporting_email(loaded):
    site_settings = SiteSettings.load()

    assert site_settings.hotline_number == "25589696"
    assert site_settings.reporting_email == "ATH@MOI.GOV.KW"


@pytest.mark.parametrize("email", sorted(DEMO_EMAILS))
def test_demo_accounts_sign_in_with_the_demo_password(loaded, email):
    ministry_code, group = DEMO_EMAILS[email]

    user = authenticate(email=email, password="tadreeb-demo")

    assert user is not None
    assert (user.ministry.code if user.ministry else None) == ministry_code
    assert (user.groups.values_list("name", flat=True).first()) == group
    assert EmailAddress.objects.get(user=user).verified
    assert user.is_superuser == (email == "admin@tadreeb.example")


def test_home_page_is_served_after_load_demo(loaded, client):
    response = client.get("/")

    assert response.status_code == 200
    assert "25589696" in response.content.decode()


def test_load_demo_publishes_a_small_course_with_two_lessons(loaded, client):
    course = CoursePage.objects.live().get()

    assert LessonPage.objects.child_of(course).live().count() == 2
    assert client.get("/courses/").status_code == 200
    assert course.title in client.get("/").content.decode()


def test_demo_officer_can_take_the_demo_course(loaded, client):
    from courses import services

    officer = User.objects.get(email="officer@moi.gov.kw")
    course = CoursePage.objects.live().get()
    client.force_login(officer)

    client.post(course.url)
    for lesson in services.lessons_of(course):
        assert client.get(lesson.url).status_code == 200
        client.post(lesson.url)
    quiz = services.quiz_of(course)
    client.post(quiz.url, {"action": "start"})
    attempt = QuizAttempt.objects.get(user=officer, quiz=quiz)
    answers = {"action": "submit", "questions": []}
    for question in attempt.questions.all():
        answers["questions"].append(question.pk)
        answers[f"q-{question.pk}"] = [
            c.pk for c in question.choices.all() if c.is_correct
        ]
    client.post(f"/quiz-attempts/{attempt.pk}/", answers)

    assert services.get_enrolment(officer, course).completed_at is not None
