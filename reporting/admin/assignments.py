"""Course assignments in the Wagtail admin (Training reports > Assignments): the
listing with each assignment's compliance, the "Assign a course" form, and one
assignment's officers with where each stands.

A focal point sees and assigns for its own ministry only; the national committee
and administrators see every ministry's assignments. The numbers come from
``reporting.stats``; the rules of assigning from ``reporting.services``.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy

from accounts import access
from accounts.access import Scope
from accounts.models import Cadre
from core.exports import SafeCsvExportMixin
from courses.models import Enrolment

from .. import services, stats
from ..forms import AssignCourseForm
from ..models import Assignment, AssignmentAudience

APP_NAME = "assignments"
assignment_permissions = ModelPermissionPolicy(Assignment)
UNKNOWN_SHOWN = 50


def audience_label(assignment: Assignment) -> str:
    """Who an assignment is for, in a few words."""
    if assignment.audience == AssignmentAudience.CADRE:
        return gettext("Cadre: %(cadre)s") % {
            "cadre": Cadre(assignment.cadre).label
            if assignment.cadre in Cadre.values
            else assignment.cadre
        }
    if assignment.audience == AssignmentAudience.LIST:
        return gettext("A list of officers")
    return gettext("Every officer")


def _visible_assignments(scope: Scope):
    """The assignments a user of ``scope`` may see: its ministry's, or every
    ministry's."""
    if scope.is_empty or not scope.officer_records:
        return Assignment.objects.none()
    return scope.restrict(Assignment.objects.all(), "ministry_id")


class ComplianceColumn(Column):
    """One compliance count of the assignment (attached by the listing view)."""

    def get_value(self, instance):
        row = getattr(instance, "compliance", None)
        return getattr(row, self.accessor, 0) if row is not None else 0


class AssignmentFilterSet(WagtailFilterSet):
    class Meta:
        model = Assignment
        fields = ["course"]


class NationalAssignmentFilterSet(WagtailFilterSet):
    class Meta:
        model = Assignment
        fields = ["course", "ministry"]


# --- Listing -------------------------------------------------------------------------


class AssignmentIndexView(generic.IndexView):
    """Assignments, newest first, with how the officers they reached stand."""

    model = Assignment
    permission_policy = assignment_permissions
    any_permission_required = ["add", "view"]
    page_title = _("Assignments")
    header_icon = "date"
    index_url_name = f"{APP_NAME}:index"
    index_results_url_name = f"{APP_NAME}:index_results"
    add_url_name = f"{APP_NAME}:add"
    add_item_label = _("Assign a course")
    default_ordering = "-created_at"
    paginate_by = 50
    no_results_message = _("No course has been assigned yet.")
    columns = [
        TitleColumn(
            "course",
            label=_("Course"),
            accessor="course.title",
            get_url=lambda a: reverse(f"{APP_NAME}:detail", args=[a.pk]),
            width="22%",
        ),
        Column("ministry", label=_("Ministry"), accessor="ministry.code"),
        Column("audience", label=_("Who"), accessor=audience_label),
        Column(
            "due_date",
            label=_("Due date"),
            accessor=lambda a: date_format(a.due_date, "j M Y"),
            sort_key="due_date",
        ),
        Column(
            "created_by",
            label=_("Assigned by"),
            accessor=lambda a: a.created_by.get_full_name() if a.created_by else "",
        ),
        DateColumn("created_at", label=_("Assigned"), sort_key="created_at"),
        ComplianceColumn("assigned", label=_("Officers"), accessor="assigned"),
        ComplianceColumn("on_time", label=_("On time"), accessor="on_time"),
        ComplianceColumn("late", label=_("Late"), accessor="late"),
        ComplianceColumn("overdue", label=_("Overdue"), accessor="overdue"),
        ComplianceColumn("in_progress", label=_("In progress"), accessor="in_progress"),
        ComplianceColumn("not_started", label=_("Not started"), accessor="not_started"),
    ]

    @cached_property
    def scope(self) -> Scope:
        return access.scope_for_user(self.request.user)

    @cached_property
    def filterset_class(self):
        if self.scope.is_national:
            return NationalAssignmentFilterSet
        return AssignmentFilterSet

    def get_base_queryset(self):
        return _visible_assignments(self.scope).select_related(
            "course", "ministry", "created_by"
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        object_list = list(object_list)
        compliance = stats.assignment_compliance(
            self.scope, [a.pk for a in object_list]
        )
        for assignment in object_list:
            assignment.compliance = compliance.get(assignment.pk)
        return paginator, page, object_list, is_paginated


# --- Assign a course -------------------------------------------------------------


class AssignCourseView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, FormView
):
    """The "Assign a course" form: a focal point's own ministry; an administrator
    chooses the ministry."""

    model = Assignment
    permission_policy = assignment_permissions
    permission_required = "add"
    form_class = AssignCourseForm
    template_name = "reporting/admin/assignments/assign.html"
    page_title = _("Assign a course")
    header_icon = "date"
    # No breadcrumbs: the page's title is then its visible heading.
    breadcrumbs_items = []

    def get(self, request, *args, **kwargs):
        self._check_may_assign()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_may_assign()
        return super().post(request, *args, **kwargs)

    def _check_may_assign(self):
        if not services.ministries_assignable_by(self.request.user).exists():
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.assign_course(
                by=self.request.user,
                course=data["course"],
                ministry=data["ministry"],
                audience=data["audience"],
                cadre=data.get("cadre") or None,
                emails=data["addresses"],
                due_date=data["due_date"],
                message=data.get("message") or "",
            )
        except services.AssignmentRefused as refusal:
            field = refusal.field if refusal.field in form.fields else None
            form.add_error(field, str(refusal))
            return self.form_invalid(form)
        self._report(result)
        return redirect(f"{APP_NAME}:detail", result.assignment.pk)

    def _report(self, result: services.AssignmentResult) -> None:
        title = result.assignment.course.title
        text = ngettext(
            "“%(course)s” assigned to %(count)s officer",
            "“%(course)s” assigned to %(count)s officers",
            result.reached,
        ) % {"course": title, "count": result.reached}
        details = gettext(
            "%(enrolled)s newly enrolled, %(redated)s already enrolled and given the "
            "due date; %(completed)s had already completed it."
        ) % {
            "enrolled": result.enrolled,
            "redated": result.redated,
            "completed": result.already_completed,
        }
        messages.success(self.request, f"{text}: {details}")
        unknown = result.unknown_emails
        if unknown:
            shown = ", ".join(unknown[:UNKNOWN_SHOWN])
            if len(unknown) > UNKNOWN_SHOWN:
                shown += " " + gettext("and %(count)s more") % {
                    "count": len(unknown) - UNKNOWN_SHOWN
                }
            messages.warning(
                self.request,
                ngettext(
                    "%(count)s address is not an active officer of the ministry and "
                    "was not assigned: %(list)s",
                    "%(count)s addresses are not active officers of the ministry and "
                    "were not assigned: %(list)s",
                    len(unknown),
                )
                % {"count": len(unknown), "list": shown},
            )


# --- One assignment ------------------------------------------------------------------


def _status_label(value) -> str:
    return str(stats.ComplianceStatus.LABELS.get(value, ""))


class OfficerStatusFilterSet(WagtailFilterSet):
    compliance_status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="compliance_status",
        choices=stats.ComplianceStatus.CHOICES,
        empty_label=_("Any status"),
    )

    class Meta:
        model = Enrolment
        fields = []


class AssignmentDetailView(SafeCsvExportMixin, generic.IndexView):
    """The officers one assignment reached and where each stands against the due
    date, for the focal points of its ministry and the committee."""

    model = Enrolment
    permission_policy = assignment_permissions
    any_permission_required = None
    permission_required = "view"
    template_name = "reporting/admin/assignments/detail.html"
    header_icon = "date"
    filterset_class = OfficerStatusFilterSet
    paginate_by = 100
    no_results_message = _("No officer matches.")
    columns = [
        Column("name", label=_("Officer"), accessor="user.full_name_en"),
        Column("email", label=_("E-mail"), accessor="user.email"),
        Column("cadre", label=_("Cadre"), accessor="user.get_cadre_display"),
        Column(
            "status",
            label=_("Status"),
            accessor=lambda e: _status_label(e.compliance_status),
        ),
        DateColumn("completed_at", label=_("Completed")),
    ]
    list_export = [
        "user.full_name_en",
        "user.email",
        "user.get_cadre_display",
        "compliance_status",
        "started_at",
        "completed_at",
        "due_date",
    ]
    export_headings = {
        "user.full_name_en": _("Officer"),
        "user.email": _("E-mail"),
        "user.get_cadre_display": _("Cadre"),
        "compliance_status": _("Status"),
        "started_at": _("Started"),
        "completed_at": _("Completed"),
        "due_date": _("Due date"),
    }
    custom_field_preprocess = {
        "compliance_status": {"csv": _status_label, "xlsx": _status_label},
    }

    @cached_property
    def scope(self) -> Scope:
        return access.scope_for_user(self.request.user)

    @cached_property
    def assignment(self) -> Assignment:
        assignment = (
            _visible_assignments(self.scope)
            .select_related("course", "ministry", "created_by")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if assignment is None:
            raise Http404
        return assignment

    def get_page_title(self):
        return self.assignment.course.title

    def get_page_subtitle(self):
        return self.assignment.ministry.code

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{APP_NAME}:index"), "label": gettext("Assignments")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_index_url(self):
        return reverse(f"{APP_NAME}:detail", args=[self.assignment.pk])

    def get_index_results_url(self):
        return reverse(f"{APP_NAME}:detail_results", args=[self.assignment.pk])

    def get_filename(self):
        return f"assignment-{self.assignment.pk}-officers"

    def get_base_queryset(self):
        return stats.assignment_officers(self.scope, self.assignment.pk)

    def order_queryset(self, queryset):
        return queryset

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["assignment"] = self.assignment
        context["audience"] = audience_label(self.assignment)
        context["compliance"] = stats.assignment_compliance(
            self.scope, [self.assignment.pk]
        ).get(self.assignment.pk)
        return context


# --- URLs, menu and audit log -----------------------------------------------------


def admin_urls() -> list:
    patterns = [
        path("", AssignmentIndexView.as_view(), name="index"),
        path(
            "results/",
            AssignmentIndexView.as_view(results_only=True),
            name="index_results",
        ),
        path("new/", AssignCourseView.as_view(), name="add"),
        path("<int:pk>/", AssignmentDetailView.as_view(), name="detail"),
        path(
            "<int:pk>/results/",
            AssignmentDetailView.as_view(results_only=True),
            name="detail_results",
        ),
    ]
    return [
        path(
            "training-reports/assignments/",
            include((patterns, APP_NAME), namespace=APP_NAME),
        )
    ]


class AssignmentMenuItem(MenuItem):
    """Shown to users holding one of ``actions`` on assignments."""

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions

    def is_shown(self, request):
        return assignment_permissions.user_has_any_permission(
            request.user, self.actions
        )


def assignments_menu_item():
    return AssignmentMenuItem(
        _("Assignments"),
        reverse(f"{APP_NAME}:index"),
        name="assignments",
        icon_name="date",
        order=300,
        actions=["add", "view"],
    )


def assign_course_menu_item():
    return AssignmentMenuItem(
        _("Assign a course"),
        reverse(f"{APP_NAME}:add"),
        name="assign-course",
        icon_name="plus",
        order=310,
        actions=["add"],
    )
