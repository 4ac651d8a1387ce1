"""The filters of the "Training reports" in the Wagtail admin.

The reports are computed by ``reporting.stats``, not by filtering a queryset here: a
filter set reads the request into a ``stats.StatsFilter`` (``stats_filter()``). The
ministry filter exists only for a national scope, so a focal point cannot even ask
for another ministry (a ``?ministry=`` in the URL is ignored; ``stats`` would return
nothing for it anyway).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from accounts.access import Scope
from accounts.models import Cadre, Gender, Ministry
from courses.models import CoursePage, Enrolment

from . import stats
from .stats import (
    DateBasis,
    DateRangeError,
    RecordStatus,
    StatsFilter,
    check_date_range,
)


def _courses(request):
    """Published courses (``CoursePage.objects.published``), by title."""
    return CoursePage.objects.published().order_by("title")


def _ministries(request):
    return Ministry.objects.order_by("code")


class MinistryChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_en} ({obj.code})"


class MinistryFilter(django_filters.ModelChoiceFilter):
    field_class = MinistryChoiceField


class BreakdownChoice:
    """A grouping added to ministry and course in the completion report."""

    CHOICES = (
        ("cadre", _("Cadre")),
        ("gender", _("Gender")),
        ("year", _("Year of enrolment")),
    )


def _no_op(queryset, name, value):
    # The reports read the cleaned values through ``stats_filter()``.
    return queryset


def _course_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=_courses,
        empty_label=_("All courses"),
        method=_no_op,
    )


def _ministry_filter():
    return MinistryFilter(
        label=_("Ministry"),
        queryset=_ministries,
        empty_label=_("All ministries"),
        method=_no_op,
    )


def _cadre_filter():
    return django_filters.ChoiceFilter(
        label=_("Cadre"),
        choices=Cadre.choices,
        empty_label=_("All cadres"),
        method=_no_op,
    )


def _gender_filter():
    return django_filters.ChoiceFilter(
        label=_("Gender"),
        choices=Gender.choices,
        empty_label=_("All"),
        method=_no_op,
    )


def _date_filter(label):
    return django_filters.DateFromToRangeFilter(
        label=label, widget=DateRangePickerWidget, method=_no_op
    )


def _date_basis_filter():
    # The default (completion date) is the empty choice, so that a report with no
    # filter set is not "filtered".
    return django_filters.ChoiceFilter(
        label=_("Dates apply to"),
        choices=[(DateBasis.ISSUED, _("Certificate issue date"))],
        empty_label=_("Completion date"),
        method=_no_op,
    )


class TrainingReportFilterSet(WagtailFilterSet):
    """Reads the request into a ``StatsFilter``. ``scope`` decides whether the
    ministry filter is offered."""

    # Filters whose value goes straight into StatsFilter (model choices by id).
    stats_fields = ("ministry", "course", "cadre", "gender")

    class Meta:
        model = Enrolment
        fields = []

    def __init__(
        self, data=None, queryset=None, *, request=None, prefix=None, scope: Scope
    ):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.scope = scope
        if not scope.is_national:
            self.filters.pop("ministry", None)

    def stats_filter(self) -> StatsFilter | None:
        """The statistics filter the request asks for; None when the request is not
        valid (the form then carries the errors, shown beside the filters)."""
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        values = {}
        for name in self.stats_fields:
            value = data.get(name)
            if value not in (None, ""):
                values[name] = value.pk if hasattr(value, "pk") else value
        dates = data.get("date")
        if dates:
            try:
                check_date_range(dates.start, dates.stop)
            except DateRangeError as error:
                self.form.add_error("date", error.message)
                return None
            values["date_from"] = dates.start
            values["date_to"] = dates.stop
        if data.get("date_basis"):
            values["date_basis"] = data["date_basis"]
        if not self.scope.is_national:
            values.pop("ministry", None)
        return StatsFilter(**values)

    @property
    def error_messages(self) -> list[str]:
        """Each error once, named by its filter, for the message above the
        results."""
        if not self.form.is_bound or not self.form.errors:
            return []
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages


class CompletionFilterSet(TrainingReportFilterSet):
    """Completion by ministry and course."""

    course = _course_filter()
    ministry = _ministry_filter()
    date = _date_filter(_("Date range"))
    date_basis = _date_basis_filter()
    cadre = _cadre_filter()
    gender = _gender_filter()
    breakdown = django_filters.ChoiceFilter(
        label=_("Break down by"),
        choices=BreakdownChoice.CHOICES,
        empty_label=_("Ministry and course only"),
        method=_no_op,
    )

    class Meta(TrainingReportFilterSet.Meta):
        fields = []

    def group_by(self) -> tuple[str, ...]:
        breakdown = self.form.cleaned_data.get("breakdown") if self.is_valid() else ""
        return stats.parse_group_by(["ministry", "course", breakdown or ""])


class TrainedPerYearFilterSet(TrainingReportFilterSet):
    """Officials trained per year: the dates are always completion dates."""

    ministry = _ministry_filter()
    date = _date_filter(_("Completed between"))
    cadre = _cadre_filter()
    gender = _gender_filter()

    class Meta(TrainingReportFilterSet.Meta):
        fields = []


class OfficerRecordFilterSet(TrainingReportFilterSet):
    """Officer records: the statistics filters, and the record's status."""

    course = _course_filter()
    ministry = _ministry_filter()
    date = _date_filter(_("Date range"))
    date_basis = _date_basis_filter()
    cadre = _cadre_filter()
    gender = _gender_filter()
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(RecordStatus.LABELS.items()),
        empty_label=_("Any status"),
        method="filter_status",
        widget=forms.RadioSelect,
    )

    class Meta(TrainingReportFilterSet.Meta):
        fields = []

    def filter_status(self, queryset, name, value):
        # ``record_status`` is annotated by stats.officer_records.
        if not value:
            return queryset
        return queryset.filter(record_status=value)

    def filter_records(self, records):
        """Narrow ``stats.officer_records`` by the status filter."""
        if not self.is_valid():
            return records.none()
        return self.filter_status(records, "status", self.form.cleaned_data["status"])
