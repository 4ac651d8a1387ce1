"""Synthetic officers and their training history at national scale, for benchmarks:
the logic behind ``manage.py seed_scale``.

Everything generated is recognisable: officers' e-mail addresses start with
``seed.`` and courses' slugs with ``seed-course-``. The data is a realistic mix:
ministries of very different sizes, each with its main cadre; most officers enrolled
in most courses over the past four years; not started, in progress, completed,
quiz passed, overdue assignments; certificates valid, expired and revoked (some
re-issued); renewals (a second cycle after a certificate expired).

Rows are written in bulk (PostgreSQL ``COPY``, elsewhere ``executemany``) with ids
chosen here, so that enrolments, attempts and certificates can point to each other
without reading anything back; the id sequences are reset at the end. The
enrolments' reporting facts are written at insert time from the same values as
their sources (the officer, the attempts, the certificates, the later cycle), so
they equal what ``courses.services.refresh_reporting_facts`` computes (a test
checks it). The whole insert is one transaction: a failure leaves nothing behind.

The random choices depend only on ``seed`` and on the officers already generated;
dates are relative to the start of the current day (UTC).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Cadre, Gender, Ministry, User
from certificates.models import (
    CODE_ALPHABET,
    CODE_GROUP_SIZE,
    CODE_GROUPS,
    CODE_PREFIX,
    Certificate,
    RevocationReason,
)
from certificates.services import add_months
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    LessonPage,
)
from quizzes.models import QuizAttempt, QuizPage
from reporting.models import Assignment, AssignmentAudience

SEED_EMAIL_PREFIX = "seed."
SEED_COURSE_SLUG_PREFIX = "seed-course-"
OFFICER_NUMBER_DIGITS = 7
# Unusable, like make_password(None), without its random suffix.
UNUSABLE_PASSWORD = UNUSABLE_PASSWORD_PREFIX + "seed-scale"

# Share of officers per ministry code; a ministry not listed gets DEFAULT_WEIGHT.
MINISTRY_WEIGHTS = {
    "MOI": 40,
    "MOFA": 14,
    "PAM": 14,
    "MOSA": 12,
    "MOJ": 8,
    "PP": 6,
    "MOINF": 3,
    "SCPD": 3,
}
DEFAULT_WEIGHT = 4
MAIN_CADRE = {
    "MOI": Cadre.POLICE,
    "MOFA": Cadre.DIPLOMAT,
    "MOSA": Cadre.SHELTER_STAFF,
    "PAM": Cadre.LABOUR_INSPECTOR,
    "MOJ": Cadre.PROSECUTOR,
    "PP": Cadre.PROSECUTOR,
}
# Certificate validity of the generated courses, in months (0: no expiry), by turn.
VALIDITY_MONTHS = (24, 36, 0, 12)

# Probabilities.
P_ACTIVE = 0.98
P_VERIFIED = 0.97
P_ENROLLED = 0.97
P_NOT_STARTED = 0.14
P_IN_PROGRESS = 0.18  # the rest completes (unless "now" comes first)
P_ASSIGNED = 0.25
P_BULK = 0.05
P_FAILED_FIRST = 0.2
P_CERTIFICATE = 0.97
P_REVOKED = 0.015
P_REISSUED = 0.5  # of revoked certificates
P_RENEWED = 0.35  # of expired certificates

FIRST_NAMES = {
    Gender.FEMALE: [
        ("Noura", "نورة"),
        ("Maryam", "مريم"),
        ("Fatma", "فاطمة"),
        ("Huda", "هدى"),
        ("Dana", "دانة"),
        ("Sara", "سارة"),
        ("Latifa", "لطيفة"),
        ("Reem", "ريم"),
    ],
    Gender.MALE: [
        ("Fahad", "فهد"),
        ("Khaled", "خالد"),
        ("Abdullah", "عبدالله"),
        ("Yousef", "يوسف"),
        ("Hamad", "حمد"),
        ("Salem", "سالم"),
        ("Bader", "بدر"),
        ("Nasser", "ناصر"),
    ],
}
FAMILY_NAMES = [
    ("Al-Mutairi", "المطيري"),
    ("Al-Shammari", "الشمري"),
    ("Al-Enezi", "العنزي"),
    ("Al-Rashidi", "الرشيدي"),
    ("Al-Ajmi", "العجمي"),
    ("Al-Azmi", "العازمي"),
    ("Al-Kandari", "الكندري"),
    ("Al-Sabah", "الصباح"),
    ("Al-Hajri", "الهاجري"),
    ("Al-Dosari", "الدوسري"),
]


class SeedRefused(Exception):
    """The database holds data this generator must not mix with."""


@dataclass
class SeedTotals:
    """What one run added."""

    ministries: int = 0
    officers: int = 0
    verified: int = 0
    courses: int = 0
    courses_created: int = 0
    assignments: int = 0
    enrolments: int = 0
    renewals: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    overdue: int = 0
    lesson_completions: int = 0
    quiz_attempts: int = 0
    quiz_passed: int = 0
    certificates: int = 0
    valid: int = 0
    expired: int = 0
    revoked: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def progress_bar(total: int, label: str, stream: TextIO | OutputWrapper | None):
    """tqdm's progress bar on ``stream`` (stderr), or none when it is None."""
    if isinstance(stream, OutputWrapper):
        stream = _UnendedOutput(stream)
    return tqdm(
        total=total, desc=label, unit="officer", file=stream, disable=stream is None
    )


class _UnendedOutput:
    """A management command's ``OutputWrapper`` ends each write with a newline,
    where tqdm redraws its line in place."""

    def __init__(self, out: OutputWrapper):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


# --- Writing rows in bulk --------------------------------------------------------


class TableWriter:
    """Writes tuples of ``fields`` (attribute names) into ``model``'s table; every
    other column gets the field's constant default. PostgreSQL: COPY; elsewhere
    executemany with values prepared by the fields."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [by_attname[name] for name in fields]
        rest = [f for f in model._meta.concrete_fields if f.attname not in fields]
        for f in rest:
            if f.has_default() and callable(f.default):
                raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        self.tail = tuple(f.get_default() for f in rest)
        self.all_fields = self.fields + rest
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.all_fields)
        self.count = 0

    def write(self, rows: Sequence[tuple]) -> None:
        if not rows:
            return
        self.count += len(rows)
        tail = self.tail
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({self.columns}) FROM STDIN"  # noqa: S608
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row + tail)
                return
            fields = self.all_fields
            prepared = [
                [
                    f.get_db_prep_save(value, connection)
                    for f, value in zip(fields, row + tail, strict=True)
                ]
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})",  # noqa: S608
                prepared,
            )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- Set-up: site, ministries, courses -------------------------------------------


def generated_users():
    return User.objects.filter(email__startswith=SEED_EMAIL_PREFIX)


def foreign_user_count() -> int:
    """Users this generator did not make."""
    return User.objects.exclude(email__startswith=SEED_EMAIL_PREFIX).count()


def _ensure_home():
    from core.models import HomePage
    from demo.management.commands.load_demo import read_fixture
    from demo.site import load_site

    home = HomePage.objects.first()
    return home or load_site(read_fixture("site.json"))


def ensure_ministries() -> list[Ministry]:
    """The active ministries that have an e-mail domain; the demo ministries are
    loaded first when fewer than four exist."""
    from demo.accounts import load_ministries
    from demo.management.commands.load_demo import read_fixture

    def usable():
        return list(
            Ministry.objects.filter(is_active=True, email_domains__isnull=False)
            .distinct()
            .prefetch_related("email_domains")
            .order_by("code")
        )

    ministries = usable()
    if len(ministries) < 4:
        load_ministries(read_fixture("ministries.json"))
        ministries = usable()
    return ministries


@dataclass(frozen=True)
class SeedCourse:
    pk: int
    title: str
    validity_months: int
    lesson_ids: tuple[int, int]
    quiz_id: int
    created: bool = False


def _lesson_body(number: int, lesson: int) -> list[dict]:
    return [
        {"type": "heading", "value": {"text": f"Part {lesson}", "level": "h2"}},
        {
            "type": "paragraph",
            "value": (
                f"<p>Generated lesson {lesson} of course {number}, for benchmarks. "
                "It stands in for real training content.</p>"
            ),
        },
    ]


def ensure_courses(count: int) -> list[SeedCourse]:
    """The first ``count`` generated courses, each with two lessons and a quiz,
    under the catalogue (made under the home page when there is none)."""
    index = CourseIndexPage.objects.first()
    if index is None:
        home = _ensure_home()
        index = CourseIndexPage(title="Courses", slug="courses")
        home.add_child(instance=index)
        index.save_revision().publish()
    courses = []
    for number in range(1, count + 1):
        slug = f"{SEED_COURSE_SLUG_PREFIX}{number:02d}"
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            course = CoursePage(
                title=f"Generated course {number}",
                slug=slug,
                summary="A generated course for benchmarks.",
                learning_objectives="<ul><li>Stand in for a real course.</li></ul>",
                estimated_minutes=30,
                certificate_validity_months=VALIDITY_MONTHS[
                    (number - 1) % len(VALIDITY_MONTHS)
                ],
            )
            index.add_child(instance=course)
            course.save_revision().publish()
            for lesson in (1, 2):
                page = LessonPage(
                    title=f"Lesson {lesson}",
                    slug=f"lesson-{lesson}",
                    body=_lesson_body(number, lesson),
                )
                course.add_child(instance=page)
                page.save_revision().publish()
            quiz = QuizPage(title="Quiz", slug="quiz", pass_mark=75, max_attempts=3)
            course.add_child(instance=quiz)
            quiz.save_revision().publish()
            created = True
        else:
            created = False
        lessons = list(
            LessonPage.objects.child_of(course)
            .order_by("path")
            .values_list("pk", flat=True)[:2]
        )
        quiz = QuizPage.objects.child_of(course).first()
        if len(lessons) < 2 or quiz is None:
            raise SeedRefused(
                f"The generated course {slug!r} lacks its two lessons or its quiz; "
                "delete it or use a fresh database."
            )
        courses.append(
            SeedCourse(
                pk=course.pk,
                title=course.title,
                validity_months=course.certificate_validity_months,
                lesson_ids=(lessons[0], lessons[1]),
                quiz_id=quiz.pk,
                created=created,
            )
        )
    return courses


# --- Generation --------------------------------------------------------------------


def _certificate_code(rng: random.Random) -> str:
    chars = "".join(rng.choices(CODE_ALPHABET, k=CODE_GROUPS * CODE_GROUP_SIZE))
    groups = [
        chars[i : i + CODE_GROUP_SIZE] for i in range(0, len(chars), CODE_GROUP_SIZE)
    ]
    return "-".join([CODE_PREFIX, *groups])


@dataclass
class _Officer:
    pk: int
    ministry: Ministry
    name_en: str
    name_ar: str
    joined: datetime
    gender: str


class _Generator:
    """Produces the rows of one batch of officers."""

    USER_FIELDS = (
        "id",
        "password",
        "is_superuser",
        "is_staff",
        "is_active",
        "date_joined",
        "email",
        "full_name_en",
        "full_name_ar",
        "ministry_id",
        "cadre",
        "gender",
        "job_title",
        "employee_number",
    )
    EMAIL_FIELDS = ("id", "user_id", "email", "verified", "primary")
    ASSIGNMENT_FIELDS = (
        "id",
        "course_id",
        "ministry_id",
        "audience",
        "cadre",
        "due_date",
        "message",
        "created_at",
    )
    ENROLMENT_FIELDS = (
        "id",
        "user_id",
        "course_id",
        "source",
        "cycle",
        "enrolled_at",
        "started_at",
        "completed_at",
        "due_date",
        "last_lesson_id",
        "lessons_at_completion",
        "assignment_id",
        "ministry_id",
        "quiz_passed_at",
        "certificate_issued_at",
        "certificate_expires_at",
        "is_latest_cycle",
    )
    LESSON_FIELDS = ("id", "enrolment_id", "lesson_id", "completed_at")
    ATTEMPT_FIELDS = (
        "id",
        "user_id",
        "quiz_id",
        "enrolment_id",
        "number",
        "status",
        "started_at",
        "submitted_at",
        "points",
        "max_points",
        "percent",
        "passed",
        "pass_mark",
        "partial_credit",
    )
    CERTIFICATE_FIELDS = (
        "id",
        "code",
        "user_id",
        "course_id",
        "enrolment_id",
        "name_en",
        "name_ar",
        "course_title",
        "course_title_ar",
        "gender",
        "ministry_en",
        "ministry_ar",
        "score",
        "issued_at",
        "expires_at",
        "revoked_at",
        "revocation_reason",
        "revocation_note",
        "superseded_by_id",
    )

    def __init__(
        self,
        rng: random.Random,
        ministries: list[Ministry],
        courses: list[SeedCourse],
        now: datetime,
        totals: SeedTotals,
    ):
        self.rng = rng
        self.ministries = ministries
        self.weights = [
            MINISTRY_WEIGHTS.get(m.code, DEFAULT_WEIGHT) for m in ministries
        ]
        self.domains = {m.pk: m.email_domains.all()[0].domain for m in ministries}
        self.courses = courses
        self.now = now
        self.today = now.date()
        self.totals = totals
        self.writers = {
            "users": TableWriter(User, self.USER_FIELDS),
            "emails": TableWriter(EmailAddress, self.EMAIL_FIELDS),
            "assignments": TableWriter(Assignment, self.ASSIGNMENT_FIELDS),
            "enrolments": TableWriter(Enrolment, self.ENROLMENT_FIELDS),
            "lessons": TableWriter(LessonCompletion, self.LESSON_FIELDS),
            "attempts": TableWriter(QuizAttempt, self.ATTEMPT_FIELDS),
            "certificates": TableWriter(Certificate, self.CERTIFICATE_FIELDS),
        }
        self.next_ids = {
            "users": _next_id(User),
            "emails": _next_id(EmailAddress),
            "assignments": _next_id(Assignment),
            "enrolments": _next_id(Enrolment),
            "lessons": _next_id(LessonCompletion),
            "attempts": _next_id(QuizAttempt),
        }
        self.assignments: dict[tuple[int, int, int], tuple[int, date]] = {}
        self.history_start = now - timedelta(days=round(4.5 * 365))
        self._last_percent = Decimal(0)
        # Rare outcomes that even a small run shows: the first chance of each is
        # taken whatever the dice say.
        self.pending = {"revoked", "reissued", "renewed"}

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _moment(self, start: datetime, end: datetime) -> datetime:
        span = (end - start).total_seconds()
        return start + timedelta(seconds=int(self.rng.random() * max(span, 0)))

    def batch(self, numbers: range) -> None:
        rows: dict[str, list[tuple]] = {name: [] for name in self.writers}
        for number in numbers:
            officer = self._officer(number, rows)
            for course in self.courses:
                if self.rng.random() < P_ENROLLED:
                    self._enrolments(officer, course, rows)
        # Referenced rows first (the foreign keys are checked as rows arrive on
        # some databases).
        for name in (
            "users",
            "emails",
            "assignments",
            "enrolments",
            "lessons",
            "attempts",
            "certificates",
        ):
            self.writers[name].write(rows[name])

    def _officer(self, number: int, rows) -> _Officer:
        rng = self.rng
        ministry = rng.choices(self.ministries, self.weights)[0]
        main = MAIN_CADRE.get(ministry.code, Cadre.OTHER)
        cadre = main if rng.random() < 0.8 else rng.choice(Cadre.values)
        roll = rng.random()
        gender = (
            Gender.FEMALE
            if roll < 0.38
            else Gender.MALE
            if roll < 0.95
            else Gender.UNDISCLOSED
        )
        names = FIRST_NAMES[
            gender if gender != Gender.UNDISCLOSED else rng.choice(list(FIRST_NAMES))
        ]
        first_en, first_ar = rng.choice(names)
        family_en, family_ar = rng.choice(FAMILY_NAMES)
        pk = self._id("users")
        email = (
            f"{SEED_EMAIL_PREFIX}{number:0{OFFICER_NUMBER_DIGITS}d}"
            f"@{self.domains[ministry.pk]}"
        )
        joined = self._moment(self.history_start, self.now - timedelta(days=30))
        active = rng.random() < P_ACTIVE
        verified = rng.random() < P_VERIFIED
        rows["users"].append(
            (
                pk,
                UNUSABLE_PASSWORD,
                False,
                False,
                active,
                joined,
                email,
                f"{first_en} {family_en}",
                f"{first_ar} {family_ar}",
                ministry.pk,
                cadre,
                gender,
                "Officer",
                f"S{number:0{OFFICER_NUMBER_DIGITS}d}",
            )
        )
        rows["emails"].append((self._id("emails"), pk, email, verified, True))
        self.totals.officers += 1
        self.totals.verified += verified
        return _Officer(
            pk,
            ministry,
            f"{first_en} {family_en}",
            f"{first_ar} {family_ar}",
            joined,
            gender,
        )

    def _assignment(self, officer: _Officer, course: SeedCourse, at: datetime, rows):
        """One assignment per ministry, course and quarter, due two months after
        the quarter ends."""
        quarter = (at.year, (at.month - 1) // 3)
        key = (officer.ministry.pk, course.pk, quarter[0] * 4 + quarter[1])
        found = self.assignments.get(key)
        if found is None:
            start = datetime(quarter[0], quarter[1] * 3 + 1, 1, tzinfo=UTC)
            end = add_months(start, 3)
            due = (end + timedelta(days=60)).date()
            found = (self._id("assignments"), due)
            self.assignments[key] = found
            rows["assignments"].append(
                (
                    found[0],
                    course.pk,
                    officer.ministry.pk,
                    AssignmentAudience.EVERYONE,
                    "",
                    due,
                    "",
                    max(start, self.history_start),
                )
            )
            self.totals.assignments += 1
        return found

    def _enrolments(self, officer: _Officer, course: SeedCourse, rows) -> None:
        enrolled_at = self._moment(officer.joined, self.now - timedelta(hours=1))
        # Shared by the cycles: attempt numbers run on per officer and quiz, and
        # the quiz-passed fact is the first pass in any cycle.
        history = {"attempts": 0, "first_pass": None}
        first = self._cycle(officer, course, 1, enrolled_at, history, rows)
        expires = first.get("current_expires")
        if expires is not None and expires <= self.now:
            renew = self.rng.random() < P_RENEWED or "renewed" in self.pending
            renewal_at = self._moment(expires, expires + timedelta(days=90))
            if renew and renewal_at < self.now:
                self.pending.discard("renewed")
                rows["enrolments"][first["row_index"]] = rows["enrolments"][
                    first["row_index"]
                ][:-1] + (False,)
                self._cycle(officer, course, 2, renewal_at, history, rows)
                self.totals.renewals += 1

    def _cycle(
        self,
        officer: _Officer,
        course: SeedCourse,
        cycle: int,
        enrolled_at: datetime,
        history: dict,
        rows,
    ) -> dict:
        rng, now, totals = self.rng, self.now, self.totals
        pk = self._id("enrolments")
        source, due_date, assignment_id = EnrolmentSource.SELF, None, None
        roll = rng.random()
        if cycle == 1 and roll < P_ASSIGNED:
            source = EnrolmentSource.ASSIGNED
            assignment_id, due_date = self._assignment(
                officer, course, enrolled_at, rows
            )
        elif cycle == 1 and roll < P_ASSIGNED + P_BULK:
            source = EnrolmentSource.BULK
        started_at = completed_at = last_lesson = None
        lessons_at_completion = None
        issued = expires = None
        roll = rng.random()
        if roll >= P_NOT_STARTED:
            started_at = self._moment(enrolled_at, enrolled_at + timedelta(days=20))
            if started_at > now:
                started_at = None
        if started_at is not None:
            wants_completion = roll >= P_NOT_STARTED + P_IN_PROGRESS
            lesson_times = [started_at]
            lesson_times.append(
                self._moment(started_at, started_at + timedelta(days=5))
            )
            if not wants_completion:
                lesson_times = lesson_times[: rng.choice((1, 1, 2))]
            lesson_times = [t for t in lesson_times if t <= now]
            for lesson_id, at in zip(course.lesson_ids, lesson_times, strict=False):
                rows["lessons"].append((self._id("lessons"), pk, lesson_id, at))
                last_lesson = lesson_id
            totals.lesson_completions += len(lesson_times)
            quiz_from = lesson_times[-1]
            if len(lesson_times) == 2 and (wants_completion or rng.random() < 0.3):
                # A failed attempt first, sometimes; then a pass when completing.
                if not wants_completion or rng.random() < P_FAILED_FIRST:
                    at = self._moment(quiz_from, quiz_from + timedelta(days=2))
                    if at <= now:
                        self._attempt(officer, course, pk, at, False, history, rows)
                        quiz_from = at
                if wants_completion:
                    at = self._moment(quiz_from, quiz_from + timedelta(days=2))
                    if at <= now:
                        self._attempt(officer, course, pk, at, True, history, rows)
                        completed_at = at
                        if history["first_pass"] is None:
                            history["first_pass"] = at
                        lessons_at_completion = 2
        if completed_at is not None:
            issued, expires = self._certificates(
                officer, course, pk, completed_at, rows
            )
        if completed_at is None and due_date is not None and due_date < self.today:
            totals.overdue += 1
        if started_at is None:
            totals.not_started += 1
        elif completed_at is None:
            totals.in_progress += 1
        else:
            totals.completed += 1
            totals.quiz_passed += 1
        rows["enrolments"].append(
            (
                pk,
                officer.pk,
                course.pk,
                source,
                cycle,
                enrolled_at,
                started_at,
                completed_at,
                due_date,
                last_lesson,
                lessons_at_completion,
                assignment_id,
                officer.ministry.pk,
                history["first_pass"],
                issued,
                expires,
                True,
            )
        )
        totals.enrolments += 1
        return {"row_index": len(rows["enrolments"]) - 1, "current_expires": expires}

    def _attempt(self, officer, course, enrolment_id, at, passed, history, rows):
        history["attempts"] += 1
        percent = Decimal(self.rng.choice((75, 100) if passed else (25, 50)))
        rows["attempts"].append(
            (
                self._id("attempts"),
                officer.pk,
                course.quiz_id,
                enrolment_id,
                history["attempts"],
                "scored",
                at - timedelta(minutes=self.rng.randint(3, 20)),
                at,
                percent * 4 / 100,
                Decimal(4),
                percent,
                passed,
                75,
                False,
            )
        )
        self.totals.quiz_attempts += 1
        self._last_percent = percent

    def _certificates(self, officer, course, enrolment_id, completed_at, rows):
        """The certificate(s) of a completed enrolment; returns the current one's
        issue and expiry dates (None, None when there is none)."""
        rng, now = self.rng, self.now
        if rng.random() >= P_CERTIFICATE:
            return None, None
        issued = completed_at + timedelta(seconds=rng.randint(1, 120))
        if issued > now:
            return None, None
        certificates = [[issued, None, ""]]  # issued, revoked, reason
        revoke = rng.random() < P_REVOKED
        reissue = rng.random() < P_REISSUED
        revoked = self._moment(issued, issued + timedelta(days=60))
        reason = rng.choice((RevocationReason.ERROR, RevocationReason.MISCONDUCT))
        if "revoked" in self.pending or "reissued" in self.pending:
            revoke, reissue = True, "revoked" not in self.pending
        if revoke and revoked <= now:
            self.pending.discard("reissued" if reissue else "revoked")
            certificates[0][1:] = [revoked, reason]
            if reissue:
                certificates[0][2] = RevocationReason.SUPERSEDED
                certificates.append([revoked, None, ""])
        ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in certificates]
        current = (None, None)
        # The re-issued certificate first: the revoked one points to it.
        for position in reversed(range(len(certificates))):
            at, revoked_at, reason = certificates[position]
            expires = (
                add_months(at, course.validity_months)
                if course.validity_months
                else None
            )
            superseded_by = (
                ids[position + 1] if reason == RevocationReason.SUPERSEDED else None
            )
            rows["certificates"].append(
                (
                    ids[position],
                    _certificate_code(rng),
                    officer.pk,
                    course.pk,
                    enrolment_id,
                    officer.name_en,
                    officer.name_ar,
                    course.title,
                    # Generated courses have no Arabic translation.
                    "",
                    officer.gender,
                    officer.ministry.name_en,
                    officer.ministry.name_ar,
                    self._last_percent,
                    at,
                    expires,
                    revoked_at,
                    reason,
                    "Generated." if revoked_at else "",
                    superseded_by,
                )
            )
            self.totals.certificates += 1
            if revoked_at is not None:
                self.totals.revoked += 1
            else:
                current = (at, expires)
                if expires is not None and expires <= now:
                    self.totals.expired += 1
                else:
                    self.totals.valid += 1
        return current


def seed_scale(
    *,
    officers: int,
    courses: int,
    seed: int = 1,
    batch_size: int = 5000,
    force: bool = False,
    progress: TextIO | None = sys.stderr,
) -> SeedTotals:
    """Add ``officers`` generated officers and their history in ``courses``
    generated courses. Refused (SeedRefused) when the database holds users this
    generator did not make, unless ``force``."""
    if officers < 1:
        raise ValueError("officers must be at least 1")
    if courses < 1:
        raise ValueError("courses must be at least 1")
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    foreign = foreign_user_count()
    if foreign and not force:
        raise SeedRefused(
            f"The database holds {foreign} user(s) that seed_scale did not generate "
            f"(generated officers' e-mail addresses start with {SEED_EMAIL_PREFIX!r}). "
            "Use an empty database, or --force to add generated data beside them."
        )
    totals = SeedTotals()
    clock = time.monotonic()
    ministries = ensure_ministries()
    if not ministries:
        raise SeedRefused("No active ministry with an e-mail domain to place officers.")
    course_list = ensure_courses(courses)
    totals.ministries = len(ministries)
    totals.courses = len(course_list)
    totals.courses_created = sum(c.created for c in course_list)
    totals.timings["site and courses"] = time.monotonic() - clock

    last = (
        generated_users()
        .filter(email__regex=rf"^seed\.[0-9]{{{OFFICER_NUMBER_DIGITS}}}@")
        .aggregate(m=Max("email"))["m"]
    )
    first_number = int(last[len(SEED_EMAIL_PREFIX) :].split("@")[0]) + 1 if last else 1
    rng = random.Random(f"tadreeb-seed-scale:{seed}:{first_number}")  # noqa: S311
    midnight = (
        timezone.now()
        .astimezone(UTC)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    clock = time.monotonic()
    bar = progress_bar(officers, "seed_scale: officers", progress)
    with transaction.atomic():
        generator = _Generator(rng, ministries, course_list, midnight, totals)
        for start in range(first_number, first_number + officers, batch_size):
            end = min(start + batch_size, first_number + officers)
            generator.batch(range(start, end))
            bar.update(end - start)
        _reset_sequences(SEEDED_MODELS)  # Certificate's UUID key has none
    bar.close()
    totals.timings["officers and history"] = time.monotonic() - clock
    if connection.vendor == "postgresql":
        clock = time.monotonic()
        analyse_tables()
        totals.timings["vacuum analyze"] = time.monotonic() - clock
    return totals


SEEDED_MODELS = (
    User,
    EmailAddress,
    Assignment,
    Enrolment,
    LessonCompletion,
    QuizAttempt,
    Certificate,
)


def analyse_tables() -> None:
    """VACUUM ANALYZE the tables written (PostgreSQL): fresh statistics for the
    planner, and a visibility map so that index-only scans skip the heap. Inside a
    transaction (a test), where VACUUM cannot run, only ANALYZE."""
    quote = connection.ops.quote_name
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in SEEDED_MODELS:
            cursor.execute(f"{command} {quote(model._meta.db_table)}")
