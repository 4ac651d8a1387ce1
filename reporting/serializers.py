"""Serializers of the REST API v1: the rows returned, which are the dataclasses of
``reporting.stats`` and its annotated officer records, field for field. The query
parameters are read by the statistics filter sets (``reporting.filters``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Cadre, Gender

from . import stats

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
