"""Every completion number the portal shows or exports is computed here, and only here.

The admin reports, the dashboard chart, the REST API and the CSV/XLSX exports all call
these functions; the definitions are written out in README.md ("Statistics") and the
two are kept in step.

The unit is an officer and a course: the officer's latest enrolment cycle in that
course (``Enrolment.is_latest_cycle``). A later cycle exists only once a certificate
has expired, so an officer in a later cycle has completed the course before. Every
figure is counted by the database from the enrolment table and its reporting facts
(ministry, quiz passed, current certificate), with a fixed number of queries whatever
the amount of data.

Who sees what is a ``Scope``, decided by ``accounts.access`` (the one rule for users
and tokens); every function here takes one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.access import Scope
from accounts.models import Cadre, Gender, Ministry, User
from certificates.models import Certificate, CertificateState
from courses.models import (
    CoursePage,
    Enrolment,
    certificate_expired_q,
    certified_q,
    overdue_q,
)
from quizzes.models import QuizAttempt

# --- Filters and grouping -----------------------------------------------------------

GROUP_FIELDS: tuple[str, ...] = ("ministry", "course", "cadre", "gender", "year")


class DateBasis:
    """Which date a date range applies to."""

    COMPLETED = "completed"
    ISSUED = "issued"
    CHOICES = (
        (COMPLETED, _("Completion date")),
        (ISSUED, _("Certificate issue date")),
    )
    VALUES = (COMPLETED, ISSUED)


# Dates a range may name: wide enough for any record, narrow enough that a day's
# start in local time and the day after the end stay within Python's calendar.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def date_out_of_range(day: date | datetime | None) -> bool:
    if isinstance(day, datetime):
        day = day.date()
    return day is not None and not EARLIEST_DATE <= day <= LATEST_DATE


class DateRangeError(ValueError):
    """A date range the statistics refuse. ``bound`` says which end is at fault
    ("start" or "end"); ``message`` is the one message the admin reports and the
    API both show."""

    def __init__(self, message, bound: str):
        super().__init__(str(message))
        self.message = message
        self.bound = bound


DATE_OUT_OF_RANGE_MESSAGE = _("Give dates between 1900-01-01 and 2999-12-31.")
DATE_ORDER_MESSAGE = _("The start date is after the end date.")


def check_date_range(date_from: date | None, date_to: date | None) -> None:
    """The one date-range rule of the statistics (inclusive local days, each within
    the calendar above, the start not after the end). Raises DateRangeError."""
    if date_out_of_range(date_from):
        raise DateRangeError(DATE_OUT_OF_RANGE_MESSAGE, "start")
    if date_out_of_range(date_to):
        raise DateRangeError(DATE_OUT_OF_RANGE_MESSAGE, "end")
    if date_from and date_to and date_from > date_to:
        raise DateRangeError(DATE_ORDER_MESSAGE, "start")


@dataclass(frozen=True)
class StatsFilter:
    """Narrows the rows counted. Ids, not objects; dates are inclusive local days."""

    ministry: int | None = None
    course: int | None = None
    cadre: str | None = None
    gender: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    date_basis: str = DateBasis.COMPLETED

    def __post_init__(self):
        if self.cadre is not None and self.cadre not in Cadre.values:
            raise ValueError(f"unknown cadre {self.cadre!r}")
        if self.gender is not None and self.gender not in Gender.values:
            raise ValueError(f"unknown gender {self.gender!r}")
        if self.date_basis not in DateBasis.VALUES:
            raise ValueError(f"unknown date basis {self.date_basis!r}")
        check_date_range(self.date_from, self.date_to)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _date_range_q(field_name: str, date_from: date | None, date_to: date | None) -> Q:
    q = Q()
    if date_from:
        q &= Q(**{f"{field_name}__gte": _day_start(date_from)})
    if date_to:
        q &= Q(**{f"{field_name}__lt": _day_start(date_to + timedelta(days=1))})
    return q


def _enrolments(scope: Scope, filters: StatsFilter, *, latest_only: bool = True):
    # Officers belong to a ministry; staff without one who tried a course are not
    # counted anywhere.
    queryset = Enrolment.objects.order_by().filter(ministry__isnull=False)
    if latest_only:
        queryset = queryset.filter(is_latest_cycle=True)
    queryset = scope.restrict(queryset)
    if scope.is_empty:
        return queryset.none()
    if filters.ministry is not None:
        queryset = queryset.filter(ministry_id=filters.ministry)
    if filters.course is not None:
        queryset = queryset.filter(course_id=filters.course)
    if filters.cadre:
        queryset = queryset.filter(user__cadre=filters.cadre)
    if filters.gender:
        queryset = queryset.filter(user__gender=filters.gender)
    if filters.date_from or filters.date_to:
        basis = (
            "completed_at"
            if filters.date_basis == DateBasis.COMPLETED
            else "certificate_issued_at"
        )
        queryset = queryset.filter(
            _date_range_q(basis, filters.date_from, filters.date_to)
        )
    return queryset


# The expressions behind each status, on an enrolment row (latest cycle).
def _status_q(now: datetime, today: date) -> dict[str, Q]:
    renewed = Q(cycle__gt=1)
    has_certificate = Q(certificate_issued_at__isnull=False)
    return {
        "started": Q(started_at__isnull=False) | renewed,
        "completed": Q(completed_at__isnull=False) | renewed,
        "passed_quiz": Q(quiz_passed_at__isnull=False),
        "certified": certified_q(now),
        "expired": certificate_expired_q(now) | (renewed & ~has_certificate),
        "overdue": overdue_q(today),
    }


def _group_values(group_by: Sequence[str]) -> dict:
    expressions = {
        "ministry": F("ministry_id"),
        "course": F("course_id"),
        "cadre": F("user__cadre"),
        "gender": F("user__gender"),
        "year": ExtractYear("enrolled_at"),
    }
    return {f"g_{name}": expressions[name] for name in group_by}


def parse_group_by(raw: str | Iterable[str]) -> tuple[str, ...]:
    """``"ministry,course"`` → ("ministry", "course"), in the canonical order.
    Raises ValueError naming an unknown field."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names = [p.strip() for p in parts if p and p.strip()]
    for name in names:
        if name not in GROUP_FIELDS:
            raise ValueError(f"unknown group {name!r}")
    return tuple(name for name in GROUP_FIELDS if name in names)


# --- Completion ---------------------------------------------------------------------


def _percent(numerator: int, denominator: int | None) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class CompletionRow:
    """One group of a completion table. Grouping fields that were not asked for are
    None; so are ``officers`` and ``coverage`` when they have no meaning for the
    grouping (coverage needs a course; neither depends on the enrolment year)."""

    ministry_id: int | None
    ministry_code: str | None
    ministry_name: str | None
    course_id: int | None
    course_title: str | None
    cadre: str | None
    gender: str | None
    year: int | None
    officers: int | None
    enrolled: int
    started: int
    completed: int
    passed_quiz: int
    certified: int
    expired: int
    overdue: int
    certified_officers: int = 0

    @property
    def completion_rate(self) -> Decimal | None:
        """Completed / enrolled, in percent (one decimal)."""
        return _percent(self.completed, self.enrolled)

    @property
    def coverage(self) -> Decimal | None:
        """Active officers holding a valid certificate for the course / active,
        verified officers of the group, in percent; None without a course."""
        if self.officers is None or self.course_id is None:
            return None
        return _percent(self.certified_officers, self.officers)

    @property
    def cadre_label(self) -> str | None:
        return str(Cadre(self.cadre).label) if self.cadre in Cadre.values else None

    @property
    def gender_label(self) -> str | None:
        return str(Gender(self.gender).label) if self.gender in Gender.values else None


COUNT_FIELDS: tuple[str, ...] = (
    "enrolled",
    "started",
    "completed",
    "passed_quiz",
    "certified",
    "expired",
    "overdue",
)


def officer_accounts(scope: Scope) -> QuerySet[User]:
    """Officers in the statistical sense: active users with a verified e-mail
    address who belong to a ministry in ``scope``."""
    users = User.objects.order_by().filter(is_active=True, ministry__isnull=False)
    users = scope.restrict(users)
    if scope.is_empty:
        return users.none()
    return users.filter(
        Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True))
    )


def _officer_counts(
    scope: Scope, group_by: Sequence[str], filters: StatsFilter
) -> dict[tuple, int]:
    keys = [name for name in group_by if name in ("ministry", "cadre", "gender")]
    users = officer_accounts(scope)
    if filters.ministry is not None:
        users = users.filter(ministry_id=filters.ministry)
    if filters.cadre:
        users = users.filter(cadre=filters.cadre)
    if filters.gender:
        users = users.filter(gender=filters.gender)
    columns = {"ministry": "ministry_id", "cadre": "cadre", "gender": "gender"}
    values = [columns[k] for k in keys]
    if not values:
        return {(): users.count()}
    return {
        tuple(row[c] for c in values): row["n"]
        for row in users.values(*values).annotate(n=Count("pk"))
    }


@dataclass(frozen=True)
class MinistryName:
    code: str
    name_en: str


def _names(
    ministry_ids: set, course_ids: set
) -> tuple[dict[int, MinistryName], dict[int, str]]:
    """The codes and names of ministries and titles of courses, in one query, in
    the reader's language: on the Arabic pages a ministry's Arabic name and the
    title of the course's live Arabic translation (English where there is none).
    ``MinistryName.name_en`` keeps its name for the callers; it holds the name to
    show."""
    if not ministry_ids and not course_ids:
        return {}, {}
    arabic = (translation.get_language() or "").split("-")[0] == "ar"
    ministry_name = (
        Coalesce(NullIf("name_ar", Value("")), "name_en") if arabic else F("name_en")
    )
    course_title = (
        Coalesce(
            Subquery(
                Page.objects.filter(
                    translation_key=OuterRef("translation_key"),
                    locale__language_code="ar",
                    live=True,
                    alias_of__isnull=True,
                ).values("title")[:1]
            ),
            "title",
        )
        if arabic
        else F("title")
    )
    ministries = (
        Ministry.objects.filter(pk__in=ministry_ids)
        .order_by()
        .annotate(shown=ministry_name)
        .values_list(Value("m"), "pk", "code", "shown")
    )
    courses = (
        CoursePage.objects.filter(pk__in=course_ids)
        .order_by()
        .annotate(shown=course_title)
        .values_list(Value("c"), "pk", Value(""), "shown")
    )
    names: tuple[dict, dict] = ({}, {})
    for kind, pk, code, name in ministries.union(courses, all=True):
        if kind == "m":
            names[0][pk] = MinistryName(code=code, name_en=name)
        else:
            names[1][pk] = name
    return names


def completion(
    scope: Scope,
    group_by: Sequence[str] = ("ministry", "course"),
    filters: StatsFilter | None = None,
    *,
    now: datetime | None = None,
) -> list[CompletionRow]:
    """The completion table, one row per group that has enrolments, ordered by the
    grouping fields. At most three queries: the counts, the officers, the names."""
    filters = filters or StatsFilter()
    group_by = parse_group_by(group_by)
    now = now or timezone.now()
    today = timezone.localdate(now)
    status = _status_q(now, today)
    group_values = _group_values(group_by)
    # No join to the users table unless a grouping or filter needs one: one
    # ministry's table is then an index-only scan (PostgreSQL).
    aggregates = {"enrolled": Count("pk")}
    aggregates |= {name: Count("pk", filter=q) for name, q in status.items()}
    with_course = "course" in group_by or filters.course is not None
    if with_course:
        # Active officers: not among the (few) inactive users, a hashed subplan.
        inactive = User.objects.filter(is_active=False).values("pk")
        aggregates["certified_officers"] = Count(
            "pk", filter=status["certified"] & ~Q(user__in=inactive)
        )
    queryset = _enrolments(scope, filters)
    if group_values:
        rows = list(
            queryset.values(**group_values)
            .annotate(**aggregates)
            .order_by(*group_values.keys())
        )
    else:
        rows = [queryset.aggregate(**aggregates)]
        if not rows[0]["enrolled"]:
            rows = []
    officers = (
        _officer_counts(scope, group_by, filters) if "year" not in group_by else None
    )
    ministries, courses = _names(
        {r.get("g_ministry") for r in rows} - {None},
        {r.get("g_course") for r in rows} - {None},
    )
    result = []
    for row in rows:
        ministry = ministries.get(row.get("g_ministry"))
        officer_key = tuple(
            row[f"g_{k}"] for k in group_by if k in ("ministry", "cadre", "gender")
        )
        result.append(
            CompletionRow(
                ministry_id=row.get("g_ministry"),
                ministry_code=ministry.code if ministry else None,
                ministry_name=ministry.name_en if ministry else None,
                course_id=row.get("g_course") or filters.course,
                course_title=courses.get(row.get("g_course")),
                cadre=row.get("g_cadre"),
                gender=row.get("g_gender"),
                year=row.get("g_year"),
                officers=None if officers is None else officers.get(officer_key, 0),
                certified_officers=row.get("certified_officers", 0),
                **{name: row[name] or 0 for name in COUNT_FIELDS},
            )
        )
    return result


# --- Officials trained per year -------------------------------------------------


@dataclass(frozen=True)
class TrainedPerYearRow:
    """Distinct officers of one ministry (or of all, when ``ministry_id`` is None)
    who completed at least one course in ``year``, with breakdowns."""

    year: int
    ministry_id: int | None
    ministry_code: str | None
    ministry_name: str | None
    officers: int
    by_gender: dict[str, int] = field(default_factory=dict)
    by_cadre: dict[str, int] = field(default_factory=dict)

    @property
    def female(self) -> int:
        return self.by_gender.get(Gender.FEMALE, 0)

    @property
    def male(self) -> int:
        return self.by_gender.get(Gender.MALE, 0)

    @property
    def undisclosed(self) -> int:
        return self.by_gender.get(Gender.UNDISCLOSED, 0)


def _distinct_officers(enrolments: QuerySet[Enrolment]) -> list[dict]:
    """Distinct officers per completion year, ministry, gender and cadre, as dicts
    (year, m, gender, cadre, n). The distinct (year, ministry, officer) triples are
    taken first and joined to the users table once, which is much cheaper than a
    COUNT(DISTINCT) over every completed enrolment joined to its user; the numbers
    are the same since an officer has one gender and one cadre. One query."""
    triples = enrolments.values(
        year=ExtractYear("completed_at"), m=F("ministry_id"), u=F("user_id")
    ).distinct()
    try:
        inner, params = triples.query.sql_with_params()
    except EmptyResultSet:
        return []
    connection = connections[triples.db]
    q = connection.ops.quote_name
    user = {
        name: q(User._meta.get_field(name).column) for name in ("id", "gender", "cadre")
    }
    columns = f"d.{q('year')}, d.{q('m')}, o.{user['gender']}, o.{user['cadre']}"
    join = f"{q(User._meta.db_table)} o ON o.{user['id']} = d.{q('u')}"
    # Only quoted identifiers and Django's own compiled SQL; values are parameters.
    sql = f"SELECT {columns}, COUNT(*) FROM ({inner}) d"  # noqa: S608
    sql += f" INNER JOIN {join} GROUP BY 1, 2, 3, 4"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"year": int(year), "m": m, "gender": gender, "cadre": cadre, "n": n}
            for year, m, gender, cadre, n in cursor.fetchall()
        ]


def trained_per_year(
    scope: Scope, filters: StatsFilter | None = None
) -> list[TrainedPerYearRow]:
    """ "Officials trained per year": for each year (local calendar), the distinct
    officers who completed at least one course that year, per ministry, with gender
    and cadre breakdowns; plus a row for all ministries together (``ministry_id``
    None) when the scope is national. Every cycle counts: an officer who renews a
    certificate is trained again that year. Two queries."""
    filters = filters or StatsFilter()
    undated = StatsFilter(**{**filters.__dict__, "date_from": None, "date_to": None})
    queryset = _enrolments(scope, undated, latest_only=False).filter(
        Q(completed_at__isnull=False)
        & _date_range_q("completed_at", filters.date_from, filters.date_to)
    )
    # Each officer has one ministry, gender and cadre, so the distinct counts of
    # these fine groups add up exactly to the coarser ones.
    rows = _distinct_officers(queryset)
    officers: dict[tuple, int] = defaultdict(int)
    by_gender: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_cadre: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with_total = scope.is_national and filters.ministry is None
    for row in rows:
        keys = [(row["year"], row["m"])] + ([(row["year"], None)] if with_total else [])
        for key in keys:
            officers[key] += row["n"]
            by_gender[key][row["gender"]] += row["n"]
            by_cadre[key][row["cadre"]] += row["n"]
    ministries, _courses = _names({k[1] for k in officers} - {None}, set())
    result = []
    for (year, ministry_id), count in officers.items():
        ministry = ministries.get(ministry_id)
        result.append(
            TrainedPerYearRow(
                year=year,
                ministry_id=ministry_id,
                ministry_code=ministry.code if ministry else None,
                ministry_name=ministry.name_en if ministry else None,
                officers=count,
                by_gender=dict(by_gender[(year, ministry_id)]),
                by_cadre=dict(by_cadre[(year, ministry_id)]),
            )
        )
    # Newest year first; within a year the national total first, then by code.
    result.sort(
        key=lambda r: (-r.year, r.ministry_id is not None, r.ministry_code or "")
    )
    return result


# --- Officer records ---------------------------------------------------------------


class RecordStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    LABELS = {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        OVERDUE: _("Overdue"),
        COMPLETED: _("Completed"),
    }


class RecordCertificateState:
    """The state of the certificate an officer record shows: a
    ``certificates.models.CertificateState``, or none yet. A record shows its
    current certificate (valid or expired), else a revoked one; a superseded one
    always has a current replacement."""

    NONE = ""
    VALID = CertificateState.VALID.value
    EXPIRED = CertificateState.EXPIRED.value
    REVOKED = CertificateState.REVOKED.value
    LABELS = {
        NONE: "",
        VALID: CertificateState.VALID.label,
        EXPIRED: CertificateState.EXPIRED.label,
        REVOKED: CertificateState.REVOKED.label,
    }


def officer_records(
    scope: Scope, filters: StatsFilter | None = None, *, now: datetime | None = None
) -> QuerySet[Enrolment]:
    """One row per officer and course (latest cycle), for focal points and the
    committee only: the officer, ministry, course, status, dates, best score, and the
    latest certificate's code and state. Annotated, so a listing is one query."""
    if not scope.officer_records:
        return Enrolment.objects.none()
    filters = filters or StatsFilter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    status = _status_q(now, today)
    latest_certificate = Certificate.objects.filter(enrolment=OuterRef("pk")).order_by(
        "-issued_at"
    )
    return (
        _enrolments(scope, filters)
        .select_related("user", "course", "ministry")
        .annotate(
            record_status=Case(
                When(status["completed"], then=Value(RecordStatus.COMPLETED)),
                When(status["overdue"], then=Value(RecordStatus.OVERDUE)),
                When(status["started"], then=Value(RecordStatus.IN_PROGRESS)),
                default=Value(RecordStatus.NOT_STARTED),
                output_field=CharField(),
            ),
            best_score=Subquery(
                QuizAttempt.objects.filter(
                    enrolment=OuterRef("pk"), passed__isnull=False
                )
                .order_by()
                .values("enrolment")
                .annotate(best=Max("percent"))
                .values("best")[:1]
            ),
            certificate_code=Subquery(latest_certificate.values("code")[:1]),
            certificate_state=Case(
                When(status["certified"], then=Value(RecordCertificateState.VALID)),
                When(
                    Q(certificate_issued_at__isnull=False),
                    then=Value(RecordCertificateState.EXPIRED),
                ),
                When(
                    Exists(Certificate.objects.filter(enrolment=OuterRef("pk"))),
                    then=Value(RecordCertificateState.REVOKED),
                ),
                default=Value(RecordCertificateState.NONE),
                output_field=CharField(),
            ),
        )
        .order_by("ministry__code", "user__full_name_en", "course__title", "pk")
    )


# --- Assignment compliance -------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    """How the officers reached by one assignment stand against its due date."""

    assignment_id: int
    assigned: int
    on_time: int
    late: int
    overdue: int
    in_progress: int
    not_started: int

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.on_time, self.assigned)


class ComplianceStatus:
    """Where one officer reached by an assignment stands against the due date."""

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    LABELS = {
        ON_TIME: _("Completed on time"),
        LATE: _("Completed late"),
        OVERDUE: _("Overdue"),
        IN_PROGRESS: _("In progress"),
        NOT_STARTED: _("Not started"),
    }
    CHOICES = tuple(LABELS.items())


def _compliance_q(today: date) -> dict[str, Q]:
    """The condition of each compliance status, on an assigned enrolment: completed
    by the due date (local day) or after it; not completed and past the due date;
    not completed, not yet due, started or not."""
    done = Q(completed_at__isnull=False)
    open_ = Q(completed_at__isnull=True)
    not_due = open_ & Q(due_date__gte=today)
    return {
        ComplianceStatus.ON_TIME: done & Q(completed_at__date__lte=F("due_date")),
        ComplianceStatus.LATE: done & Q(completed_at__date__gt=F("due_date")),
        ComplianceStatus.OVERDUE: overdue_q(today),
        ComplianceStatus.IN_PROGRESS: not_due & Q(started_at__isnull=False),
        ComplianceStatus.NOT_STARTED: not_due & Q(started_at__isnull=True),
    }


def assignment_compliance(
    scope: Scope, assignment_ids: Iterable[int] | None = None, *, now=None
) -> dict[int, ComplianceRow]:
    """Per assignment, its officers by compliance status. One query."""
    today = timezone.localdate(now or timezone.now())
    # The assignment's ministry, and the officer's current one: an officer who
    # moved away is no longer the old ministry's to follow.
    queryset = scope.restrict(
        scope.restrict(Enrolment.objects.order_by().filter(assignment__isnull=False)),
        "assignment__ministry_id",
    )
    if scope.is_empty:
        return {}
    if assignment_ids is not None:
        queryset = queryset.filter(assignment_id__in=list(assignment_ids))
    statuses = _compliance_q(today)
    rows = queryset.values("assignment_id").annotate(
        assigned=Count("pk"),
        **{name: Count("pk", filter=q) for name, q in statuses.items()},
    )
    return {
        row["assignment_id"]: ComplianceRow(
            assignment_id=row["assignment_id"],
            assigned=row["assigned"],
            **{name: row[name] for name in statuses},
        )
        for row in rows
    }


def assignment_officers(
    scope: Scope, assignment_id: int, *, now: datetime | None = None
) -> QuerySet[Enrolment]:
    """The officers an assignment reached (its enrolments, with their users), each
    annotated with ``compliance_status``; for focal points and the committee only.
    Ordered by name; one query a page."""
    if not scope.officer_records:
        return Enrolment.objects.none()
    today = timezone.localdate(now or timezone.now())
    queryset = scope.restrict(
        scope.restrict(Enrolment.objects.filter(assignment_id=assignment_id)),
        "assignment__ministry_id",
    )
    status = Case(
        *(When(q, then=Value(name)) for name, q in _compliance_q(today).items()),
        default=Value(""),
        output_field=CharField(),
    )
    return (
        queryset.select_related("user")
        .annotate(compliance_status=status)
        .order_by("user__full_name_en", "user__email", "pk")
    )
