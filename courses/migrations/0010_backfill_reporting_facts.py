"""Fill the reporting facts of existing enrolments from their sources (the same
computation as ``courses.services.refresh_reporting_facts``), and give the staff
groups the reporting permissions."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

from accounts import roles


def forwards(apps, schema_editor):
    enrolment_model = apps.get_model("courses", "Enrolment")
    user_model = apps.get_model("accounts", "User")
    attempt_model = apps.get_model("courses", "QuizAttempt")
    certificate_model = apps.get_model("certificates", "Certificate")
    current_certificate = certificate_model.objects.filter(
        enrolment=OuterRef("pk"), revoked_at__isnull=True
    ).order_by("-issued_at")
    enrolment_model.objects.update(
        ministry_id=Subquery(
            user_model.objects.filter(pk=OuterRef("user_id")).values("ministry_id")[:1]
        ),
        quiz_passed_at=Subquery(
            attempt_model.objects.filter(
                user_id=OuterRef("user_id"),
                enrolment__course_id=OuterRef("course_id"),
                passed=True,
            )
            .order_by("submitted_at")
            .values("submitted_at")[:1]
        ),
        certificate_issued_at=Subquery(current_certificate.values("issued_at")[:1]),
        certificate_expires_at=Subquery(current_certificate.values("expires_at")[:1]),
        is_latest_cycle=~Exists(
            enrolment_model.objects.filter(
                user_id=OuterRef("user_id"),
                course_id=OuterRef("course_id"),
                cycle__gt=OuterRef("cycle"),
            )
        ),
    )
    roles.sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_enrolment_reporting_facts"),
        ("certificates", "0002_roles_and_default_design"),
        ("accounts", "0003_apitoken"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
