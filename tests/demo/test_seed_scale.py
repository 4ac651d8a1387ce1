"""``manage.py seed_scale``: generated officers and a realistic mix of statuses."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from courses.models import CoursePage, Enrolment, LessonCompletion
from courses.services import refresh_reporting_facts
from demo.seeding import SEED_COURSE_SLUG_PREFIX, SEED_EMAIL_PREFIX
from quizzes.models import QuizAttempt
from tests.factories import UserFactory
from tests.reporting.conftest import REPORTING_FACTS as FACTS

pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_scale", "--officers", "60", "--courses", "2", *args, verbosity=0)


def test_creates_the_asked_number_of_officers_with_verified_addresses():
    seed()

    officers = User.objects.filter(email__startswith=SEED_EMAIL_PREFIX)
    assert officers.count() == 60
    assert not any(user.has_usable_password() for user in officers[:5])
    assert officers.filter(ministry__isnull=True).count() == 0
    assert EmailAddress.objects.filter(user__in=officers, primary=True).count() == 60
    assert EmailAddress.objects.filter(user__in=officers, verified=True).exists()
    assert (
        CoursePage.objects.filter(slug__startswith=SEED_COURSE_SLUG_PREFIX).count() == 2
    )
    # Most officers take most courses.
    assert Enrolment.objects.filter(cycle=1).count() > 0.8 * 60 * 2


def test_every_status_appears():
    seed()
    now = timezone.now()
    today = timezone.localdate()
    enrolments = Enrolment.objects.all()

    assert enrolments.filter(started_at__isnull=True).exists()  # not started
    assert enrolments.filter(started_at__isnull=False, completed_at__isnull=True)
    assert enrolments.filter(completed_at__isnull=False).exists()
    assert enrolments.filter(quiz_passed_at__isnull=False).exists()
    assert enrolments.filter(due_date__lt=today, completed_at__isnull=True).exists()
    assert enrolments.filter(source="assigned", assignment__isnull=False).exists()
    assert enrolments.filter(cycle=2, is_latest_cycle=True).exists()  # renewals
    assert enrolments.filter(cycle=1, is_latest_cycle=False).exists()
    assert LessonCompletion.objects.exists()
    assert QuizAttempt.objects.filter(passed=False).exists()
    certificates = Certificate.objects.all()
    assert certificates.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True
    ).exists()  # valid
    assert certificates.filter(expires_at__lte=now, revoked_at__isnull=True).exists()
    assert certificates.filter(revoked_at__isnull=False).exists()
    assert certificates.filter(superseded_by__isnull=False).exists()  # re-issued
    # Completions spread over the past years.
    years = set(
        enrolments.filter(completed_at__isnull=False).dates("completed_at", "year")
    )
    assert len(years) >= 3
    assert not enrolments.filter(completed_at__gt=now).exists()
    assert not enrolments.filter(enrolled_at__lt=now - timedelta(days=5 * 365))


def test_reporting_facts_equal_a_fresh_recomputation():
    seed()
    written = set(Enrolment.objects.values_list(*FACTS))

    refresh_reporting_facts(Enrolment.objects.all())

    assert set(Enrolment.objects.values_list(*FACTS)) == written


def test_same_seed_gives_the_same_officers():
    seed("--seed", "7")
    first = list(User.objects.order_by("email").values_list("email", "cadre", "gender"))
    first_enrolments = Enrolment.objects.count()
    Certificate.objects.update(superseded_by=None)
    Certificate.objects.all().delete()
    QuizAttempt.objects.all().delete()
    Enrolment.objects.all().delete()
    User.objects.all().delete()

    seed("--seed", "7")

    assert (
        list(User.objects.order_by("email").values_list("email", "cadre", "gender"))
        == first
    )
    assert Enrolment.objects.count() == first_enrolments


def test_a_second_run_adds_officers_after_the_first():
    seed()
    seed()

    assert User.objects.filter(email__startswith=SEED_EMAIL_PREFIX).count() == 120
    assert (
        CoursePage.objects.filter(slug__startswith=SEED_COURSE_SLUG_PREFIX).count() == 2
    )


def test_refuses_a_database_with_users_it_did_not_generate():
    UserFactory(email="real.officer@moi.gov.kw")

    with pytest.raises(CommandError, match="did not generate"):
        seed()

    assert not User.objects.filter(email__startswith=SEED_EMAIL_PREFIX).exists()


def test_force_adds_generated_officers_beside_real_users():
    UserFactory(email="real.officer@moi.gov.kw")

    seed("--force")

    assert User.objects.filter(email__startswith=SEED_EMAIL_PREFIX).count() == 60
    assert User.objects.filter(email="real.officer@moi.gov.kw").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--officers", "0"),
        ("--officers", "-5"),
        ("--officers", "10", "--courses", "-1"),
        ("--officers", "10", "--courses", "0"),
        ("--officers", "10", "--batch-size", "0"),
    ],
)
def test_bad_numbers_are_refused(args):
    with pytest.raises(CommandError, match="must be at least 1"):
        call_command("seed_scale", *args, verbosity=0)

    assert not User.objects.exists()


def test_missing_officer_count_is_refused():
    with pytest.raises(CommandError, match="--officers"):
        call_command("seed_scale", verbosity=0)
