"""Admin wiring for courses: topics, the question bank, the essay marking queue, the
quiz statistics reports, and the refusal to delete what carries training records."""

import django_filters
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import QuestionForm
from .models import Question, QuestionKind, QuizQuestion, Topic
from .records_admin import (
    PageDeleteBulkAction,
    QuestionDeleteView,
    UserDeleteBulkAction,
    refuse_deleting,
)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "slug"]
    search_fields = ["name"]
    form_fields = ["name", "slug"]


register_snippet(TopicViewSet)


class QuestionFilterSet(WagtailFilterSet):
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.all()
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


class QuestionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("topic")
            .annotate(
                in_use=Exists(QuizQuestion.objects.filter(question=OuterRef("pk"))),
                choice_count=Count("choices"),
            )
        )


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    add_to_admin_menu = True
    menu_order = 220
    index_view_class = QuestionIndexView
    delete_view_class = QuestionDeleteView
    filterset_class = QuestionFilterSet
    search_fields = ["text", "explanation"]
    copy_view_enabled = True
    inspect_view_enabled = True
    list_display = [
        "__str__",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("topic", label=_("Topic")),
        Column("points", label=_("Points")),
        BooleanColumn("in_use", label=_("In use")),
        BooleanColumn("active", label=_("Active")),
    ]
    list_export = ["pk", "get_kind_display", "topic", "points", "active", "text"]
    export_filename = "question-bank"
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionViewSet("questions")


# --- Training records are never deleted (views in records_admin.py) ---------------


@hooks.register("before_delete_page")
def keep_records_of_page(request, page):
    return refuse_deleting(request, [page])


@hooks.register("before_delete_snippet")
def keep_records_of_snippets(request, instances):
    return refuse_deleting(request, instances)


@hooks.register("before_delete_user")
def keep_records_of_user(request, user):
    return refuse_deleting(request, [user])


# In place of Wagtail's own bulk deletes (same action type): registered after them.
hooks.register("register_bulk_action", PageDeleteBulkAction, order=1)
hooks.register("register_bulk_action", UserDeleteBulkAction, order=1)


@hooks.register("before_bulk_action")
def keep_records_in_bulk_delete(request, action_type, objects, action_class_instance):
    if action_type == "delete":
        return refuse_deleting(request, objects)
    return None


# --- Essay marking queue and quiz statistics (views in quiz_admin.py) ---------------


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    from . import quiz_admin

    return quiz_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_marking_queue_menu_item():
    from . import quiz_admin

    return quiz_admin.marking_queue_menu_item()


@hooks.register("register_reports_menu_item")
def register_quiz_report_menu_item():
    from . import quiz_admin

    return quiz_admin.quiz_report_menu_item()


@hooks.register("register_reports_menu_item")
def register_question_report_menu_item():
    from . import quiz_admin

    return quiz_admin.question_report_menu_item()
