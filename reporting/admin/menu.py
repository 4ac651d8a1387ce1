"""The "Training reports" menu of the Wagtail admin.

Each part of the reporting admin offers its entries to this menu as functions that
return a ``MenuItem`` (reports, assignments, API tokens); ``reporting.wagtail_hooks``
registers them for ``TRAINING_MENU_HOOK``. The menu shows only the entries a user
may open, and is hidden when there are none.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem

TRAINING_MENU_HOOK = "register_training_reports_menu_item"

training_menu = Menu(register_hook_name=TRAINING_MENU_HOOK, construct_hook_name=None)


def training_reports_menu():
    return SubmenuMenuItem(
        _("Training reports"),
        training_menu,
        name="training-reports",
        icon_name="table",
        order=250,
    )
