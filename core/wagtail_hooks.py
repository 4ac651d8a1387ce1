"""Admin wiring for core: the "Background tasks" report under Settings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_tasks import FailedTaskDetailView, FailedTaskIndexView


@hooks.register("register_admin_urls")
def register_failed_task_urls():
    return [
        path("tasks/failed/", FailedTaskIndexView.as_view(), name="core_failed_tasks"),
        path(
            "tasks/failed/<str:pk>/",
            FailedTaskDetailView.as_view(),
            name="core_failed_task",
        ),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_failed_tasks_menu_item():
    return SuperuserMenuItem(
        _("Background tasks"), reverse("core_failed_tasks"), icon_name="warning"
    )
