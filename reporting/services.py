"""Rules for course assignments: a focal point asks officers of its own ministry to
complete a course by a due date, the officers are e-mailed, and reminded a week
before the due date.

Views, the assignment form, the reminder command and the tasks call these functions.
The compliance figures of an assignment are computed by ``reporting.stats``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts import access
from accounts.access import Scope
from accounts.models import Cadre, Ministry, User
from accounts.services import language_of
from core import emails
from courses import services as course_services
from courses.models import CoursePage, Enrolment, EnrolmentSource, renewable_q
from courses.services import canonical_page

from . import stats
from .models import Assignment, AssignmentAudience

logger = logging.getLogger(__name__)

# Rows per INSERT, addresses per lookup, messages per SMTP batch.
INSERT_BATCH = 1000
LOOKUP_BATCH = 1000
MAIL_BATCH = 100
REMINDER_DAYS = 7
# Addresses in one list: keeps each lookup within every database's parameter limit.
MAX_LISTED = 20_000


class AssignmentRefused(Exception):
    """The assignment cannot be made; the message says why, ``field`` names the
    form field it concerns (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AssignmentResult:
    """What an assignment did: officers newly enrolled, officers already enrolled
    who were given the due date, officers who had already completed the course, and
    the addresses of the list that are not active officers of the ministry."""

    assignment: Assignment
    enrolled: int
    redated: int
    already_completed: int
    unknown_emails: list[str] = field(default_factory=list)

    @property
    def reached(self) -> int:
        """Officers asked to complete the course (and e-mailed)."""
        return self.enrolled + self.redated


# --- Who may assign -----------------------------------------------------------------


def ministries_assignable_by(user: User) -> QuerySet[Ministry]:
    """The ministries ``user`` may assign courses to: a focal point its own
    ministry; an administrator any active ministry; anyone else none."""
    if not user.is_authenticated or not user.has_perm("reporting.add_assignment"):
        return Ministry.objects.none()
    scope = access.scope_for_user(user)
    if not scope.officer_records:
        return Ministry.objects.none()
    return scope.restrict(Ministry.objects.filter(is_active=True), "pk").order_by(
        "code"
    )


def assignable_courses() -> QuerySet[CoursePage]:
    """Courses that can be assigned: published ones."""
    return CoursePage.objects.published().order_by("title")


# --- Reading an address list --------------------------------------------------------


def normalise_emails(addresses: Iterable[str]) -> list[str]:
    """Lower-cased, stripped, without blanks and repeats, in the order given."""
    seen: dict[str, None] = {}
    for address in addresses:
        address = (address or "").strip().strip("<>\"'").strip().lower()
        if address:
            seen.setdefault(address, None)
    return list(seen)


# --- Assigning ----------------------------------------------------------------------


def _audience_officers(
    ministry: Ministry, audience: str, cadre: str | None
) -> QuerySet[User]:
    """Active, verified officers of the ministry (narrowed to a cadre)."""
    officers = stats.officer_accounts(Scope.ministry(ministry.pk))
    if audience == AssignmentAudience.CADRE:
        officers = officers.filter(cadre=cadre)
    return officers


def _officer_ids_by_email(
    ministry: Ministry, emails: Sequence[str]
) -> tuple[list[int], list[str]]:
    """The ids of the ministry's officers holding these addresses (matched without
    regard to case) and the addresses that matched none of them, whoever else may
    hold them."""
    officers = _audience_officers(ministry, AssignmentAudience.LIST, None).annotate(
        email_ci=Lower("email")
    )
    found: dict[str, int] = {}
    for start in range(0, len(emails), LOOKUP_BATCH):
        chunk = emails[start : start + LOOKUP_BATCH]
        found.update(officers.filter(email_ci__in=chunk).values_list("email_ci", "pk"))
    return list(found.values()), [e for e in emails if e not in found]


def _check(
    by: User, course: CoursePage, ministry: Ministry, audience, cadre, emails, due
) -> None:
    if not ministries_assignable_by(by).filter(pk=ministry.pk).exists():
        raise AssignmentRefused(
            _("You may assign courses only to officers of your own ministry."),
            "ministry",
        )
    if not course.live:
        raise AssignmentRefused(
            _("This course is not published, so it cannot be assigned."), "course"
        )
    if due <= timezone.localdate():
        raise AssignmentRefused(_("The due date must be in the future."), "due_date")
    if audience not in AssignmentAudience.values:
        raise AssignmentRefused(_("Choose who the course is for."), "audience")
    if audience == AssignmentAudience.CADRE and cadre not in Cadre.values:
        raise AssignmentRefused(_("Choose a cadre."), "cadre")
    if audience == AssignmentAudience.LIST and not emails:
        raise AssignmentRefused(
            _("Give at least one e-mail address, or choose another audience."),
            "emails",
        )
    if len(emails) > MAX_LISTED:
        raise AssignmentRefused(
            _(
                "The list holds %(count)s addresses; assign at most %(max)s at a "
                "time, or choose every officer or a cadre."
            )
            % {"count": len(emails), "max": MAX_LISTED},
            "emails",
        )


def assign_course(
    *,
    by: User,
    course: CoursePage,
    ministry: Ministry,
    audience: str,
    cadre: str | None = None,
    emails: Iterable[str] = (),
    due_date: date,
    message: str = "",
) -> AssignmentResult:
    """Assign ``course`` to officers of ``ministry`` (everyone, one cadre, or the
    officers holding the listed addresses), due on ``due_date``, in one transaction:

    - officers not enrolled in the course are enrolled (source "assigned"), and
      officers whose certificate for it has expired start a new cycle;
    - officers enrolled and not done are given the due date (a new reminder too);
    - officers who have completed it are linked to the assignment, so that its
      compliance counts them, unless an earlier assignment already holds them.

    The officers asked to complete the course are e-mailed once the transaction
    commits. A constant number of queries whatever the number of officers (plus one
    per thousand new enrolments or listed addresses)."""
    course = canonical_page(course)
    emails = normalise_emails(emails) if audience == AssignmentAudience.LIST else []
    _check(by, course, ministry, audience, cadre, emails, due_date)
    unknown: list[str] = []
    if audience == AssignmentAudience.LIST:
        officer_ids, unknown = _officer_ids_by_email(ministry, emails)
        targets = User.objects.filter(pk__in=officer_ids)
    else:
        targets = _audience_officers(ministry, audience, cadre)

    with transaction.atomic():
        assignment = Assignment.objects.create(
            course=course,
            ministry=ministry,
            audience=audience,
            cadre=cadre if audience == AssignmentAudience.CADRE else "",
            due_date=due_date,
            message=message.strip(),
            created_by=by,
        )
        now = timezone.now()
        in_course = Enrolment.objects.filter(
            course=course, is_latest_cycle=True, user__in=targets.values("pk")
        )
        # Officers whose certificate has expired take the course again: a new
        # cycle, by the rule that applies when they renew on their own.
        renewable = renewable_q(now)
        redated = course_services.date_open_enrolments(
            in_course, due_date=due_date, assignment_id=assignment.pk
        )
        completed = in_course.filter(completed_at__isnull=False).exclude(renewable)
        already_completed = completed.count()
        course_services.link_completed_enrolments(
            completed, due_date=due_date, assignment_id=assignment.pk
        )
        course_services.enrol_many(
            targets,
            course,
            source=EnrolmentSource.ASSIGNED,
            due_date=due_date,
            assignment_id=assignment.pk,
            now=now,
            batch_size=INSERT_BATCH,
        )
        enrolled = Enrolment.objects.filter(
            assignment=assignment, source=EnrolmentSource.ASSIGNED, enrolled_at=now
        ).count()
        log(
            assignment,
            "reporting.assign",
            user=by,
            data={
                "course": course.pk,
                "ministry": ministry.code,
                "audience": audience,
                "cadre": assignment.cadre,
                "due_date": due_date.isoformat(),
                "enrolled": enrolled,
                "redated": redated,
                "already_completed": already_completed,
                "unknown_addresses": len(unknown),
            },
        )
        if enrolled or redated:
            transaction.on_commit(partial(_enqueue_assignment_emails, assignment.pk))
    logger.info(
        "Assignment %s: %s enrolled, %s re-dated, %s already completed, "
        "%s addresses unknown",
        assignment.pk,
        enrolled,
        redated,
        already_completed,
        len(unknown),
    )
    return AssignmentResult(
        assignment=assignment,
        enrolled=enrolled,
        redated=redated,
        already_completed=already_completed,
        unknown_emails=unknown,
    )


# --- E-mails ------------------------------------------------------------------------


def _enqueue_assignment_emails(assignment_id: int) -> None:
    from .tasks import send_assignment_emails_task

    send_assignment_emails_task.enqueue(assignment_id)


def course_url(course: CoursePage) -> str:
    """The course page's address, for e-mails."""
    url = course.get_url() or ""
    if url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


class _CoursesForMail:
    """Each course as its recipient reads it: the version in the recipient's
    language (``courses.services.version_in``) and its address, looked up once per
    course and language, whatever the number of recipients."""

    def __init__(self):
        self._seen: dict[tuple[int, str], tuple[CoursePage, str]] = {}

    def __call__(self, course: CoursePage, language: str) -> tuple[CoursePage, str]:
        key = (course.pk, language)
        if key not in self._seen:
            shown = course_services.version_in(course, language)
            with translation.override(language):
                self._seen[key] = (shown, course_url(shown))
        return self._seen[key]


def _message(
    kind: str, enrolment: Enrolment, courses: _CoursesForMail
) -> EmailMultiAlternatives:
    """The ``kind`` e-mail (``emails/<kind>_*`` templates: ``assignment`` or
    ``reminder``) to the enrolment's officer, in the officer's language
    (``accounts.services.language_of``), with the course's title and address in
    that language."""
    user = enrolment.user
    language = language_of(user)
    course, url = courses(enrolment.course, language)
    assignment = enrolment.assignment
    in_arabic = language == "ar"
    ministry = assignment.ministry if assignment else None
    context = {
        "course_title": course.title,
        "due_date": enrolment.due_date,
        "message": assignment.message if assignment else "",
        "ministry_name": (
            ((ministry.name_ar if in_arabic else "") or ministry.name_en)
            if ministry
            else ""
        ),
        "url": url,
    }
    return emails.render_templated_email(
        user, f"emails/{kind}", context, language=language
    )


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send_assignment_emails(assignment_id: int) -> int:
    """E-mail every officer the assignment asks to complete the course (its
    enrolments not completed), in batches over one connection. Returns how many
    were sent (queued: with the outbox, an officer e-mailed by an earlier run of
    this fan-out, killed midway, is skipped and not counted)."""
    enrolments = (
        Enrolment.objects.filter(
            assignment_id=assignment_id,
            completed_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "course", "assignment__ministry")
        .order_by("pk")
    )
    courses = _CoursesForMail()
    sent = 0
    connection = get_connection()
    with connection:
        for batch in _batches(enrolments.iterator(chunk_size=500), MAIL_BATCH):
            messages = [_message("assignment", e, courses) for e in batch]
            for enrolment, message in zip(batch, messages, strict=True):
                message.connection = connection
                # The outbox stores each key once: a rerun sends nobody twice.
                message.idempotency_key = (
                    f"assignment:{assignment_id}:enrolment:{enrolment.pk}"
                )
            sent += connection.send_messages(messages) or 0
    logger.info("Assignment %s: %s e-mails sent", assignment_id, sent)
    return sent


# --- Reminders ----------------------------------------------------------------------


def reminders_due(
    *, days: int = REMINDER_DAYS, now: datetime | None = None
) -> QuerySet[Enrolment]:
    """Assigned enrolments not completed, due between today and ``days`` days from
    now, whose officer has not been reminded yet."""
    today = timezone.localdate(now or timezone.now())
    return Enrolment.objects.filter(
        assignment__isnull=False,
        completed_at__isnull=True,
        due_reminder_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=days),
        user__is_active=True,
    )


def send_assignment_reminders(
    *, days: int = REMINDER_DAYS, dry_run: bool = False, now: datetime | None = None
) -> int:
    """Remind each officer whose assigned course is due within ``days`` days and not
    completed, once: each enrolment is claimed with a conditional UPDATE before its
    e-mail goes, so two runs at the same time never send twice. With ``dry_run``,
    only counts. Returns how many were (or would be) sent."""
    if days < 0:
        raise ValueError("days must not be negative")
    now = now or timezone.now()
    candidates = reminders_due(days=days, now=now)
    if dry_run:
        return candidates.count()
    courses = _CoursesForMail()
    sent = 0
    connection = get_connection()
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    with connection:
        for batch_ids in _batches(ids, MAIL_BATCH):
            # A failed send rolls the batch's claims back, so a later run retries.
            with transaction.atomic():
                claimed = [
                    pk
                    for pk in batch_ids
                    if course_services.claim_due_reminder(pk, now)
                ]
                if not claimed:
                    continue
                messages = []
                for enrolment in Enrolment.objects.filter(
                    pk__in=claimed
                ).select_related("user", "course", "assignment__ministry"):
                    message = _message("reminder", enrolment, courses)
                    message.connection = connection
                    messages.append(message)
                sent += connection.send_messages(messages) or 0
    logger.info("Assignment reminders: %s sent", sent)
    return sent
