"""Serializers of the REST API v1: the query parameters (validated, with a message
naming each bad parameter) and the rows returned, which are the dataclasses of
``reporting.stats`` and its annotated officer records, field for field."""

from __future__ import annotations

from django.db.models import CharField, Value
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from accounts.models import Cadre, Gender, Ministry
from courses.models import CoursePage

from . import stats

MAX_PAGE_SIZE = 1000
MAX_ID = 2**31 - 1  # larger numbers are no id, and overflow some databases


def _is_number(value: str) -> bool:
    """Plain digits 0-9 only (str.isdigit also accepts "²")."""
    return value.isascii() and value.isdecimal()


def _label(text: str) -> Value:
    return Value(text, output_field=CharField())


def _choices_message(kind: str, value: str, choices) -> str:
    return _("Unknown %(kind)s '%(value)s'. Choose from %(choices)s.") % {
        "kind": kind,
        "value": value,
        "choices": ", ".join(choices),
    }


class NamedChoiceField(serializers.ChoiceField):
    """A choice whose error names the value and lists the accepted ones."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        value = str(data)
        if value not in self.choices:
            raise serializers.ValidationError(
                _choices_message(self.kind, value, list(self.choices))
            )
        return value


# --- Query parameters -----------------------------------------------------------


class StatsFilterQuerySerializer(serializers.Serializer):
    """The filters every statistics endpoint takes. ``from`` and ``to`` are Python
    keywords, so they are added in ``get_fields``. Needs ``scope`` in the context
    (and may take ``token_ministry``, the calling token's ministry, already
    loaded)."""

    ministry = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("A ministry code (e.g. MOI) or id."),
    )
    course = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("A course id (see /api/v1/courses/)."),
    )
    cadre = NamedChoiceField(
        "cadre",
        choices=Cadre.choices,
        required=False,
        help_text=_("Only officers of this cadre."),
    )
    gender = NamedChoiceField(
        "gender",
        choices=Gender.choices,
        required=False,
        help_text=_("Only officers of this gender."),
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False,
            input_formats=["iso-8601"],
            help_text=_("First day of the date range (YYYY-MM-DD), inclusive."),
        )
        fields["to"] = serializers.DateField(
            required=False,
            input_formats=["iso-8601"],
            help_text=_("Last day of the date range (YYYY-MM-DD), inclusive."),
        )
        return fields

    def validate(self, attrs):
        try:
            stats.check_date_range(attrs.get("from"), attrs.get("to"))
        except stats.DateRangeError as error:
            name = "from" if error.bound == "start" else "to"
            raise serializers.ValidationError({name: [error.message]}) from error
        if "ministry" in attrs or "course" in attrs:
            attrs |= self._resolve(attrs.get("ministry"), attrs.get("course"))
        return attrs

    def _resolve(self, ministry_value: str | None, course: int | None) -> dict:
        """The ministry's id from its code or id, and the course checked, in one
        query at most (a ministry's token names its own ministry without one)."""
        found: dict[str, int] = {}
        queries = []
        ministry_value = (ministry_value or "").strip() or None
        own = self.context.get("token_ministry")
        if ministry_value is not None:
            if own is not None and ministry_value.casefold() in (
                str(own.pk),
                own.code.casefold(),
            ):
                found["ministry"] = own.pk
            elif not _is_number(ministry_value) or int(ministry_value) <= MAX_ID:
                lookup = (
                    {"pk": int(ministry_value)}
                    if _is_number(ministry_value)
                    else {"code__iexact": ministry_value}
                )
                queries.append(
                    Ministry.objects.filter(**lookup)
                    .order_by()
                    .values_list(_label("ministry"), "pk")
                )
        if course is not None:
            queries.append(
                CoursePage.objects.filter(pk=course)
                .order_by()
                .values_list(_label("course"), "pk")
            )
        if queries:
            found |= dict(queries[0].union(*queries[1:], all=True))
        errors = {}
        if ministry_value is not None and "ministry" not in found:
            errors["ministry"] = [
                _("Unknown ministry '%(value)s'. Give a ministry code or id.")
                % {"value": ministry_value}
            ]
        if course is not None and "course" not in found:
            errors["course"] = [
                _("Unknown course %(value)s. See /api/v1/courses/ for the ids.")
                % {"value": course}
            ]
        if errors:
            raise serializers.ValidationError(errors)
        if ministry_value is not None and not self.context["scope"].allows_ministry(
            found["ministry"]
        ):
            # 403 rather than 400, and never the other ministry's rows.
            raise PermissionDenied(
                {"ministry": [_("You may not see the figures of this ministry.")]}
            )
        return {"ministry": found.get("ministry"), "course": course}

    def stats_filter(self) -> stats.StatsFilter:
        data = self.validated_data
        return stats.StatsFilter(
            ministry=data.get("ministry"),
            course=data.get("course"),
            cadre=data.get("cadre") or None,
            gender=data.get("gender") or None,
            date_from=data.get("from"),
            date_to=data.get("to"),
            date_basis=data.get("date_basis", stats.DateBasis.COMPLETED),
        )


class DateBasisQueryMixin(serializers.Serializer):
    date_basis = NamedChoiceField(
        "date basis",
        choices=stats.DateBasis.CHOICES,
        required=False,
        default=stats.DateBasis.COMPLETED,
        help_text=_(
            "Which date 'from' and 'to' apply to: the completion date or the "
            "certificate issue date."
        ),
    )


class CompletionQuerySerializer(DateBasisQueryMixin, StatsFilterQuerySerializer):
    group_by = serializers.CharField(
        required=False,
        default="ministry,course",
        help_text=_(
            "Comma-separated grouping fields: ministry, course, cadre, gender, year "
            "(the enrolment year). Default: ministry,course."
        ),
    )

    def validate_group_by(self, value: str) -> tuple[str, ...]:
        names = [part.strip() for part in value.split(",") if part.strip()]
        for name in names:
            if name not in stats.GROUP_FIELDS:
                raise serializers.ValidationError(
                    _choices_message("group", name, stats.GROUP_FIELDS)
                )
        return stats.parse_group_by(names)


class TrainedPerYearQuerySerializer(StatsFilterQuerySerializer):
    """The date range applies to the completion date."""


class RecordsQuerySerializer(DateBasisQueryMixin, StatsFilterQuerySerializer):
    page = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Page number, from 1.")
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=_("Rows per page: 100 unless given, at most 1000."),
    )


# --- Rows returned ----------------------------------------------------------------


class CompletionRowSerializer(serializers.Serializer):
    """One group of the completion table (``stats.CompletionRow``). Grouping fields
    that were not asked for are null; so are ``officers`` and ``coverage`` where
    they have no meaning (coverage needs a course; neither has a year)."""

    ministry_id = serializers.IntegerField(allow_null=True)
    ministry_code = serializers.CharField(allow_null=True)
    ministry_name = serializers.CharField(allow_null=True)
    course_id = serializers.IntegerField(allow_null=True)
    course_title = serializers.CharField(allow_null=True)
    cadre = serializers.ChoiceField(choices=Cadre.choices, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    officers = serializers.IntegerField(
        allow_null=True, help_text=_("Active, verified officers of the group.")
    )
    enrolled = serializers.IntegerField()
    started = serializers.IntegerField()
    completed = serializers.IntegerField()
    passed_quiz = serializers.IntegerField()
    certified = serializers.IntegerField(help_text=_("Holding a valid certificate."))
    expired = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completion_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Completed / enrolled, in percent."),
    )
    coverage = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_(
            "Officers holding a valid certificate for the course / officers, in "
            "percent."
        ),
    )


class CompletionResponseSerializer(serializers.Serializer):
    group_by = serializers.ListField(
        child=serializers.ChoiceField(choices=stats.GROUP_FIELDS)
    )
    count = serializers.IntegerField()
    results = CompletionRowSerializer(many=True)


def _count_fields(choices) -> dict:
    return {value: serializers.IntegerField(default=0) for value, _label in choices}


ByCadreSerializer = type(
    "ByCadreSerializer",
    (serializers.Serializer,),
    {
        **_count_fields(Cadre.choices),
        "__doc__": "Officers trained, by cadre.",
    },
)


class TrainedPerYearRowSerializer(serializers.Serializer):
    """Distinct officers of a ministry (all ministries together when the ministry
    is null) who completed at least one course in the year."""

    year = serializers.IntegerField()
    ministry_id = serializers.IntegerField(allow_null=True)
    ministry_code = serializers.CharField(allow_null=True)
    ministry_name = serializers.CharField(allow_null=True)
    officers = serializers.IntegerField()
    female = serializers.IntegerField()
    male = serializers.IntegerField()
    undisclosed = serializers.IntegerField()
    by_cadre = ByCadreSerializer()


class TrainedPerYearResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = TrainedPerYearRowSerializer(many=True)


class OfficerRecordSerializer(serializers.Serializer):
    """One officer and course (latest cycle), from ``stats.officer_records``."""

    officer_email = serializers.EmailField(source="user.email")
    full_name_en = serializers.CharField(source="user.full_name_en")
    full_name_ar = serializers.CharField(source="user.full_name_ar")
    employee_number = serializers.CharField(
        source="user.employee_number", allow_null=True
    )
    ministry_code = serializers.CharField(source="ministry.code", allow_null=True)
    cadre = serializers.ChoiceField(source="user.cadre", choices=Cadre.choices)
    gender = serializers.ChoiceField(source="user.gender", choices=Gender.choices)
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.title")
    status = serializers.ChoiceField(
        source="record_status", choices=list(stats.RecordStatus.LABELS.items())
    )
    enrolled_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    best_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Best scored quiz attempt, in percent."),
    )
    certificate_code = serializers.CharField(allow_null=True)
    certificate_state = serializers.ChoiceField(
        choices=list(stats.RecordCertificateState.LABELS.items()),
        help_text=_("Empty when no certificate was issued."),
    )


class OfficerRecordPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Rows on every page together."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OfficerRecordSerializer(many=True)


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField()
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Cadre.choices),
        help_text=_("Cadres the course is meant for; empty: every cadre."),
    )
    certificate_validity_months = serializers.IntegerField(
        help_text=_("0: certificates of this course do not expire.")
    )

    def get_url(self, course) -> str | None:
        return course.get_full_url(self.context.get("request"))


class MinistrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_ar = serializers.CharField()
    is_active = serializers.BooleanField()
