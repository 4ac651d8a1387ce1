"""The trainer side of quizzes in the Wagtail admin: the question bank, the essay
marking queue, the marking page, and the quiz and question statistics reports.

Attempts are shown by number only. Trainers mark answers and read aggregates; no
officer's name or e-mail appears on these pages or in their exports. The URLs and
menu items are registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets

from courses.admin import HeldKind, HeldObject
from courses.models import Topic, source_locale_only

from . import services, stats
from .forms import QuestionForm
from .models import (
    AttemptQuestion,
    AttemptStatus,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizQuestion,
)

APP_NAME = "quiz_admin"
attempt_permissions = ModelPermissionPolicy(QuizAttempt)


# --- The question bank -------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.filter(source_locale_only())
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=QuestionKind.choices)
    active = django_filters.BooleanFilter(label=_("Active"))
    in_use = django_filters.BooleanFilter(label=_("Used by a quiz"), method="by_use")

    class Meta:
        model = Question
        fields = ["topic", "kind", "active"]

    def by_use(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(in_use=value)


class QuestionIndexView(snippets.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("topic", "locale")
            .annotate(
                in_use=Exists(QuizQuestion.objects.filter(question=OuterRef("pk"))),
                choice_count=Count("choices"),
            )
        )


class QuestionViewSet(snippets.SnippetViewSet):
    """The question bank, a snippet so that wagtail-localize offers "Translate",
    its translation editor and PO files for a question and its choices.

    The admin URLs stay under /admin/questions/ (the add form at new/); the URL
    names are the snippet's (``wagtailsnippets_quizzes_question:…``), which
    wagtail-localize reverses, read through ``question_url``. A question asked in
    attempts is not deleted: the snippet delete view asks the
    ``before_delete_snippet`` hook of ``courses.wagtail_hooks``."""

    model = Question
    url_prefix = "questions"
    icon = "help"
    menu_label = _("Question bank")
    add_to_admin_menu = True
    menu_order = 220
    index_view_class = QuestionIndexView
    filterset_class = QuestionFilterSet
    search_fields = ["text", "explanation"]
    copy_view_enabled = True
    inspect_view_enabled = True
    list_display = [
        "__str__",
        Column("locale", label=_("Language"), accessor="locale.get_display_name"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("topic", label=_("Topic")),
        Column("points", label=_("Points")),
        BooleanColumn("in_use", label=_("In use")),
        BooleanColumn("active", label=_("Active")),
    ]
    list_export = ["pk", "get_kind_display", "topic", "points", "active", "text"]
    export_filename = "question-bank"
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)

    def get_urlpatterns(self):
        # The add form keeps the address it had as a ModelViewSet.
        return [
            path("new/", self.add_view, name="add") if p.name == "add" else p
            for p in super().get_urlpatterns()
        ]


def question_url(name: str, *args) -> str:
    """The admin URL ``name`` (list, add, edit, usage, delete…) of the bank."""
    return reverse(Question.snippet_viewset.get_url_name(name), args=args)


def _held_question(request, question: Question, held) -> HeldObject:
    return HeldObject(
        label=str(question),
        records=held,
        instead_url=question_url("edit", question.pk),
        instead_label=gettext("Edit the question and untick Active"),
        usage_url=question_url("usage", question.pk),
    )


def _question_advice() -> str:
    return gettext(
        "Stop using the question instead: untick Active so that it is never "
        "drawn again, and remove it from the quizzes that list it. Past attempts "
        "keep the text the officers saw."
    )


# How the refusal to delete describes a question (registered in apps.py).
HELD_QUESTION = HeldKind(
    describe=_held_question,
    advice=_question_advice,
    back_url=lambda request, sample: question_url("list"),
)


# --- Shared pieces ---------------------------------------------------------------


class FigureColumn(Column):
    """A number rounded for reading, with an optional suffix; a dash when there is
    nothing to show (no attempts yet, too few attempts)."""

    def __init__(self, name, *, places: int = 1, suffix: str = "", **kwargs):
        super().__init__(name, **kwargs)
        self.places = places
        self.suffix = suffix

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return "—"
        return f"{floatformat(value, self.places)}{self.suffix}"


class QuizChoiceField(django_filters.fields.ModelChoiceField):
    """Quizzes are often all called "Quiz": name them by their course too."""

    def label_from_instance(self, obj):
        return f"{obj.course_title} — {obj.title}"


class QuizFilter(django_filters.ModelChoiceFilter):
    field_class = QuizChoiceField


def _quizzes(request):
    return stats.quizzes_with_course()


class AttemptFilterSet(WagtailFilterSet):
    """Narrows the attempts a report is computed from."""

    submitted_at = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), widget=DateRangePickerWidget
    )

    class Meta:
        model = QuizAttempt
        fields = []


class QuizAttemptFilterSet(AttemptFilterSet):
    quiz = QuizFilter(label=_("Quiz"), queryset=_quizzes, empty_label=_("All quizzes"))
    language = django_filters.ChoiceFilter(
        label=_("Language of the attempt"),
        choices=settings.LANGUAGES,
        empty_label=_("All languages"),
    )

    class Meta(AttemptFilterSet.Meta):
        fields = []


# --- Marking queue ---------------------------------------------------------------


def _unmarked_essays():
    return Coalesce(
        Subquery(
            AttemptQuestion.objects.filter(
                attempt=OuterRef("pk"), kind=QuestionKind.ESSAY, awarded__isnull=True
            )
            .order_by()
            .values("attempt")
            .annotate(count=Count("pk"))
            .values("count"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


class MarkingQueueView(generic.IndexView):
    """Attempts waiting for a trainer to mark their essays, oldest first."""

    model = QuizAttempt
    permission_required = "mark"
    any_permission_required = None
    page_title = _("Marking queue")
    header_icon = "edit"
    index_url_name = f"{APP_NAME}:marking_queue"
    index_results_url_name = f"{APP_NAME}:marking_queue_results"
    filterset_class = QuizAttemptFilterSet
    default_ordering = "submitted_at"
    no_results_message = _("No attempt is waiting for marking.")
    columns = [
        TitleColumn(
            "attempt",
            label=_("Attempt"),
            accessor=lambda attempt: gettext("Attempt #%(id)s") % {"id": attempt.pk},
            get_url=lambda attempt: reverse(
                f"{APP_NAME}:mark_attempt", args=[attempt.pk]
            ),
        ),
        Column("course_title", label=_("Course")),
        Column("quiz_title", label=_("Quiz")),
        Column("number", label=_("Attempt number")),
        Column("essays_to_mark", label=_("Essays to mark")),
        DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
    ]

    def get_base_queryset(self):
        return QuizAttempt.objects.filter(
            status=AttemptStatus.AWAITING_MARKING
        ).annotate(
            quiz_title=F("quiz__title"),
            course_title=stats.parent_title("quiz__path"),
            essays_to_mark=_unmarked_essays(),
        )


class EssayMarkForm(forms.Form):
    """Points and a comment for one essay answer. The range is checked by
    ``services.mark_essay``, so that the rule and its message live in one place."""

    awarded = forms.DecimalField(
        label=_("Points awarded"), max_digits=6, decimal_places=2
    )
    comment = forms.CharField(
        label=_("Comment for the record"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, points: int, **kwargs):
        super().__init__(*args, **kwargs)
        awarded = self.fields["awarded"]
        awarded.help_text = _("Between 0 and %(points)s.") % {"points": points}
        awarded.widget.attrs.update({"min": 0, "max": points, "step": "0.01"})


class MarkAttemptView(
    generic.PermissionCheckedMixin, generic.WagtailAdminTemplateMixin, TemplateView
):
    """The essays of one submitted attempt, each with its own small marking form."""

    model = QuizAttempt
    permission_required = "mark"
    template_name = "quizzes/admin/mark_attempt.html"
    header_icon = "edit"
    http_method_names = ["get", "post"]

    def get_page_title(self):
        return gettext("Attempt #%(id)s") % {"id": self.kwargs["pk"]}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(f"{APP_NAME}:marking_queue"),
                "label": gettext("Marking queue"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def _load(self) -> None:
        # An attempt still open belongs to the officer working on it.
        self.attempt = get_object_or_404(
            QuizAttempt.objects.exclude(status=AttemptStatus.OPEN).annotate(
                quiz_title=F("quiz__title"),
                course_title=stats.parent_title("quiz__path"),
            ),
            pk=self.kwargs["pk"],
        )
        self.questions = list(AttemptQuestion.objects.filter(attempt=self.attempt))
        self.essays = [q for q in self.questions if q.kind == QuestionKind.ESSAY]

    def _form_for(self, essay: AttemptQuestion, data=None) -> EssayMarkForm:
        return EssayMarkForm(
            data,
            prefix=f"essay-{essay.pk}",
            points=essay.points,
            initial={"awarded": essay.awarded, "comment": essay.marker_comment},
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self._load()
        by_id = {str(essay.pk): essay for essay in self.essays}
        essay = by_id.get(request.POST.get("attempt_question", ""))
        if essay is None:
            return self.render_to_response(
                self.get_context_data(
                    error=gettext("This essay is not part of the attempt.")
                ),
                status=400,
            )
        form = self._form_for(essay, request.POST)
        if form.is_valid():
            try:
                attempt = services.mark_essay(
                    essay,
                    request.user,
                    form.cleaned_data["awarded"],
                    form.cleaned_data["comment"],
                )
            except services.QuizRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return self._marked(attempt)
        return self.render_to_response(
            self.get_context_data(bound_forms={essay.pk: form}), status=400
        )

    def _marked(self, attempt: QuizAttempt):
        if attempt.status == AttemptStatus.SCORED:
            verdict = gettext("passed") if attempt.passed else gettext("not passed")
            messages.success(
                self.request,
                gettext(
                    "Attempt #%(id)s is marked: %(percent)s%%, %(verdict)s. "
                    "It has left the queue."
                )
                % {
                    "id": attempt.pk,
                    "percent": floatformat(attempt.percent, -1),
                    "verdict": verdict,
                },
            )
            return redirect(f"{APP_NAME}:marking_queue")
        messages.success(self.request, gettext("Mark saved."))
        return redirect(f"{APP_NAME}:mark_attempt", attempt.pk)

    def get_context_data(self, bound_forms=None, error=None, **kwargs):
        context = super().get_context_data(**kwargs)
        bound_forms = bound_forms or {}
        awaiting = self.attempt.status == AttemptStatus.AWAITING_MARKING
        choice_questions = [q for q in self.questions if q.kind != QuestionKind.ESSAY]
        context.update(
            attempt=self.attempt,
            awaiting=awaiting,
            error=error,
            # A form the trainer just sent is shown again with its error, even when
            # the attempt has meanwhile been scored by someone else.
            essays=[
                (
                    essay,
                    bound_forms.get(essay.pk)
                    or (self._form_for(essay) if awaiting else None),
                )
                for essay in self.essays
            ],
            choice_points=sum(q.awarded or 0 for q in choice_questions),
            choice_max_points=sum(q.points for q in choice_questions),
        )
        return context


# --- Reports ---------------------------------------------------------------------


class QuizAttemptReportView(ReportView):
    """A report computed from scored attempts, for holders of the attempt "view"
    permission. ``get_filtered_queryset`` returns a list of summaries: ReportView
    paginates, renders and exports lists as well as querysets."""

    permission_policy = attempt_permissions
    permission_required = "view"
    export_name = ""

    def get_queryset(self):
        # The filters narrow every attempt; the summaries keep the scored ones.
        return QuizAttempt.objects.all()

    def summarise(self, attempts):
        raise NotImplementedError

    def get_filtered_queryset(self):
        return self.summarise(self.filter_queryset(self.get_queryset()))

    def get_filename(self):
        return f"{self.export_name}-{timezone.localdate():%Y-%m-%d}"


class QuizReportView(QuizAttemptReportView):
    """One row per quiz: scored attempts, pass rate, average and median score."""

    page_title = _("Quiz statistics")
    header_icon = "tasks"
    template_name = "quizzes/admin/quiz_report.html"
    index_url_name = f"{APP_NAME}:quiz_report"
    index_results_url_name = f"{APP_NAME}:quiz_report_results"
    filterset_class = AttemptFilterSet
    export_name = "quiz-statistics"
    columns = [
        Column("quiz_title", label=_("Quiz")),
        Column("course_title", label=_("Course")),
        Column("attempts", label=_("Attempts scored")),
        FigureColumn("pass_rate", label=_("Pass rate"), suffix=" %"),
        FigureColumn("average_percent", label=_("Average score"), suffix=" %"),
        FigureColumn("median_percent", label=_("Median score"), suffix=" %"),
    ]
    list_export = [
        "quiz_title",
        "course_title",
        "attempts",
        "pass_rate",
        "average_percent",
        "median_percent",
    ]
    export_headings = {
        "quiz_title": _("Quiz"),
        "course_title": _("Course"),
        "attempts": _("Attempts scored"),
        "pass_rate": _("Pass rate (%)"),
        "average_percent": _("Average score (%)"),
        "median_percent": _("Median score (%)"),
    }

    def summarise(self, attempts):
        return stats.quiz_summaries(attempts)


class QuestionReportView(QuizAttemptReportView):
    """One row per question asked in scored attempts: facility and discrimination."""

    page_title = _("Question statistics")
    header_icon = "help"
    template_name = "quizzes/admin/question_report.html"
    index_url_name = f"{APP_NAME}:question_report"
    index_results_url_name = f"{APP_NAME}:question_report_results"
    filterset_class = QuizAttemptFilterSet
    export_name = "question-statistics"
    columns = [
        TitleColumn(
            "text",
            label=_("Question"),
            get_url=lambda row: question_url("edit", row.question_id),
        ),
        Column("kind_label", label=_("Kind")),
        Column("times_asked", label=_("Times asked")),
        FigureColumn("facility_percent", label=_("Facility"), suffix=" %"),
        FigureColumn("facility_ar", label=_("Facility in Arabic"), suffix=" %"),
        FigureColumn("facility_en", label=_("Facility in English"), suffix=" %"),
        FigureColumn("language_gap", label=_("Gap between languages"), suffix=" %"),
        FigureColumn("discrimination_rounded", label=_("Discrimination"), places=2),
    ]
    list_export = [
        "question_id",
        "text",
        "kind_label",
        "times_asked",
        "facility_percent",
        "facility_ar",
        "facility_en",
        "language_gap",
        "discrimination_rounded",
    ]
    export_headings = {
        "question_id": _("Question ID"),
        "text": _("Question"),
        "kind_label": _("Kind"),
        "times_asked": _("Times asked"),
        # xgettext:no-python-format
        "facility_percent": _("Facility (% fully right)"),
        "facility_ar": _("Facility in Arabic (%)"),
        "facility_en": _("Facility in English (%)"),
        "language_gap": _("Gap between languages (points)"),
        "discrimination_rounded": _("Discrimination index"),
    }

    def summarise(self, attempts):
        return stats.question_summaries(attempts)


# --- URLs and menu items ---------------------------------------------------------


def admin_urls() -> list:
    """The admin URLs of this module, under /admin/quizzes/, namespace quiz_admin."""
    patterns = [
        path("marking/", MarkingQueueView.as_view(), name="marking_queue"),
        path(
            "marking/results/",
            MarkingQueueView.as_view(results_only=True),
            name="marking_queue_results",
        ),
        path("marking/<int:pk>/", MarkAttemptView.as_view(), name="mark_attempt"),
        path("reports/quizzes/", QuizReportView.as_view(), name="quiz_report"),
        path(
            "reports/quizzes/results/",
            QuizReportView.as_view(results_only=True),
            name="quiz_report_results",
        ),
        path(
            "reports/questions/", QuestionReportView.as_view(), name="question_report"
        ),
        path(
            "reports/questions/results/",
            QuestionReportView.as_view(results_only=True),
            name="question_report_results",
        ),
    ]
    return [path("quizzes/", include((patterns, APP_NAME), namespace=APP_NAME))]


class AttemptPermissionMenuItem(MenuItem):
    """Shown to users holding ``action`` on quiz attempts (superusers too)."""

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def is_shown(self, request):
        return attempt_permissions.user_has_permission(request.user, self.action)


class MarkingQueueMenuItem(AttemptPermissionMenuItem):
    """The queue's menu entry, with the number of attempts waiting: one COUNT."""

    def render_component(self, request):
        waiting = QuizAttempt.objects.filter(
            status=AttemptStatus.AWAITING_MARKING
        ).count()
        label = f"{self.label} ({waiting})" if waiting else self.label
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def marking_queue_menu_item() -> MenuItem:
    return MarkingQueueMenuItem(
        _("Marking queue"),
        reverse(f"{APP_NAME}:marking_queue"),
        name="marking-queue",
        icon_name="edit",
        order=230,
        action="mark",
    )


def quiz_report_menu_item() -> MenuItem:
    return AttemptPermissionMenuItem(
        _("Quiz statistics"),
        reverse(f"{APP_NAME}:quiz_report"),
        name="quiz-statistics",
        icon_name="tasks",
        order=1300,
        action="view",
    )


def question_report_menu_item() -> MenuItem:
    return AttemptPermissionMenuItem(
        _("Question statistics"),
        reverse(f"{APP_NAME}:question_report"),
        name="question-statistics",
        icon_name="help",
        order=1310,
        action="view",
    )
