"""The "Background tasks" report (Settings menu, superusers only): tasks that gave
up after their attempts, each with its traceback and a Retry button."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tasks_db.models import DBTaskResult
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import tasks
from .admin import SuperuserRequiredMixin

logger = logging.getLogger("core.tasks")


def _row(db_result):
    return {
        "id": str(db_result.id),
        "name": db_result.task_path,
        "args": db_result.args_kwargs,
        "attempts": tasks.attempts(db_result),
        "error_class": db_result.exception_class_path,
        "error": tasks.last_error_message(db_result),
        "when": db_result.finished_at,
        "traceback": db_result.traceback,
    }


class FailedTaskIndexView(
    SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "core/admin/failed_tasks.html"
    page_title = gettext_lazy("Background tasks")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [_row(r) for r in tasks.gave_up()[:200]]
        return context


class FailedTaskDetailView(
    SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "core/admin/failed_task.html"
    page_title = gettext_lazy("Background task")
    header_icon = "warning"

    def get_object(self):
        try:
            return get_object_or_404(DBTaskResult, pk=self.kwargs["pk"])
        except (ValueError, ValidationError) as exc:  # a malformed id
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        db_result = self.get_object()
        context["row"] = _row(db_result)
        context["status"] = db_result.status
        return context

    def post(self, request, pk):
        db_result = self.get_object()
        if tasks.retry_now(db_result):
            logger.info("Task id=%s queued again by user id=%s", pk, request.user.pk)
            messages.success(request, _("The task is queued again."))
        else:
            messages.warning(request, _("The task had not given up; nothing changed."))
        return redirect("core_failed_tasks")
