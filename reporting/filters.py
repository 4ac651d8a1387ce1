"""The statistics filters, declared once, for the admin's Training reports and the
REST API.

``StatsFilterSet`` declares the filters every statistics question takes (ministry
by code or id, course id, cadre, gender, a date range), their vocabularies, the
bounds on ids and the one date rule (``stats.check_date_range``), and reads a
request into a ``stats.StatsFilter`` (``stats_filter()``): the ministry and the
course are resolved in one query at most, a token's own ministry without one. The
API's filter sets (``CompletionQueryFilterSet`` ...) add the API-only parameters;
the admin's (``CompletionFilterSet`` ...) subclass it through
``TrainingReportFilterSet`` for the admin-only parts: choice lists of ministries and
published courses, the Wagtail date-range picker, the breakdown, date basis and
status.

The reports and the API are computed by ``reporting.stats``, not by filtering a
queryset here. In the admin, the ministry filter exists only for a national scope,
so a focal point cannot even ask for another ministry (a ``?ministry=`` in the URL
is ignored; ``stats`` would return nothing for it anyway); the API refuses it
(``MinistryOutOfScope``, a 403).
"""

from __future__ import annotations

import datetime
from collections import OrderedDict

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import SuffixedMultiWidget
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from accounts.access import Scope
from accounts.models import Cadre, Gender, Ministry
from courses import services as course_services
from courses.models import CoursePage, Enrolment

from . import stats
from .stats import (
    DateBasis,
    DateRangeError,
    RecordStatus,
    StatsFilter,
    check_date_range,
)

MAX_ID = 2**31 - 1  # larger numbers are no id, and overflow some databases
MAX_PAGE_SIZE = 1000

DEFAULT_GROUP_BY = "ministry,course"

# The messages of the parameters (the API names each bad one with them).
INTEGER_MESSAGES = {
    "invalid": _("A valid integer is required."),
    "max_value": _("Ensure this value is less than or equal to %(limit_value)s."),
    "min_value": _("Ensure this value is greater than or equal to %(limit_value)s."),
}
DATE_FORMAT_MESSAGE = _(
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
)
MINISTRY_OUT_OF_SCOPE_MESSAGE = _("You may not see the figures of this ministry.")


class MinistryOutOfScope(Exception):
    """The request names a ministry whose figures the caller may not see."""

    message = MINISTRY_OUT_OF_SCOPE_MESSAGE


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


def _no_op(queryset, name, value):
    # The reports and the API read the cleaned values through ``stats_filter()``.
    return queryset


def _day(value):
    """A date (the admin's range field gives the start of the local day)."""
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Fields ----------------------------------------------------------------------


class NamedChoiceField(django_filters.fields.ChoiceField):
    """A choice whose error names the value and lists the accepted ones."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def valid_values(self) -> list[str]:
        return [str(value) for value, _label in self.choices if value != ""]

    def validate(self, value):
        if value in self.empty_values:
            return super().validate(value)
        if not self.valid_value(value):
            raise ValidationError(
                _choices_message(self.kind, value, self.valid_values()),
                code="invalid_choice",
            )


class NamedChoiceFilter(django_filters.ChoiceFilter):
    field_class = NamedChoiceField


class IdFilter(django_filters.Filter):
    """A whole number within the bounds given (an id: 1 to ``MAX_ID``)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("error_messages", INTEGER_MESSAGES)
        super().__init__(*args, **kwargs)


class IsoDateField(forms.DateField):
    """A day written YYYY-MM-DD; its error says which end of the range it is."""

    def __init__(self, *, bound: str, **kwargs):
        self.bound = bound
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        ):
            return value
        try:
            parsed = parse_date(str(value))
        except (ValueError, TypeError):
            parsed = None
        if parsed is None:
            raise ValidationError(
                DATE_FORMAT_MESSAGE, code="invalid", params={"bound": self.bound}
            )
        return parsed


class DateRangeWidget(SuffixedMultiWidget):
    """``?from=`` and ``?to=``: the parameters are named by their suffix alone."""

    suffixes = ["from", "to"]

    def __init__(self, attrs=None):
        super().__init__((forms.DateInput(), forms.DateInput()), attrs)

    def suffixed(self, name, suffix):
        return suffix

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]


class DateRangeField(forms.MultiValueField):
    """Two days, each optional, as a ``slice(start, stop)`` (None: no range)."""

    widget = DateRangeWidget

    def __init__(self, *args, **kwargs):
        fields = (
            IsoDateField(
                bound="start",
                required=False,
            ),
            IsoDateField(
                bound="end",
                required=False,
            ),
        )
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if data_list and any(value is not None for value in data_list):
            return slice(*data_list)
        return None


class DateRangeFilter(django_filters.Filter):
    field_class = DateRangeField


class StatsFilterForm(forms.Form):
    """The one date rule, once the fields themselves are valid."""

    def clean(self):
        cleaned = super().clean()
        dates = cleaned.get("date")
        if dates and not self.errors:
            start, stop = _day(dates.start), _day(dates.stop)
            try:
                check_date_range(start, stop)
            except DateRangeError as error:
                self.add_error(
                    "date",
                    ValidationError(
                        error.message, code="date_range", params={"bound": error.bound}
                    ),
                )
            else:
                cleaned["date"] = slice(start, stop)
        return cleaned


# --- The statistics filters --------------------------------------------------------


class StatsFilterSet(django_filters.FilterSet):
    """The filters every statistics question takes. ``scope`` is the caller's;
    ``token_ministry`` the calling token's ministry, already loaded (a token naming
    its own ministry costs no query)."""

    ministry = django_filters.CharFilter(
        label=_("Ministry"),
        max_length=100,
        error_messages={
            "max_length": _(
                "Ensure this field has no more than %(limit_value)s characters."
            )
        },
        method=_no_op,
    )
    course = IdFilter(
        label=_("Course"),
        method=_no_op,
    )
    cadre = NamedChoiceFilter(
        label=_("Cadre"),
        kind="cadre",
        choices=Cadre.choices,
        empty_label=_("All cadres"),
        method=_no_op,
    )
    gender = NamedChoiceFilter(
        label=_("Gender"),
        kind="gender",
        choices=Gender.choices,
        empty_label=_("All"),
        method=_no_op,
    )
    date = DateRangeFilter(label=_("Date range"), method=_no_op)

    class Meta:
        model = Enrolment
        fields = []
        form = StatsFilterForm

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        prefix=None,
        scope: Scope,
        token_ministry: Ministry | None = None,
    ):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.scope = scope
        self.token_ministry = token_ministry
        self._stats_filter = None

    def stats_filter(self) -> StatsFilter | None:
        """The statistics filter the request asks for; None when the request is not
        valid (the form then carries the errors). Raises ``MinistryOutOfScope`` for
        a ministry the scope does not cover."""
        if self._stats_filter is None and self.is_valid():
            self._stats_filter = self._read()
        return self._stats_filter

    def _read(self) -> StatsFilter | None:
        data = self.form.cleaned_data
        ids = self._resolve(data.get("ministry"), data.get("course"))
        if ids is None:
            return None
        ministry, course = ids
        if ministry is not None and not self.scope.allows_ministry(ministry):
            # Refused, never answered with the other ministry's rows.
            raise MinistryOutOfScope
        dates = data.get("date")
        values = {
            "ministry": ministry,
            "course": course,
            "cadre": data.get("cadre") or None,
            "gender": data.get("gender") or None,
            "date_from": dates.start if dates else None,
            "date_to": dates.stop if dates else None,
        }
        if data.get("date_basis"):
            values["date_basis"] = data["date_basis"]
        return StatsFilter(**values)

    def _resolve(self, ministry, course) -> tuple[int | None, int | None] | None:
        """The ministry's id from its code or id, and the course checked, in one
        query at most; None (the errors added to the form) when either is
        unknown. Chosen objects (the admin's lists) are taken as they are."""
        found: dict[str, int] = {}
        queries = []
        ministry_value = None
        if hasattr(ministry, "pk"):
            found["ministry"] = ministry.pk
        else:
            ministry_value = (ministry or "").strip() or None
        own = self.token_ministry
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
        course_asked = course is not None and not hasattr(course, "pk")
        if hasattr(course, "pk"):
            course = course.pk
        elif course_asked:
            # A translation's id stands for its course: the source page's id.
            queries.append(
                CoursePage.objects.filter(pk=course)
                .order_by()
                .annotate(source_id=course_services.source_page_id())
                .values_list(_label("course"), "source_id")
            )
        if queries:
            found |= dict(queries[0].union(*queries[1:], all=True))
        valid = True
        if ministry_value is not None and "ministry" not in found:
            self.form.add_error(
                "ministry",
                _("Unknown ministry '%(value)s'. Give a ministry code or id.")
                % {"value": ministry_value},
            )
            valid = False
        if course_asked and "course" not in found:
            self.form.add_error(
                "course",
                _("Unknown course %(value)s. See /api/v1/courses/ for the ids.")
                % {"value": course},
            )
            valid = False
        if not valid:
            return None
        return found.get("ministry"), found.get("course", course)

    def errors_by_parameter(self) -> dict[str, list[str]]:
        """The form's errors under the names of the request's parameters (the two
        ends of the date range have their own)."""
        errors: dict[str, list[str]] = {}
        for name, field_errors in self.form.errors.as_data().items():
            for error in field_errors:
                parameter = name
                if isinstance(self.form.fields.get(name), DateRangeField):
                    bound = (error.params or {}).get("bound", "start")
                    parameter = "from" if bound == "start" else "to"
                errors.setdefault(parameter, []).extend(error.messages)
        return errors


# --- The REST API's parameters ---------------------------------------------------


def _api_date_basis_filter():
    return NamedChoiceFilter(
        label=_("Dates apply to"),
        kind="date basis",
        choices=DateBasis.CHOICES,
        initial=DateBasis.COMPLETED,
        method=_no_op,
    )


class GroupByField(forms.CharField):
    """``ministry,course`` → ("ministry", "course"), in the canonical order; the
    error names the unknown field and lists the accepted ones."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            value = DEFAULT_GROUP_BY
        names = [part.strip() for part in value.split(",") if part.strip()]
        for name in names:
            if name not in stats.GROUP_FIELDS:
                raise ValidationError(
                    _choices_message("group", name, stats.GROUP_FIELDS),
                    code="invalid_choice",
                )
        return stats.parse_group_by(names)


class GroupByFilter(django_filters.Filter):
    field_class = GroupByField


class CompletionQueryFilterSet(StatsFilterSet):
    """GET /api/v1/stats/completion/"""

    date_basis = _api_date_basis_filter()
    group_by = GroupByFilter(
        initial=DEFAULT_GROUP_BY,
        method=_no_op,
    )

    class Meta(StatsFilterSet.Meta):
        fields = []

    def grouping(self) -> tuple[str, ...]:
        return self.form.cleaned_data["group_by"]


class TrainedPerYearQueryFilterSet(StatsFilterSet):
    """GET /api/v1/stats/trained-per-year/: the date range applies to the
    completion date."""

    class Meta(StatsFilterSet.Meta):
        fields = []


class RecordsQueryFilterSet(StatsFilterSet):
    """GET /api/v1/records/: the page itself is read by the paginator."""

    date_basis = _api_date_basis_filter()
    page = IdFilter(max_value=None, method=_no_op)
    page_size = IdFilter(
        max_value=MAX_PAGE_SIZE,
        method=_no_op,
    )

    class Meta(StatsFilterSet.Meta):
        fields = []


# --- The admin's Training reports -----------------------------------------------


def _courses(request):
    """Published courses (``CoursePage.objects.published``), by title."""
    return CoursePage.objects.published().order_by("title")


def _ministries(request):
    return Ministry.objects.order_by("code")


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """A choice from a list, by id: what cannot be an id (not digits, beyond
    ``MAX_ID``) is refused as an unknown choice before the database is asked."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            if not (_is_number(text) and 0 < int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class MinistryChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_en} ({obj.code})"


class MinistryFilter(IdChoiceFilter):
    field_class = MinistryChoiceField


class BreakdownChoice:
    """A grouping added to ministry and course in the completion report."""

    CHOICES = (
        ("cadre", _("Cadre")),
        ("gender", _("Gender")),
        ("year", _("Year of enrolment")),
    )


def _course_filter():
    return IdChoiceFilter(
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


class TrainingReportFilterSet(StatsFilterSet, WagtailFilterSet):
    """The statistics filters as the admin shows them: lists to choose the ministry
    (a national scope only) and the course from, the date-range picker. Each
    report lists its filters, in the order shown, in ``filter_order``."""

    filter_order: tuple[str, ...] = ()

    class Meta(StatsFilterSet.Meta):
        fields = []

    def __init__(
        self, data=None, queryset=None, *, request=None, prefix=None, scope: Scope
    ):
        super().__init__(data, queryset, request=request, prefix=prefix, scope=scope)
        self.filters = OrderedDict(
            (name, self.filters[name]) for name in self.filter_order
        )
        if not scope.is_national:
            self.filters.pop("ministry", None)

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

    filter_order = (
        "course",
        "ministry",
        "date",
        "date_basis",
        "cadre",
        "gender",
        "breakdown",
    )

    course = _course_filter()
    ministry = _ministry_filter()
    date = _date_filter(_("Date range"))
    date_basis = _date_basis_filter()
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

    filter_order = ("ministry", "date", "cadre", "gender")

    ministry = _ministry_filter()
    date = _date_filter(_("Completed between"))

    class Meta(TrainingReportFilterSet.Meta):
        fields = []


class OfficerRecordFilterSet(TrainingReportFilterSet):
    """Officer records: the statistics filters, and the record's status."""

    filter_order = (
        "course",
        "ministry",
        "date",
        "date_basis",
        "cadre",
        "gender",
        "status",
    )

    course = _course_filter()
    ministry = _ministry_filter()
    date = _date_filter(_("Date range"))
    date_basis = _date_basis_filter()
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
