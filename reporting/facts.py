"""The reporting facts copied onto each enrolment, and the receivers that keep them.

The statistics count from the enrolment table alone: the officer's ministry, when the
officer first passed the course's quiz, the current certificate's issue and expiry
dates, and whether a later cycle exists are copied onto each enrolment row. Only this
module writes those columns. The apps below reporting announce a change of a source
(``courses.signals.enrolment_sources_changed``, sent by
``courses.services.refresh_reporting_facts``; a user's ``post_save``) and the
receivers here, connected in ``ReportingConfig.ready``, recompute them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from accounts.models import User
from certificates.models import Certificate
from courses.models import Enrolment
from quizzes.models import QuizAttempt


def refresh(enrolments: QuerySet[Enrolment]) -> int:
    """Recompute the reporting facts of ``enrolments`` (a queryset) from their
    sources, in one UPDATE. Returns the number of rows updated."""
    current_certificate = Certificate.objects.current().filter(enrolment=OuterRef("pk"))
    return enrolments.update(
        ministry_id=Subquery(
            User.objects.filter(pk=OuterRef("user_id")).values("ministry_id")[:1]
        ),
        quiz_passed_at=Subquery(
            QuizAttempt.objects.filter(
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
            Enrolment.objects.filter(
                user_id=OuterRef("user_id"),
                course_id=OuterRef("course_id"),
                cycle__gt=OuterRef("cycle"),
            )
        ),
    )


def enrolment_sources_changed(sender, enrolments, **kwargs) -> int:
    """Receiver of ``courses.signals.enrolment_sources_changed``."""
    return refresh(enrolments)


def officer_changed(sender, instance: User, raw=False, update_fields=None, **kwargs):
    """post_save of a user: an officer who moves to another ministry takes the
    enrolments' ministry fact along (statistics count officers where they are)."""
    if raw or (update_fields is not None and "ministry" not in update_fields):
        return
    Enrolment.objects.filter(user=instance).exclude(
        ministry_id=instance.ministry_id
    ).update(ministry_id=instance.ministry_id)
