"""The "Training reports" of the Wagtail admin and the dashboard's completion chart.

Three reports, each a Wagtail ``ReportView`` with filters, live filtering and
CSV/XLSX export:

- completion by ministry and course (``stats.completion``), with a totals line;
- officials trained per year (``stats.trained_per_year``);
- officer records, one row per officer and course (``stats.officer_records``).

Every number comes from ``reporting.stats``; these views only choose the scope, read
the filters and lay the rows out. The scope is always
``accounts.access.scope_for_user``: a focal point sees its own ministry, the
national committee and superusers every ministry, trainers every ministry's
aggregates and no officer records. Opening a report takes
``reporting.view_training_reports``; officer records also take
``accounts.view_officer`` and a scope with officer records.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr

from accounts import access
from accounts.access import Scope
from accounts.models import Cadre
from core.exports import SafeCsvExportMixin
from courses.models import Enrolment

from .. import stats
from ..filters import (
    BreakdownChoice,
    CompletionFilterSet,
    OfficerRecordFilterSet,
    TrainedPerYearFilterSet,
)
from ..stats import RecordCertificateState, RecordStatus
from . import charts

APP_NAME = "training_reports"
VIEW_PERMISSION = "reporting.view_training_reports"
OFFICER_PERMISSION = "accounts.view_officer"


# --- Who may open what -----------------------------------------------------------


def scope_of(request) -> Scope:
    """The caller's scope, worked out once per request (the menu, the page and the
    dashboard panel all ask)."""
    scope = getattr(request, "_training_reports_scope", None)
    if scope is None:
        scope = access.scope_for_user(request.user)
        request._training_reports_scope = scope
    return scope


def may_view_reports(request) -> bool:
    return request.user.has_perm(VIEW_PERMISSION)


def may_view_officer_records(request) -> bool:
    """Focal points, the committee and superusers. The permissions are checked
    first (they are cached on the user), so that the scope, which costs a query,
    is worked out only for those who may hold one with officer records: the
    menu asks on every admin page."""
    return (
        request.user.has_perms([VIEW_PERMISSION, OFFICER_PERMISSION])
        and scope_of(request).officer_records
    )


# --- Cells -----------------------------------------------------------------------


class CountColumn(NumberColumn):
    """A count; a dash when it has no meaning for the row (officers by year)."""

    def get_cell_context_data(self, instance, parent_context):
        if self.get_value(instance) is None:
            context = Column.get_cell_context_data(self, instance, parent_context)
            context["value"] = "—"
            return context
        return super().get_cell_context_data(instance, parent_context)


class PercentColumn(Column):
    """A percentage with its sign; a dash when it has no meaning for the row."""

    def get_value(self, instance):
        return charts.format_percent(super().get_value(instance))


class LocalDateColumn(Column):
    """A date (or the local day of a moment), written the same way on every row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("classname", "w-whitespace-nowrap")
        super().__init__(*args, **kwargs)

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return ""
        return format_date(_local_date(value), "Y-m-d")


def _local_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _record_status_label(value):
    return str(RecordStatus.LABELS.get(value, value or ""))


def _certificate_state_label(value):
    return str(RecordCertificateState.LABELS.get(value, value or ""))


# --- The reports ------------------------------------------------------------------


class TrainingReportView(SafeCsvExportMixin, ReportView):
    """A report over ``reporting.stats`` for the caller's scope. Filters that do
    not validate (an unknown course, a start date after the end date) are shown
    beside the filters and above the empty results; the page and the exports answer
    400. The live-filtering fragment answers 200 so that the admin shows the
    message in place."""

    header_icon = "table"
    template_name = "reporting/admin/report.html"
    results_template_name = "reporting/admin/report_results.html"
    export_name = "training-report"
    help_template_name = ""
    paginate_by = 50

    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        # Reports count local days: dates are written as the local day.
        datetime.datetime: {
            ReportView.FORMAT_CSV: _local_date,
            ReportView.FORMAT_XLSX: _local_date,
        },
    }

    def user_may_open(self, request) -> bool:
        return may_view_reports(request)

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_open(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def scope(self) -> Scope:
        return scope_of(self.request)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @cached_property
    def stats_filter(self) -> stats.StatsFilter | None:
        return self.filters.stats_filter()

    @cached_property
    def filter_errors(self) -> list[str]:
        if self.stats_filter is not None:
            return []
        return self.filters.error_messages or [gettext("The filters are not valid.")]

    def get(self, request, *args, **kwargs):
        if self.filter_errors and self.is_export:
            return HttpResponseBadRequest(
                "\n".join(self.filter_errors), content_type="text/plain; charset=utf-8"
            )
        response = super().get(request, *args, **kwargs)
        if self.filter_errors and not self.results_only:
            response.status_code = 400
        return response

    def get_filename(self):
        return f"{self.export_name}-{timezone.localdate():%Y-%m-%d}"

    def to_row_dict(self, item):
        return OrderedDict(
            (field, self.export_value(item, field)) for field in self.list_export
        )

    def export_value(self, item, field):
        try:
            return multigetattr(item, field)
        except AttributeError:  # e.g. a missing ministry along a dotted path
            return None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_errors"] = self.filter_errors
        context["scope"] = self.scope
        return context


def _count_columns() -> list[Column]:
    return [
        CountColumn("officers", label=_("Officers")),
        NumberColumn("enrolled", label=_("Enrolled")),
        NumberColumn("started", label=_("Started")),
        NumberColumn("completed", label=_("Completed")),
        NumberColumn("passed_quiz", label=_("Passed quiz")),
        NumberColumn("certified", label=_("Certified")),
        NumberColumn("expired", label=_("Expired")),
        NumberColumn("overdue", label=_("Overdue")),
        PercentColumn("completion_rate", label=_("Completion rate")),
        PercentColumn("coverage", label=_("Coverage")),
    ]


COUNT_HEADINGS = {
    "officers": _("Officers"),
    "enrolled": _("Enrolled"),
    "started": _("Started"),
    "completed": _("Completed"),
    "passed_quiz": _("Passed quiz"),
    "certified": _("Certified"),
    "expired": _("Expired"),
    "overdue": _("Overdue"),
    "completion_rate": _("Completion rate (%)"),
    "coverage": _("Coverage (%)"),
}

# Cells of words (names, titles): wide enough to read in a table that scrolls.
TEXT_CELL = "report-cell--text"

BREAKDOWN_COLUMNS = {
    "cadre": ("cadre_label", _("Cadre")),
    "gender": ("gender_label", _("Gender")),
    "year": ("year", _("Year of enrolment")),
}


class CompletionReportView(TrainingReportView):
    """Completion by ministry and course, optionally broken down by cadre, gender
    or year, with a totals line computed by ``stats`` over the same filters."""

    page_title = _("Completion by ministry and course")
    index_url_name = f"{APP_NAME}:completion"
    index_results_url_name = f"{APP_NAME}:completion_results"
    filterset_class = CompletionFilterSet
    export_name = "completion-by-ministry-and-course"
    help_template_name = "reporting/admin/completion_help.html"
    no_results_message = _("No officer is enrolled in a course that matches.")

    @cached_property
    def group_by(self) -> tuple[str, ...]:
        return self.filters.group_by()

    @cached_property
    def breakdown(self) -> list[str]:
        return [name for name in self.group_by if name in BREAKDOWN_COLUMNS]

    @cached_property
    def columns(self):
        breakdown = [
            Column(BREAKDOWN_COLUMNS[name][0], label=BREAKDOWN_COLUMNS[name][1])
            for name in self.breakdown
        ]
        return [
            Column("ministry_name", label=_("Ministry"), classname=TEXT_CELL),
            Column("course_title", label=_("Course"), classname=TEXT_CELL),
            *breakdown,
            *_count_columns(),
        ]

    @property
    def list_export(self):
        return [
            "ministry_code",
            "ministry_name",
            "course_title",
            *(BREAKDOWN_COLUMNS[name][0] for name in self.breakdown),
            *COUNT_HEADINGS,
        ]

    export_headings = {
        "ministry_code": _("Ministry code"),
        "ministry_name": _("Ministry"),
        "course_title": _("Course"),
        **dict(BREAKDOWN_COLUMNS.values()),
        **COUNT_HEADINGS,
    }

    def get_filtered_queryset(self):
        if self.stats_filter is None:
            return []
        rows = stats.completion(self.scope, self.group_by, self.stats_filter)
        # Read by name, not by database id.
        return sorted(
            rows,
            key=lambda row: (
                row.ministry_code or "",
                (row.course_title or "").casefold(),
                row.cadre or "",
                row.gender or "",
                row.year or 0,
            ),
        )

    @cached_property
    def totals(self) -> stats.CompletionRow | None:
        """Every row of the table together, counted by ``stats`` (not summed: an
        officer in two rows is one officer)."""
        if self.stats_filter is None:
            return None
        rows = stats.completion(self.scope, (), self.stats_filter)
        return rows[0] if rows else None

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["totals"] = self.totals
            context["breakdown_labels"] = dict(BreakdownChoice.CHOICES)
        return context


def _ministry_label(row) -> str:
    return row.ministry_name or gettext("All ministries")


class TrainedPerYearReportView(TrainingReportView):
    """Officials trained per year, by ministry (and all ministries together for a
    national scope), with gender and cadre breakdowns."""

    page_title = _("Officials trained per year")
    index_url_name = f"{APP_NAME}:trained_per_year"
    index_results_url_name = f"{APP_NAME}:trained_per_year_results"
    filterset_class = TrainedPerYearFilterSet
    export_name = "officials-trained-per-year"
    help_template_name = "reporting/admin/trained_per_year_help.html"
    no_results_message = _("No officer completed a course in the years selected.")

    @cached_property
    def columns(self):
        return [
            Column("year", label=_("Year")),
            Column(
                "ministry",
                label=_("Ministry"),
                accessor=_ministry_label,
                classname=TEXT_CELL,
            ),
            NumberColumn("officers", label=_("Officials trained")),
            NumberColumn("female", label=_("Women")),
            NumberColumn("male", label=_("Men")),
            NumberColumn("undisclosed", label=_("Gender undisclosed")),
            *(
                NumberColumn(
                    f"cadre_{value}",
                    label=label,
                    accessor=lambda row, value=value: row.by_cadre.get(value, 0),
                )
                for value, label in Cadre.choices
            ),
        ]

    list_export = [
        "year",
        "ministry_code",
        "ministry",
        "officers",
        "female",
        "male",
        "undisclosed",
        *(f"cadre_{value}" for value in Cadre.values),
    ]
    export_headings = {
        "year": _("Year"),
        "ministry_code": _("Ministry code"),
        "ministry": _("Ministry"),
        "officers": _("Officials trained"),
        "female": _("Women"),
        "male": _("Men"),
        "undisclosed": _("Gender undisclosed"),
        **{f"cadre_{value}": label for value, label in Cadre.choices},
    }

    def export_value(self, item, field):
        if field.startswith("cadre_"):
            return item.by_cadre.get(field.removeprefix("cadre_"), 0)
        if field == "ministry":
            return _ministry_label(item)
        return super().export_value(item, field)

    def get_filtered_queryset(self):
        if self.stats_filter is None:
            return []
        return stats.trained_per_year(self.scope, self.stats_filter)


class OfficerRecordReportView(TrainingReportView):
    """One row per officer and course (the latest cycle): status, dates, best
    score, certificate. Focal points (their ministry), the committee and
    superusers; never trainers."""

    page_title = _("Officer records")
    header_icon = "group"
    index_url_name = f"{APP_NAME}:officer_records"
    index_results_url_name = f"{APP_NAME}:officer_records_results"
    filterset_class = OfficerRecordFilterSet
    export_name = "officer-records"
    no_results_message = _("No officer record matches.")

    columns = [
        Column(
            "name",
            label=_("Officer"),
            accessor="user.full_name_en",
            classname=TEXT_CELL,
        ),
        Column("email", label=_("E-mail"), accessor="user.email"),
        Column(
            "employee_number", label=_("Employee no."), accessor="user.employee_number"
        ),
        Column("ministry", label=_("Ministry"), accessor="ministry.code"),
        Column(
            "course", label=_("Course"), accessor="course.title", classname=TEXT_CELL
        ),
        Column(
            "record_status",
            label=_("Status"),
            accessor=lambda record: _record_status_label(record.record_status),
        ),
        LocalDateColumn("enrolled_at", label=_("Enrolled")),
        LocalDateColumn("started_at", label=_("Started")),
        LocalDateColumn("completed_at", label=_("Completed")),
        LocalDateColumn("due_date", label=_("Due")),
        PercentColumn("best_score", label=_("Best score")),
        Column(
            "certificate_code", label=_("Certificate"), classname="w-whitespace-nowrap"
        ),
        Column(
            "certificate_state",
            label=_("Certificate state"),
            accessor=lambda record: _certificate_state_label(record.certificate_state),
        ),
    ]
    list_export = [
        "user.full_name_en",
        "user.full_name_ar",
        "user.email",
        "user.employee_number",
        "ministry.code",
        "ministry.name_en",
        "course.title",
        "record_status",
        "enrolled_at",
        "started_at",
        "completed_at",
        "due_date",
        "best_score",
        "certificate_code",
        "certificate_state",
    ]
    export_headings = {
        "user.full_name_en": _("Name (English)"),
        "user.full_name_ar": _("Name (Arabic)"),
        "user.email": _("E-mail"),
        "user.employee_number": _("Employee number"),
        "ministry.code": _("Ministry code"),
        "ministry.name_en": _("Ministry"),
        "course.title": _("Course"),
        "record_status": _("Status"),
        "enrolled_at": _("Enrolled"),
        "started_at": _("Started"),
        "completed_at": _("Completed"),
        "due_date": _("Due date"),
        "best_score": _("Best score (%)"),
        "certificate_code": _("Certificate code"),
        "certificate_state": _("Certificate state"),
    }
    custom_field_preprocess = {
        "record_status": {
            ReportView.FORMAT_CSV: _record_status_label,
            ReportView.FORMAT_XLSX: _record_status_label,
        },
        "certificate_state": {
            ReportView.FORMAT_CSV: _certificate_state_label,
            ReportView.FORMAT_XLSX: _certificate_state_label,
        },
    }

    def user_may_open(self, request) -> bool:
        return may_view_officer_records(request)

    def get_filtered_queryset(self):
        if self.stats_filter is None:
            return Enrolment.objects.none()
        return self.filters.filter_records(
            stats.officer_records(self.scope, self.stats_filter)
        )


# --- The dashboard panel -------------------------------------------------------------


class CompletionChartPanel(Component):
    """The completion rate of each ministry (national scope) or of each course of
    the focal point's ministry, as a bar chart with the same numbers in a table."""

    name = "training_completion"
    template_name = "reporting/admin/completion_panel.html"
    order = 90

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        scope = scope_of(self.request)
        by_ministry = scope.is_national
        if by_ministry:
            heading = gettext("Completion rate by ministry")
            rows = stats.completion(scope, ("ministry",))
            label_heading = gettext("Ministry")
        else:
            heading = gettext("Completion rate by course")
            rows = stats.completion(scope, ("course",))
            label_heading = gettext("Course")
        entries = sorted(
            (
                (
                    (row.ministry_name or row.ministry_code or "—")
                    if by_ministry
                    else (row.course_title or "—"),
                    row,
                )
                for row in rows
            ),
            key=lambda entry: entry[0].casefold(),
        )
        description = (
            gettext(
                "Completed enrolments as a share of all enrolments, for each "
                "ministry. The table beside the chart gives the numbers."
            )
            if by_ministry
            else gettext(
                "Completed enrolments as a share of all enrolments, for each course "
                "your ministry's officers are enrolled in. The table beside the "
                "chart gives the numbers."
            )
        )
        chart = charts.percent_bar_chart(
            [charts.Bar(label, row.completion_rate) for label, row in entries],
            chart_id="training-completion-chart",
            title=heading,
            description=description,
            axis_label=gettext("Completion rate (%)"),
        )
        return {
            "request": self.request,
            "heading": heading,
            "label_heading": label_heading,
            "entries": entries,
            "chart": chart,
            "report_url": reverse(f"{APP_NAME}:completion"),
        }


def add_completion_chart_panel(request, panels):
    if may_view_reports(request):
        panels.append(CompletionChartPanel(request))


# --- URLs and menu items -------------------------------------------------------------


def _report_urls(prefix: str, name: str, view_class) -> list:
    return [
        path(f"{prefix}/", view_class.as_view(), name=name),
        path(
            f"{prefix}/results/",
            view_class.as_view(results_only=True),
            name=f"{name}_results",
        ),
    ]


def admin_urls() -> list:
    patterns = [
        *_report_urls("completion", "completion", CompletionReportView),
        *_report_urls("trained-per-year", "trained_per_year", TrainedPerYearReportView),
        *_report_urls("officer-records", "officer_records", OfficerRecordReportView),
    ]
    return [
        path("training-reports/", include((patterns, APP_NAME), namespace=APP_NAME))
    ]


class TrainingReportMenuItem(MenuItem):
    """Shown to those who may open the report it leads to."""

    def __init__(self, *args, may_open, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_open = may_open

    def is_shown(self, request):
        return self.may_open(request)


def completion_menu_item():
    return TrainingReportMenuItem(
        _("Completion by ministry and course"),
        reverse(f"{APP_NAME}:completion"),
        name="completion-by-ministry-and-course",
        icon_name="table",
        order=100,
        may_open=may_view_reports,
    )


def trained_per_year_menu_item():
    return TrainingReportMenuItem(
        _("Officials trained per year"),
        reverse(f"{APP_NAME}:trained_per_year"),
        name="officials-trained-per-year",
        icon_name="date",
        order=110,
        may_open=may_view_reports,
    )


def officer_records_menu_item():
    return TrainingReportMenuItem(
        _("Officer records"),
        reverse(f"{APP_NAME}:officer_records"),
        name="officer-records",
        icon_name="group",
        order=120,
        may_open=may_view_officer_records,
    )
