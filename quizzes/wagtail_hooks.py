"""Admin wiring for quizzes: registers the question bank (a snippet, so that
wagtail-localize translates it), the essay marking queue and the quiz statistics
reports. The views live in ``admin.py``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.admin import register_held_kind

from . import admin
from .models import Question

register_snippet(admin.QuestionViewSet)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return admin.admin_urls()


@hooks.register("register_admin_menu_item")
def register_marking_queue_menu_item():
    return admin.marking_queue_menu_item()


@hooks.register("register_reports_menu_item")
def register_quiz_report_menu_item():
    return admin.quiz_report_menu_item()


@hooks.register("register_reports_menu_item")
def register_question_report_menu_item():
    return admin.question_report_menu_item()


# The refusal to delete (courses.admin) describes a held question this way.
register_held_kind(Question, admin.HELD_QUESTION)
